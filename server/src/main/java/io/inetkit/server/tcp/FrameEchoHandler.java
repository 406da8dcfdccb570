package io.inetkit.server.tcp;

import io.inetkit.server.stream.GracefulClose;
import io.inetkit.server.stream.StreamMeters;

import io.inetkit.common.framing.FrameRun;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.WrappedByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * Echoes each inbound frame back as it came, framing bytes included. A {@link FrameRun} (the whole frames
 * of one read) goes back as one write. A frame that is a slice of the decoder's cumulation is copied first
 * ({@link #unpinned}), so what waits for a slow peer is its bytes, not the buffers they were cut from.
 *
 * <p>Writes in {@code channelRead} and flushes once per read batch in {@code channelReadComplete}.
 * Respects writability: when the peer does not read its echoes and the outbound buffer passes the high
 * water mark, the connection stops reading until it drains below the low one, so a peer that only sends
 * can never grow the server's memory. A connection that is {@linkplain GracefulClose closing} drops its
 * input instead.
 *
 * <p>"Read until EOF", the lecture's fifth way to end a message: when the peer shuts down its side
 * ({@code shutdown(SHUT_WR)}, {@code nc -N}), it finishes writing every echo and only then closes. Connections
 * are accepted with {@code ALLOW_HALF_CLOSURE}, so an EOF does not close the socket under the echoes still
 * queued for the peer. (This is part of the echo rather than a handler of its own: every handler is one more
 * context in the pipeline of each of a million idle connections.)
 *
 * <p>Stateless per connection, so one instance serves a listener.
 */
@Sharable
final class FrameEchoHandler extends ChannelInboundHandlerAdapter {

    private final StreamMeters meters;

    FrameEchoHandler(StreamMeters meters) {
        this.meters = meters;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame;
        int frames;
        if (msg instanceof ByteBuf buf) {
            frame = buf;
            frames = 1;
        } else if (msg instanceof FrameRun run) {
            frame = run.content();
            frames = run.frames();
        } else {
            ctx.fireChannelRead(msg);
            return;
        }
        int size = frame.readableBytes();
        if (GracefulClose.isClosing(ctx.channel())) {
            meters.discardedBytes.increment(size);
            ReferenceCountUtil.release(frame);
            return;
        }
        meters.frameIn(frames, size);
        ctx.write(unpinned(ctx, frame), ctx.voidPromise());
        meters.frameOut(frames, size);
        if (!ctx.channel().isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    /**
     * A frame that is a slice of its decoder's cumulation keeps the whole cumulation (up to twice a read) alive
     * while it waits in the outbound buffer; a peer that does not read keeps it there. Such a frame goes out as
     * a copy of its own bytes, and the cumulation is free once decoded. A buffer of its own (raw, or a run that
     * is a whole read) goes out as it came.
     */
    static ByteBuf unpinned(ChannelHandlerContext ctx, ByteBuf frame) {
        ByteBuf b = frame;
        while (b instanceof WrappedByteBuf) { // leak detection's wrapper: what is inside decides
            b = b.unwrap();
        }
        if (b.unwrap() == null) {
            return frame;
        }
        try {
            return ctx.alloc().buffer(frame.readableBytes()).writeBytes(frame);
        } finally {
            frame.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && !GracefulClose.isClosing(ctx.channel())) {
            ctx.channel().config().setAutoRead(true);
        } else if (!ctx.channel().isWritable()) {
            ctx.flush(); // push what is queued; reading resumes once the peer takes it
        }
        ctx.fireChannelWritabilityChanged();
    }
}
