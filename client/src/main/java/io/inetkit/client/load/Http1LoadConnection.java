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
 * An HTTP/1.1 load connection ({@code load http://}): requests go out as bytes built once per path, several in
 * one write when {@code --pipeline} (HTTP/1.1 pipelining) or the open loop's schedule has them due; responses
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
    /** The response being read is informational (1xx): its end answers no request. */
    private boolean informational;
    private boolean inResponse;
    /** The response being read ends the connection: {@code Connection: close}, or HTTP/1.0 without keep-alive. */
    private boolean lastOnConnection;

    Http1LoadConnection(Worker worker, int gid) {
        super(worker, gid);
        this.requests = worker.http1Requests();
        this.check = new ResponseCheck(worker.settings().http(), worker.httpCounts());
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
        int n = (int) (Math.min(starget, sendLimit()) - sseq);
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
                    echoed(now, window);
                    if (lastOnConnection) {
                        replaced(now); // as wrk does: a new connection takes the slot
                    } else {
                        completed(1, now);
                    }
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }
}
