package io.inetkit.http.pipeline;

import io.inetkit.http.CurlException;
import io.inetkit.http.Failures;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;

import java.util.function.Supplier;

/**
 * The end of a pipeline: the (decoded) body to the exchange, and how the stream or the connection ended
 * (a close, a reset, an exception nothing before handled). Everything else that gets here (HTTP/2
 * SETTINGS and PING frames, which the frame codec answered already) is released.
 */
final class ExchangeHandler extends ChannelInboundHandlerAdapter {

    private final Supplier<Exchange> exchange;

    ExchangeHandler(Supplier<Exchange> exchange) {
        this.exchange = exchange;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            Exchange ex = exchange.get();
            if (ex != null && msg instanceof HttpContent content) {
                ex.onBody(content.content());
                if (msg instanceof LastHttpContent) {
                    ex.onEnd();
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        Exchange ex = exchange.get();
        if (evt instanceof Http2ResetFrame reset && ex != null) {
            Http2Error error = Http2Error.valueOf(reset.errorCode());
            ex.fail(new CurlException(CurlException.HTTP2_STREAM, "HTTP/2 stream " + reset.stream().id()
                    + " was reset by the server: " + reset.errorCode() + " ("
                    + (error == null ? "unknown error" : error.name()) + ")"));
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Exchange ex = exchange.get();
        if (ex != null) {
            ex.onClosed();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Exchange ex = exchange.get();
        if (ex != null) {
            ex.fail(Failures.receive(cause, ex.target()));
        }
        ctx.close();
    }
}
