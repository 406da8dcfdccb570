package io.inetkit.server.tcp;

import io.inetkit.server.ServerContext;
import io.inetkit.server.stream.GracefulClose;
import io.inetkit.server.stream.StreamMeters;
import io.inetkit.server.stream.StreamProtocol;

import io.inetkit.common.framing.Framing;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;

import java.time.Duration;
import java.util.Objects;

/**
 * The TCP echo of one framing ({@code --tcp 5005:line}): connections get the {@link TcpEchoInitializer}
 * pipeline; a stop lets each finish its echoes and half-close ({@link GracefulClose}).
 */
public record TcpEchoProtocol(Framing framing) implements StreamProtocol {

    public TcpEchoProtocol {
        Objects.requireNonNull(framing, "framing");
    }

    @Override
    public String name() {
        return "tcp";
    }

    @Override
    public String description() {
        return framing.spec();
    }

    @Override
    public ChannelHandler newInitializer(StreamMeters meters, ServerContext context) {
        return new TcpEchoInitializer(framing, meters, context.settings.limits().idleTimeout(),
                context.rateLimitedLog(FrameErrorHandler.log));
    }

    @Override
    public void drain(Channel ch, Duration linger) {
        GracefulClose.close(ch, null, linger);
    }
}
