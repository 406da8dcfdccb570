package io.inetkit.server.http;

import io.inetkit.server.stream.ClientAddress;

import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2PingFrame;
import io.netty.handler.codec.http2.Http2SettingsAckFrame;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts an HTTP/2 connection that floods SETTINGS or PING frames: each one costs the server an answer (Netty's
 * frame codec acknowledges it before this handler sees it) and carries no request, so a peer can keep the
 * event loop and the outbound queue busy for nothing. Netty bounds the other floods itself: empty DATA
 * ({@code decoderEnforceMaxConsecutiveEmptyDataFrames}), RST_STREAM (rapid reset, CVE-2023-44487), small
 * CONTINUATION frames, and acknowledgements a non-reading peer leaves queued.
 * <pre>
 *   peer ─► SETTINGS, PING, SETTINGS ACK, PING ACK ... ─► http2-frame-codec (acks) ─► http2-multiplexer ─► http2-flood
 *
 *   more than maxFrames of them within one window:
 *   ◄─ GOAWAY  00 00 08+n │ 07 │ 00 │ 00 00 00 00 │ last-stream-id │ 00 00 00 0b (ENHANCE_YOUR_CALM) │ "control frame flood"
 *      and close at once; counted in inetkit_http2_floods_total, logged at DEBUG
 * </pre>
 * The window is fixed, not sliding: the count starts again {@code windowNanos} after the window's first frame.
 * A client's own SETTINGS and its keep-alive PINGs (gRPC sends one a few minutes at most) stay far below it.
 */
final class Http2ControlFloodHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(Http2ControlFloodHandler.class);

    private final int maxFrames;
    private final long windowNanos;
    private final Counter floods;
    private long windowStart;
    private int seen;
    private boolean cut;

    Http2ControlFloodHandler(int maxFrames, long windowNanos, Counter floods) {
        if (maxFrames < 1 || windowNanos < 1) {
            throw new IllegalArgumentException("maxFrames and windowNanos must be > 0: " + maxFrames + ", " + windowNanos);
        }
        this.maxFrames = maxFrames;
        this.windowNanos = windowNanos;
        this.floods = floods;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Http2SettingsFrame || msg instanceof Http2SettingsAckFrame || msg instanceof Http2PingFrame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        // acknowledged already, and nothing further up the pipeline needs them
        ReferenceCountUtil.release(msg);
        if (cut) {
            return;
        }
        long now = ctx.executor().ticker().nanoTime();
        if (seen == 0 || now - windowStart >= windowNanos) {
            windowStart = now;
            seen = 0;
        }
        if (++seen > maxFrames) {
            cut = true;
            floods.increment();
            log.debug("{}: more than {} SETTINGS and PING frames in {} ms, closing with ENHANCE_YOUR_CALM",
                    ClientAddress.of(ctx.channel()), maxFrames, windowNanos / 1_000_000);
            ctx.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.ENHANCE_YOUR_CALM,
                    ByteBufUtil.writeAscii(ctx.alloc(), "control frame flood")));
            // at once, not when the GOAWAY is out: a flooder that does not read has filled the socket with our
            // acks, and until the close the codec would read and acknowledge everything else it sends
            ctx.channel().config().setAutoRead(false);
            ctx.close();
        }
    }
}
