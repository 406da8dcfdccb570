package io.inetkit.server.ws;

import io.inetkit.server.stream.IdleCloseHandler;
import io.inetkit.server.stream.ProxyHeaderHandler;
import io.inetkit.server.stream.StreamMeters;
import io.inetkit.server.tls.TlsFront;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;

import java.time.Duration;

/**
 * The whole pipeline of one connection of a {@code --ws PORT[:PATH]} listener.
 *
 * <pre>
 *   socket ─► [proxy-decoder ─► proxy-header] ─► idle ─► [tls ─► tls-handshake] ─► http ─► (the WebSocket route)
 *
 *   proxy-decoder, proxy-header: only on a {@code :proxy} listener ({@code ProxyHeaderHandler})
 *   idle:  the server's --idle-timeout ({@code IdleCloseHandler}); absent for 0
 *   tls, tls-handshake: only on a {@code :tls} listener, wss ({@code TlsFront})
 *   http:  the opening handshake's HTTP/1.1 codec, until the 101
 *   the WebSocket route: {@link WebSocketRoute}
 * </pre>
 */
final class WebSocketEchoInitializer extends ChannelInitializer<Channel> {

    static final String HTTP = "http";

    private final ProxyHeaderHandler.Requirement proxy;
    private final IdleCloseHandler.Timeout idle;
    private final TlsFront tls;
    private final WebSocketRoute route;

    WebSocketEchoInitializer(String path, int maxMessage, StreamMeters stream, WebSocketMeters meters,
                             Duration idleTimeout, ProxyHeaderHandler.Requirement proxy, TlsFront tls) {
        this.proxy = proxy;
        this.idle = IdleCloseHandler.timeout(stream, idleTimeout);
        this.tls = tls;
        this.route = new WebSocketRoute(path, maxMessage, stream, meters);
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        proxy.addTo(p); // PROXY_DECODER, PROXY_HEADER
        idle.addTo(p); // IDLE
        if (tls != null) {
            tls.addTo(p); // TlsFront.TLS, TlsFront.HANDSHAKE
        }
        p.addLast(HTTP, new HttpServerCodec(WebSocketRoute.MAX_HANDSHAKE, WebSocketRoute.MAX_HANDSHAKE, 8192));
        route.addAfter(p, HTTP);
    }
}
