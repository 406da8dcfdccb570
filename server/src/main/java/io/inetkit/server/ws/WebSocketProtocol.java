package io.inetkit.server.ws;

import io.inetkit.server.ServerContext;
import io.inetkit.server.stream.ProxyHeaderHandler;
import io.inetkit.server.stream.StreamMeters;
import io.inetkit.server.stream.StreamProtocol;
import io.inetkit.server.tls.ServerTls;
import io.inetkit.server.tls.TlsFront;
import io.inetkit.server.tls.TlsMeters;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;

/**
 * The WebSocket echo ({@code --ws 8080}, {@code --ws 8080:/echo}, {@code --ws 8443:/echo:tls} for wss) as
 * one more protocol of a {@code StreamListener}: its connections pass the server's limits, idle timeout,
 * drain and per-listener metrics as the TCP echo's do. The pipeline is {@link WebSocketEchoInitializer}'s.
 *
 * <p>A stop ({@link #drain}): an upgraded connection gets a close frame 1001 (going away) and closes when
 * the client answers with its close, or at the drain deadline; one still in its opening handshake closes.
 *
 * @param path       where the upgrade is taken, and below it ({@code /} takes every path)
 * @param maxMessage the largest message, reassembled and inflated, in bytes
 * @param proxy      each connection starts with a PROXY protocol header
 * @param tls        the listener's certificates, or null for cleartext ws
 */
public record WebSocketProtocol(String path, int maxMessage, boolean proxy, ServerTls tls) implements StreamProtocol {

    public WebSocketProtocol {
        Objects.requireNonNull(path, "path");
    }

    @Override
    public boolean proxyProtocol() {
        return proxy;
    }

    @Override
    public String name() {
        return tls == null ? "ws" : "wss";
    }

    @Override
    public String description() {
        return "WebSocket echo on " + path + ", messages up to " + maxMessage + " bytes"
                + (proxy ? ", PROXY header" : "") + (tls != null ? ", TLS" : "");
    }

    @Override
    public ChannelHandler newInitializer(StreamMeters meters, ServerContext context) {
        TlsFront front = tls == null ? null : new TlsFront(tls, new TlsMeters(context.metrics.registry(), meters.name),
                context.rateLimitedLog(LoggerFactory.getLogger(TlsFront.class)));
        return new WebSocketEchoInitializer(path, maxMessage, meters,
                new WebSocketMeters(context.metrics.registry(), meters.name), context.settings.limits().idleTimeout(),
                ProxyHeaderHandler.requirement(meters, context, proxy), front);
    }

    @Override
    public void drain(Channel ch, Duration linger) {
        if (!WebSocketRoute.upgraded(ch)) {
            ch.close(); // still in the opening handshake: nothing is owed
            return;
        }
        WebSocketRoute.drain(ch, linger);
    }
}
