package io.inetkit.server.stream;

import io.inetkit.server.ServerContext;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;

import java.time.Duration;

/**
 * What a {@link StreamListener} speaks on its connections: the TCP echo of a framing, HTTP, HTTPS. The
 * listener binds, admits (limits, allow/deny), counts, and registers each connection for the drain; the
 * protocol gives each admitted connection its whole pipeline and says how one of its connections ends
 * gracefully when the server stops.
 */
public interface StreamProtocol {

    /** {@code tcp}, {@code http}, {@code https}: the first part of the listener's name ({@code tcp/5005}). */
    String name();

    /** What it speaks in detail, for the log line {@code listening on tcp 0.0.0.0:5005 (line:8192)}. */
    String description();

    /**
     * The handler that builds every connection's pipeline, once per listener (after its meters exist):
     * typically one {@code ChannelInitializer} that lists the whole route of a connection top to bottom, the
     * connection-level handlers ({@link StreamListener#IDLE}) included.
     */
    ChannelHandler newInitializer(StreamMeters meters, ServerContext context);

    /**
     * True when each connection starts with a PROXY protocol header ({@code --tcp 5005:line:proxy}): the
     * listening socket then admits the balancer, and the initializer's {@link ProxyHeaderHandler} the client.
     */
    default boolean proxyProtocol() {
        return false;
    }

    /**
     * Begins the graceful close of one connection during a stop: finish what is owed to the peer, then close
     * within {@code linger} (the server closes what is left at the drain deadline). Runs on the connection's
     * event loop.
     */
    void drain(Channel ch, Duration linger);
}
