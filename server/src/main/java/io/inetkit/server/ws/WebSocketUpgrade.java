package io.inetkit.server.ws;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;

import java.util.function.Consumer;

/**
 * On an HTTP/1.1 connection of the HTTP listener: a request for {@link #PATH} (or below it) that asks to
 * upgrade to WebSocket turns the connection into a WebSocket echo, so that HTTP and WebSocket share one port
 * as httpbin-like services do. It takes the HTTP handlers out ({@code leaveHttp}), puts the
 * {@link WebSocketRoute} in its own place, and hands the request on to the route's handshake:
 *
 * <pre>
 *   GET /ws HTTP/1.1                  http-codec ─► ... ─► ws-upgrade ─► http-keepalive ─► ... ─► echo
 *   Upgrade: websocket          ==>   http-codec ─► ws-handshake ─► ws-deflate ─► ws ─► ws-aggregator ─► ws-echo
 *   Connection: Upgrade               (the 101, then Netty's frame codec in the HTTP codec's place)
 * </pre>
 *
 * Every other request passes on untouched. A connection that negotiated HTTP/2 has no WebSocket (RFC 8441's
 * extended CONNECT is not offered).
 */
public final class WebSocketUpgrade extends ChannelInboundHandlerAdapter {

    /** Where the HTTP listener takes the upgrade. */
    public static final String PATH = "/ws";

    private final WebSocketRoute route;
    private final Consumer<ChannelPipeline> leaveHttp;

    /** @param leaveHttp removes the HTTP/1.1 handlers (everything between the codec and this handler's successors) */
    public WebSocketUpgrade(WebSocketRoute route, Consumer<ChannelPipeline> leaveHttp) {
        this.route = route;
        this.leaveHttp = leaveHttp;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request && isUpgrade(request)) {
            ChannelPipeline p = ctx.pipeline();
            leaveHttp.accept(p);
            route.addAfter(p, ctx.name());
            p.remove(this);
        }
        ctx.fireChannelRead(msg);
    }

    static boolean isUpgrade(HttpRequest request) {
        String uri = request.uri();
        boolean path = uri.startsWith(PATH) && (uri.length() == PATH.length() || uri.charAt(PATH.length()) == '?'
                || uri.charAt(PATH.length()) == '/');
        return path && request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }
}
