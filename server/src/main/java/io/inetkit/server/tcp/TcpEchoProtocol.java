package io.inetkit.server.tcp;

import io.inetkit.server.ServerContext;
import io.inetkit.server.stream.GracefulClose;
import io.inetkit.server.stream.ProxyHeaderHandler;
import io.inetkit.server.stream.StreamMeters;
import io.inetkit.server.stream.StreamProtocol;

import io.inetkit.common.framing.Framing;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;

import java.time.Duration;
import java.util.Objects;

/**
 * The TCP echo of one framing ({@code --tcp 5005:line}), with a PROXY header first when {@code proxy}
 * ({@code --tcp 5005:line:proxy}): connections get the {@link TcpEchoInitializer} pipeline; a stop lets each
 * finish its echoes and half-close ({@link GracefulClose}).
 */
public record TcpEchoProtocol(Framing framing, boolean proxy) implements StreamProtocol {

    public TcpEchoProtocol {
        Objects.requireNonNull(framing, "framing");
    }

    /** Without PROXY header. */
    public TcpEchoProtocol(Framing framing) {
        this(framing, false);
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
        return proxy ? framing.spec() + ", PROXY header" : framing.spec();
    }

    @Override
    public ChannelHandler newInitializer(StreamMeters meters, ServerContext context) {
        return new TcpEchoInitializer(framing, meters, context.settings.limits().idleTimeout(),
                context.rateLimitedLog(FrameErrorHandler.log), ProxyHeaderHandler.requirement(meters, context, proxy));
    }

    @Override
    public void drain(Channel ch, Duration linger) {
        GracefulClose.close(ch, null, linger);
    }
}
