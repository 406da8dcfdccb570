package io.inetkit.server;

import io.inetkit.server.admin.AdminListener;
import io.inetkit.server.stream.StreamListener;
import io.inetkit.server.stream.StreamProtocol;
import io.inetkit.server.udp.DatagramListener;

import java.net.InetSocketAddress;

/**
 * One thing an {@link EchoServer} serves on: a TCP listener ({@link StreamListener}), a UDP listener
 * ({@link DatagramListener}), the admin listener ({@link AdminListener}). The server starts its listeners
 * in order, and on stop closes them (so nothing new arrives), drains the connections they accepted, and
 * then shuts the event loops down.
 *
 * <p>A new TCP protocol (HTTP, say) is a {@link StreamListener} of a new {@link StreamProtocol}: its
 * initializer lists the connection's whole pipeline, and the listener gives it the limits, allow/deny,
 * metrics and drain of the others. Anything else is a new implementation of this.
 */
public interface Listener {

    /**
     * Binds and starts serving; returns once bound.
     *
     * @throws ServerStartException when it cannot bind; nothing of it stays bound then
     */
    void start(ServerContext context);

    /** {@code tcp/5005}: the protocol and the bound port (known once started). */
    String name();

    /** The bound address; null before {@link #start}. */
    InetSocketAddress localAddress();

    /** Stops accepting (or receiving) and waits until the sockets are closed. Idempotent. */
    void close();

    /** One line of the stop report: what it served. */
    String summary();
}
