package io.inetkit.http.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.function.Supplier;

/** {@code --raw}: hands the bytes as read to the exchange, before the HTTP decoder sees them. */
final class RawTeeHandler extends ChannelInboundHandlerAdapter {

    private final Supplier<Exchange> exchange;

    RawTeeHandler(Supplier<Exchange> exchange) {
        this.exchange = exchange;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Exchange ex = exchange.get();
        if (ex != null && msg instanceof ByteBuf bytes) {
            ex.onRaw(bytes);
        }
        ctx.fireChannelRead(msg);
    }
}
