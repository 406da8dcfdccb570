package io.inetkit.server.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * HTTP/1.1's part of a stop: a keep-alive connection with no request in flight closes at once; one with a
 * request in flight finishes its response, which says {@code Connection: close}, and then closes.
 *
 * <pre>
 *   GET /delay/1 ──►            (stop begins)            ◄── HTTP/1.1 200 OK
 *                                                             connection: close
 *                                                             ...body...        then FIN
 * </pre>
 *
 * It sits after {@code http-keepalive}, which does the closing once it sees the {@code close}.
 */
final class HttpDrainHandler extends ChannelDuplexHandler {

    private ChannelHandlerContext ctx;
    /** Requests read whose response has not been written to the end yet. */
    private int inFlight;
    private boolean draining;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            inFlight++;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse r && r.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
            ctx.write(msg, promise); // 100 Continue: the request is still in flight
            return;
        }
        if (draining && msg instanceof HttpResponse r) {
            HttpUtil.setKeepAlive(r, false);
        }
        if (msg instanceof LastHttpContent) {
            inFlight = Math.max(0, inFlight - 1);
            if (draining && inFlight == 0) {
                ctx.write(msg, promise.unvoid()).addListener(ChannelFutureListener.CLOSE);
                return;
            }
        }
        ctx.write(msg, promise);
    }

    /** Begins the drain of this connection; on its event loop. */
    void drain() {
        draining = true;
        if (inFlight <= 0) {
            ctx.close();
        }
    }
}
