package io.inetkit.client.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * An HTTP/1.1 load connection ({@code load http://}): requests go out as bytes built once per path; with
 * {@code --pipeline D} (HTTP/1.1 pipelining) D are in flight all the time, a new one written as each response
 * ends, and the open loop writes what its schedule has due, several in one write; responses
 * come back in the order of their requests (RFC 9112 section 9.3.2), decoded by Netty's
 * {@link HttpResponseDecoder} ({@link #newDecoder}), and response {@code rseq} answers request {@code rseq}.
 * The schedule, the timeouts and the censoring are the TCP connection's.
 *
 * <pre>
 *  out: GET /bytes/64 HTTP/1.1\r\nHost: ...\r\n\r\n GET /bytes/64 HTTP/1.1\r\n ...    (-P 2: two in one write)
 *  in:  HTTP/1.1 200 OK\r\ncontent-length: 64\r\n\r\n[64 bytes]  HTTP/1.1 200 OK ...  (in order)
 * </pre>
 *
 * Each response's status is counted, and checked with its body by a {@link ResponseCheck}: a status outside
 * --ok-status is an {@link ErrorKind#HTTP_STATUS} error and a body that fails --verify a
 * {@link ErrorKind#MISMATCH}, and the connection goes on (its stream is intact); a response that is not HTTP
 * ends it ({@link ErrorKind#HTTP_PROTOCOL}). A response with {@code Connection: close} is the connection's last:
 * a new connection takes its place ({@link #replaced}), as wrk reconnects.
 */
final class Http1LoadConnection extends TcpLoadConnection {

    private final byte[][] requests;
    private final ResponseCheck check;
    /** Closed loop: responses of the current read made room for as many new requests. */
    private boolean refillPending;

    /** The response being read is informational (1xx): its end answers no request. */
    private boolean informational;
    private boolean inResponse;
    /** The response being read ends the connection: {@code Connection: close}, or HTTP/1.0 without keep-alive. */
    private boolean lastOnConnection;

    Http1LoadConnection(Worker worker, int gid) {
        super(worker, gid);
        this.requests = worker.http1Requests();
        this.check = new ResponseCheck(worker.settings().http(), worker.httpCounts());
        this.recordSends = true; // the closed loop's latency starts at each request's own write
    }

    /**
     * Closed loop: {@code --pipeline} requests in flight from the start, and from then on a new one as each response
     * ends ({@link #answered}): D in flight all the time, as HTTP/2's streams are, not batches of D.
     */
    @Override
    void startBatch(long now) {
        batchStart = now;
        starget = sseq + depth;
        sendPending(now);
    }

    /** The response decoder of this run, before the connection: HEAD's responses have no body. */
    static HttpResponseDecoder newDecoder(HttpLoad http) {
        boolean head = http.head();
        return new HttpResponseDecoder() {
            @Override
            protected boolean isContentAlwaysEmpty(HttpMessage msg) {
                return head || super.isContentAlwaysEmpty(msg);
            }
        };
    }

    /** Closed loop: each request's own write (the timeouts and the censoring at the end count from it too). */
    @Override
    protected long sendTimeOf(long seq) {
        return open ? super.sendTimeOf(seq) : sentAt(seq, batchStart);
    }

    /** A response ended (counted): the open loop goes on as TCP's; the closed loop sends the next request. */
    private void answered(long now) {
        if (open) {
            completed(1, now);
            return;
        }
        doneAll++;
        doneHere++;
        recorder.completed(1);
        if (!isDead() && !worker.isOver(now) && refill(rseq == sseq)) {
            refillPending = true; // written at the end of this read: the answers of one read make one write
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (refillPending) {
            refillPending = false;
            if (!isDead()) {
                sendPending(System.nanoTime());
            }
        }
        ctx.fireChannelReadComplete();
    }

    /**
     * The server said this response is the connection's last (nginx does so after keepalive_requests, 1,000 by
     * default): the requests written after it go unanswered, so they are taken back, and a new connection takes the
     * slot and sends them again (open loop: their latency from the intended send time includes the wait).
     */
    private void replaced(long now) {
        doneAll++;
        doneHere++;
        recorder.completed(1);
        sseq = rseq; // what was pipelined behind the last response, unsent again
        if (!worker.isOver(now)) {
            worker.reconnect(this);
        } else {
            retire(); // the run is over: its close is no error
            close();
        }
    }

    @Override
    void sendPending(long now) {
        int n = (int) (reconnectLimit(Math.min(starget, sendLimit())) - sseq);
        if (n <= 0 || isDead()) {
            return;
        }
        long until = sseq + n;
        int bytes = 0;
        for (long seq = sseq; seq < until; seq++) {
            bytes += requests[(int) (seq % requests.length)].length;
        }
        ByteBuf buf = ctx.alloc().directBuffer(bytes);
        for (long seq = sseq; seq < until; seq++) {
            buf.writeBytes(requests[(int) (seq % requests.length)]);
        }
        markSent(sseq, until, now);
        sseq = until;
        ctx.writeAndFlush(buf, ctx.voidPromise());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (isDead()) {
                return;
            }
            if (msg instanceof HttpResponse r) {
                if (r.decoderResult().isFailure()) {
                    fail(ErrorKind.HTTP_PROTOCOL);
                    return;
                }
                int code = r.status().code();
                informational = code >= 100 && code < 200;
                if (!informational) {
                    if (rseq >= sseq) {
                        fail(ErrorKind.HTTP_PROTOCOL); // a response to no request
                        return;
                    }
                    check.begin(code);
                    inResponse = true;
                    lastOnConnection = !HttpUtil.isKeepAlive(r);
                }
            }
            if (msg instanceof HttpContent c) {
                if (c.decoderResult().isFailure()) {
                    fail(ErrorKind.HTTP_PROTOCOL);
                    return;
                }
                if (!informational && inResponse) {
                    check.body(c.content());
                }
                if (msg instanceof LastHttpContent) {
                    if (informational) {
                        informational = false; // 100 Continue and the like: the real response follows
                        return;
                    }
                    inResponse = false;
                    long now = System.nanoTime();
                    int window = worker.inWindow(now);
                    ErrorKind bad = check.end(window);
                    if (bad != null) {
                        worker.error(bad);
                    }
                    if (open) {
                        echoed(now, window);
                    } else {
                        // from this request's own write: with -P D the requests go out one by one as answers come
                        recorder.recordEcho(now - sendTimeOf(rseq), window);
                        doneMeasured += window;
                        rseq++;
                    }
                    if (lastOnConnection) {
                        replaced(now); // as wrk does: a new connection takes the slot
                    } else {
                        answered(now);
                    }
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }
}
