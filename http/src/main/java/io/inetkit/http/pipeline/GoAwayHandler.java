package io.inetkit.http.pipeline;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2GoAwayFrame;

/** HTTP/2: a GOAWAY from the server marks the connection as not reusable; the frame goes on. */
final class GoAwayHandler extends ChannelInboundHandlerAdapter {

    private final ConnectionState state;

    GoAwayHandler(ConnectionState state) {
        this.state = state;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Http2GoAwayFrame) {
            state.goAway();
        }
        ctx.fireChannelRead(msg);
    }
}
