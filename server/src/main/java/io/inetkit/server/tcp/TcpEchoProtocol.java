package io.inetkit.server.tcp;

import io.inetkit.server.ServerContext;
import io.inetkit.server.stream.GracefulClose;
import io.inetkit.server.stream.ProxyHeaderHandler;
import io.inetkit.server.stream.StreamMeters;
import io.inetkit.server.stream.StreamProtocol;
import io.inetkit.server.tls.ServerTls;
import io.inetkit.server.tls.TlsFront;
import io.inetkit.server.tls.TlsMeters;

import io.inetkit.common.framing.Framing;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;

/**
 * The TCP echo of one framing ({@code --tcp 5005:line}), with a PROXY header first when {@code proxy}
 * ({@code --tcp 5005:line:proxy}), over TLS when {@code tls} is not null ({@code --tcp 5443:line:tls}): connections get the {@link TcpEchoInitializer} pipeline; a stop lets each
 * finish its echoes and half-close ({@link GracefulClose}).
 */
public record TcpEchoProtocol(Framing framing, boolean proxy, ServerTls tls) implements StreamProtocol {

    public TcpEchoProtocol {
        Objects.requireNonNull(framing, "framing");
    }

    /** Without PROXY header, without TLS. */
    public TcpEchoProtocol(Framing framing) {
        this(framing, false, null);
    }

    @Override
    public boolean proxyProtocol() {
        return proxy;
    }

    @Override
    public String name() {
        return "tcp";
    }

    @Override
    public String description() {
        return framing.spec() + (proxy ? ", PROXY header" : "") + (tls != null ? ", TLS" : "");
    }

    @Override
    public ChannelHandler newInitializer(StreamMeters meters, ServerContext context) {
        TlsFront front = tls == null ? null : new TlsFront(tls, new TlsMeters(context.metrics.registry(), meters.name),
                context.rateLimitedLog(LoggerFactory.getLogger(TlsFront.class)));
        return new TcpEchoInitializer(framing, meters, context.settings.limits().idleTimeout(),
                context.rateLimitedLog(FrameErrorHandler.log), ProxyHeaderHandler.requirement(meters, context, proxy), front);
    }

    @Override
    public void drain(Channel ch, Duration linger) {
        GracefulClose.close(ch, null, linger);
    }
}
