package io.inetkit.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;

/**
 * "Read until EOF", the lecture's fifth way to end a message: when the peer shuts down its side
 * ({@code shutdown(SHUT_WR)}, {@code nc -N}), finish writing every echo and only then close.
 *
 * <p>Connections are accepted with {@code ALLOW_HALF_CLOSURE}, so an EOF does not close the socket
 * under the echoes still queued for the peer.
 */
@Sharable
final class HalfCloseHandler extends ChannelInboundHandlerAdapter {

    static final HalfCloseHandler INSTANCE = new HalfCloseHandler();

    private HalfCloseHandler() {
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
        ctx.fireUserEventTriggered(evt);
    }
}
