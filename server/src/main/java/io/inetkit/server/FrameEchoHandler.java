package io.inetkit.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * Echoes each inbound frame back as it came: the same buffer, framing bytes included, no copy.
 *
 * <p>Writes in {@code channelRead} and flushes once per read batch in {@code channelReadComplete}.
 * Respects writability: when the peer does not read its echoes and the outbound buffer passes the high
 * water mark, the connection stops reading until it drains below the low one, so a peer that only sends
 * can never grow the server's memory. A connection that is {@linkplain GracefulClose closing} drops its
 * input instead. Stateless per connection, so one instance serves a listener.
 */
@Sharable
final class FrameEchoHandler extends ChannelInboundHandlerAdapter {

    private final StreamMeters meters;

    FrameEchoHandler(StreamMeters meters) {
        this.meters = meters;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        int size = frame.readableBytes();
        if (GracefulClose.isClosing(ctx.channel())) {
            meters.discardedBytes.increment(size);
            ReferenceCountUtil.release(frame);
            return;
        }
        meters.frameIn(size);
        ctx.write(frame, ctx.voidPromise());
        meters.frameOut(size);
        if (!ctx.channel().isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
        ctx.fireChannelReadComplete();
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
