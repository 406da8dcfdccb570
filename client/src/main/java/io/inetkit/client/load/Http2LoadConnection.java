package io.inetkit.client.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2ChannelDuplexHandler;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * An HTTP/2 load connection ({@code load http:// --http2-prior-knowledge}, {@code load https:// --http2}): each
 * request is a stream of its own, a HEADERS frame (and a DATA frame with the body), {@code --pipeline} of them
 * in flight all the time in the closed loop (a new one as each ends, as h2load's {@code -m}), or as many as the
 * open loop's schedule has due, up to
 * the server's SETTINGS_MAX_CONCURRENT_STREAMS; what falls due beyond it waits for a stream to end, and its
 * latency from the intended send time shows the wait. Netty's {@link Http2FrameCodec} does the framing, HPACK and
 * the pings; this connection hands back the flow-control window of every DATA frame it reads.
 *
 * <pre>
 *  out: HEADERS(stream 1, :method GET, :path /bytes/64, END_STREAM)  HEADERS(stream 3, ...)   (-P 2)
 *  in:  HEADERS(stream 3, :status 200)  DATA(stream 3, 64 bytes, END_STREAM)  HEADERS(stream 1, ...) ...
 * </pre>
 *
 * Responses end in any order: request {@code seq} is found by its stream's id, and its latency is taken from its
 * own send time. A stream the server resets counts as {@link ErrorKind#RESET}; after GOAWAY a new connection takes
 * the slot ({@link #goAway}).
 */
final class Http2LoadConnection extends TcpLoadConnection {

    /**
     * Makes the streams: Netty hands out {@link Http2FrameStream}s through an {@link Http2ChannelDuplexHandler}
     * behind the codec, and this one does nothing else ({@link LoadInitializer#STREAMS}).
     */
    static final class Streams extends Http2ChannelDuplexHandler {
    }

    /** The most requests in flight on one connection (a ring of their state). */
    static final int MAX_IN_FLIGHT = 1024;
    private static final int MASK = MAX_IN_FLIGHT - 1;

    private final Http2Headers[] requests;
    private final byte[] body;
    private final HttpLoad http;
    private final HttpCounts counts;
    /** By seq: the check of its response, whether it ended; by stream id: which seq it carries. */
    private final ResponseCheck[] checks = new ResponseCheck[MAX_IN_FLIGHT];
    private final boolean[] done = new boolean[MAX_IN_FLIGHT];
    private final long[] seqOfStream = new long[MAX_IN_FLIGHT];
    /** When each request in flight was written: the closed loop's latency starts there, the open loop's "from send". */
    private final long[] sentAt = new long[MAX_IN_FLIGHT];
    /** The server sent GOAWAY: no new stream here; once the ones it will answer have ended, a successor. */
    private boolean goingAway;
    /** The highest stream id this connection opened. */
    private int lastStreamId = -1;
    private Streams streams;
    /** The lowest request not ended yet: every one below it has. */
    private long low;
    private int inFlight;
    /** The server's SETTINGS_MAX_CONCURRENT_STREAMS (RFC 9113 6.5.2: unlimited until it says; 100 until then). */
    private int maxStreams = 100;

    Http2LoadConnection(Worker worker, int gid) {
        super(worker, gid);
        this.http = worker.settings().http();
        this.requests = worker.http2Requests();
        this.body = http.body();
        this.counts = worker.httpCounts();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        super.handlerAdded(ctx);
        streams = ctx.pipeline().get(Streams.class);
        Http2FrameCodec codec = ctx.pipeline().get(Http2FrameCodec.class);
        if (codec != null) {
            // GOAWAY from the connection itself: Netty closes the streams above its last one, and then, with none
            // left, the channel, before the GOAWAY frame reaches this handler; its listener hears it first
            codec.connection().addListener(new Http2ConnectionAdapter() {
                @Override
                public void onGoAwayReceived(int lastStreamId, long errorCode, ByteBuf debugData) {
                    goAway(lastStreamId, System.nanoTime());
                }
            });
        }
    }

    @Override
    void takeOver(LoadConnection old) {
        super.takeOver(old);
        low = sseq; // everything the predecessor sent has ended
    }

    /**
     * Closed loop: fills the connection to {@code --pipeline} streams once; from then on every stream that ends makes
     * room for the next request at once ({@link #ended}), as h2load's {@code -m} keeps its streams busy, and each
     * request's latency runs from its own write.
     */
    @Override
    void startBatch(long now) {
        starget = sseq + depth;
        sendPending(now);
    }

    @Override
    void sendPending(long now) {
        if (goingAway) {
            return;
        }
        long until = reconnectLimit(Math.min(starget, sendLimit()));
        if (sseq >= until || isDead()) {
            return;
        }
        int room = Math.min(maxStreams, MAX_IN_FLIGHT) - inFlight;
        boolean wrote = false;
        for (; sseq < until && room > 0; sseq++, room--) {
            long seq = sseq;
            Http2FrameStream stream = streams.newStream();
            boolean endStream = body.length == 0;
            // a real promise, not the void one: the codec holds a new stream's HEADERS written with a void promise
            // back (measured: 213 us p50 a request instead of 24 us, and a tenth of the rate at -c 10 -P 10)
            ctx.write(new DefaultHttp2HeadersFrame(requests[(int) (seq % requests.length)], endStream).stream(stream));
            if (stream.id() < 0) {
                fail(ErrorKind.HTTP_PROTOCOL); // no stream id left: the connection is spent
                return;
            }
            if (!endStream) {
                ctx.write(new DefaultHttp2DataFrame(ctx.alloc().buffer(body.length).writeBytes(body), true)
                        .stream(stream));
            }
            seqOfStream[(stream.id() >>> 1) & MASK] = seq;
            lastStreamId = stream.id();
            int i = (int) (seq & MASK);
            if (checks[i] == null) {
                checks[i] = new ResponseCheck(http, counts);
            }
            done[i] = false;
            sentAt[i] = now;
            inFlight++;
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (isDead()) {
                return;
            }
            if (msg instanceof Http2SettingsFrame s) {
                Long max = s.settings().maxConcurrentStreams();
                if (max != null) {
                    maxStreams = (int) Math.min(Integer.MAX_VALUE, max);
                    sendPending(System.nanoTime());
                }
                return;
            }
            if (msg instanceof Http2GoAwayFrame g) {
                goAway(g.lastStreamId(), System.nanoTime());
                return;
            }
            if (!(msg instanceof Http2StreamFrame frame) || frame.stream() == null) {
                return;
            }
            long seq = seqOfStream[(frame.stream().id() >>> 1) & MASK];
            ResponseCheck check = checks[(int) (seq & MASK)];
            boolean end;
            if (msg instanceof Http2HeadersFrame h) {
                CharSequence status = h.headers().status();
                if (status != null) { // not trailers
                    int code = parseStatus(status);
                    if (code < 200) {
                        if (code < 100) {
                            fail(ErrorKind.HTTP_PROTOCOL);
                        }
                        return; // informational; the response follows
                    }
                    check.begin(code);
                }
                end = h.isEndStream();
            } else if (msg instanceof Http2DataFrame d) {
                check.body(d.content());
                end = d.isEndStream();
                if (!end && d.initialFlowControlledBytes() > 0) {
                    // hand the window back (an ended stream's returns by itself)
                    ctx.write(new DefaultHttp2WindowUpdateFrame(d.initialFlowControlledBytes()).stream(d.stream()),
                            ctx.voidPromise());
                }
            } else if (msg instanceof Http2ResetFrame) {
                worker.error(ErrorKind.RESET);
                ended(seq, System.nanoTime(), false);
                return;
            } else {
                return;
            }
            if (end) {
                long now = System.nanoTime();
                int window = worker.inWindow(now);
                ErrorKind bad = check.end(window);
                if (bad != null) {
                    worker.error(bad);
                }
                recorder.recordEcho(now - sendTime(seq), window); // the same code inside the window and out of it
                if (open) {
                    recorder.recordFromSend(now - sentAt[(int) (seq & MASK)], window);
                }
                doneMeasured += window;
                ended(seq, now, true);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush(); // the window updates
        ctx.fireChannelReadComplete();
    }

    /**
     * Request {@code seq} ended (answered, or reset): its slot is free. The open loop sends what waited for a stream;
     * the closed loop the next request (or, with --reconnect N, hands the slot over once its N have ended).
     */
    private void ended(long seq, long now, boolean answered) {
        done[(int) (seq & MASK)] = true;
        inFlight--;
        while (low < sseq && done[(int) (low & MASK)]) {
            low++;
        }
        rseq++;
        if (answered) {
            doneAll++;
            doneHere++;
            recorder.completed(1);
        }
        Worker w = worker;
        if (isDead()) {
            return;
        }
        if (goingAway) {
            if (inFlight == 0) {
                handOff(now); // also after the window: the server's close that follows is then no error
            }
            return;
        }
        if (w.isOver(now)) {
            return;
        }
        if (open) {
            if (rseq == sseq && sseq == sendLimit()) {
                w.reconnect(this); // --reconnect with --rate: its N have ended; the successor sends what is due
            } else {
                sendPending(now);
            }
        } else if (refill(inFlight == 0)) {
            sendPending(now);
        }
    }

    /**
     * GOAWAY (nginx sends it after keepalive_requests, 1,000 by default): the streams above {@code last} will not be
     * answered, so they are taken back (they were the last ones written: open loop, the successor sends them again,
     * their latency from the intended send time including the wait); the ones below end here, and then a new
     * connection takes the slot, as h2load reconnects. A GOAWAY with an error code is the same, counted as closed.
     */
    private void goAway(int last, long now) {
        if (goingAway) {
            return;
        }
        goingAway = true;
        for (int id = lastStreamId; id > last && id > 0; id -= 2) {
            long seq = seqOfStream[(id >>> 1) & MASK];
            if (!done[(int) (seq & MASK)]) {
                done[(int) (seq & MASK)] = true;
                inFlight--;
                sseq = Math.min(sseq, seq);
            }
        }
        while (low < sseq && done[(int) (low & MASK)]) {
            low++;
        }
        rseq = Math.min(rseq, sseq);
        if (inFlight == 0) {
            handOff(now);
        }
    }

    /** After GOAWAY, nothing in flight: a successor takes the slot (or, the run being over, the connection just ends). */
    private void handOff(long now) {
        if (worker.isOver(now)) {
            retire();
            close();
            return;
        }
        worker.reconnect(this);
    }

    private static int parseStatus(CharSequence status) {
        if (status.length() != 3) {
            return -1;
        }
        int code = 0;
        for (int i = 0; i < 3; i++) {
            char c = status.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            code = code * 10 + (c - '0');
        }
        return code;
    }

    private long sendTime(long seq) {
        return open ? worker.intended(slot, seq) : sentAt[(int) (seq & MASK)];
    }

    @Override
    void checkTimeout(long now) {
        if (low < sseq && now - sendTime(low) > worker.timeoutNanos() && !isDead() && !worker.isStopped()) {
            censorOutstanding(now);
            fail(ErrorKind.TIMEOUT);
        }
    }

    @Override
    void finish(long end) {
        censorOutstanding(end);
    }

    /** Every request of the window still in flight at {@code at}, recorded as {@code at - send}. */
    private void censorOutstanding(long at) {
        for (long s = low; s < sseq; s++) {
            long sent = sendTime(s);
            if (sent >= at) {
                break;
            }
            if (!done[(int) (s & MASK)] && worker.sentInWindow(sent)) {
                recorder.recordCensored(at - sent);
            }
        }
    }
}
