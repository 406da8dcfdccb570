package io.inetkit.http.pipeline;

import io.inetkit.http.Failures;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;

import java.util.function.Supplier;

/**
 * Right after the decoder: reports the response head as received (before a decompressor rewrites its
 * headers) and counts body bytes as they came; a response the decoder refused ends the exchange.
 */
final class ResponseObserver extends ChannelInboundHandlerAdapter {

    private final Supplier<Exchange> exchange;
    private final String protocol;
    private final int maxHeaderSize;

    /** @param protocol {@code HTTP/1.1}, or {@code HTTP/2} for a stream's responses */
    ResponseObserver(Supplier<Exchange> exchange, String protocol, int maxHeaderSize) {
        this.exchange = exchange;
        this.protocol = protocol;
        this.maxHeaderSize = maxHeaderSize;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Exchange ex = exchange.get();
        if (msg instanceof HttpObject o && o.decoderResult().isFailure()) {
            ReferenceCountUtil.release(msg);
            if (ex != null) {
                ex.fail(Failures.decode(o.decoderResult().cause(), maxHeaderSize));
            }
            ctx.close();
            return;
        }
        if (ex == null) {
            ReferenceCountUtil.release(msg); // nothing was asked: a server talking out of turn
            ctx.close();
            return;
        }
        if (msg instanceof HttpResponse response) {
            ex.onHead(copyForOutput(response), protocol);
        }
        if (msg instanceof HttpContent content) {
            ex.onBodyReceived(content.content().readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * The head with its headers as received. From HTTP/2, Netty's conversion adds x-http2-* bookkeeping
     * and a transfer-encoding that HTTP/2 forbids on the wire: those are left out.
     */
    private HttpResponse copyForOutput(HttpResponse response) {
        boolean http2 = protocol.equals(HttpClientInitializer.PROTOCOL_HTTP_2);
        DefaultHttpResponse copy = new DefaultHttpResponse(response.protocolVersion(), response.status());
        response.headers().forEach(h -> {
            boolean synthetic = http2 && (h.getKey().regionMatches(true, 0, "x-http2-", 0, 8)
                    || h.getKey().equalsIgnoreCase("transfer-encoding"));
            if (!synthetic) {
                copy.headers().add(h.getKey(), h.getValue());
            }
        });
        return copy;
    }
}
