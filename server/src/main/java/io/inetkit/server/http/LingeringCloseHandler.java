package io.inetkit.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * A close while the client is still sending a request body becomes a lingering close (RFC 9112 §9.6), as
 * nginx's {@code lingering_close} does. Closing a socket with unread input makes the kernel answer with a
 * reset, and a reset can destroy the response the client has not read yet: the 413 or the 503 that said why
 * its body was refused. So the output is shut down (the response, then a FIN), and the rest of the body is
 * read and dropped until the client has sent it all or closes, or until it has been silent for
 * {@link #QUIET_NANOS} (nginx's {@code lingering_timeout}, 5 s), and at most {@link #MAX_NANOS} in all
 * ({@code lingering_time}, 30 s).
 *
 * <pre>
 *   POST /post, Content-Length: 2000000 ─► 413, connection: close ─► close() with the body unfinished:
 *     shutdownOutput (FIN after the 413) ─► read and drop ─► the body's end, the client's FIN, 5 s quiet or 30 s ─► close
 * </pre>
 *
 * A close with no body in flight is passed on at once. Sits right after {@code http-codec}, so it sees where a
 * request body ends, and every close the handlers after it ask for; cleartext only, since over TLS a FIN
 * without the session's close_notify would be a truncation.
 */
final class LingeringCloseHandler extends ChannelDuplexHandler {

    static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(5);
    static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** A request head was read and its body's end was not. */
    private boolean bodyInFlight;
    private boolean lingering;
    private long lingerEnd;
    private ScheduledFuture<?> quiet;
    private ChannelPromise closePromise;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (lingering) {
            boolean end = msg instanceof LastHttpContent;
            ReferenceCountUtil.release(msg);
            if (end) {
                closeNow(ctx); // the client sent it all: it reads the answer now, without a reset
            } else {
                scheduleQuiet(ctx);
            }
            return;
        }
        if (msg instanceof HttpRequest) {
            bodyInFlight = true;
        }
        if (msg instanceof LastHttpContent) {
            bodyInFlight = false;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (lingering) {
            promise.unvoid();
            ctx.channel().closeFuture().addListener(f -> promise.trySuccess());
            return;
        }
        if (!bodyInFlight || !(ctx.channel() instanceof DuplexChannel duplex) || !ctx.channel().isActive()) {
            ctx.close(promise);
            return;
        }
        lingering = true;
        closePromise = promise;
        lingerEnd = ctx.executor().ticker().nanoTime() + MAX_NANOS;
        // once everything written before is on the wire (writes complete in order): a shutdown drops what is
        // queued. The empty buffer goes in at the socket's end of the pipeline, past the HTTP encoder.
        ctx.pipeline().firstContext().writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> duplex.shutdownOutput());
        ctx.channel().config().setAutoRead(true); // a /delay or the aggregator may have stopped reading
        ctx.read();
        scheduleQuiet(ctx);
    }

    private void scheduleQuiet(ChannelHandlerContext ctx) {
        if (quiet != null) {
            quiet.cancel(false);
        }
        long left = Math.min(QUIET_NANOS, lingerEnd - ctx.executor().ticker().nanoTime());
        quiet = ctx.executor().schedule(() -> closeNow(ctx), Math.max(0, left), TimeUnit.NANOSECONDS);
    }

    private void closeNow(ChannelHandlerContext ctx) {
        if (quiet != null) {
            quiet.cancel(false);
            quiet = null;
        }
        ctx.close(closePromise.isVoid() ? ctx.newPromise() : closePromise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (quiet != null) {
            quiet.cancel(false); // the client closed first, or the server did
        }
        ctx.fireChannelInactive();
    }
}
