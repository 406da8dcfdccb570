package io.inetkit.client;

import io.inetkit.common.cli.UserException;
import io.inetkit.common.transport.Transport;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;

import java.util.concurrent.TimeUnit;

/** The one event loop of an echo client, TCP or UDP: its transport, its start and its end. */
final class ClientLoop {

    private ClientLoop() {
    }

    /** @throws UserException when {@code --transport} names none that works here */
    static Transport transport(String name) {
        return UserException.usage(() -> Transport.select(name).transport());
    }

    static EventLoopGroup newGroup(String transport) {
        return transport(transport).newGroup(1, "inetkit-client");
    }

    /** Closes {@code ch} (if any) and the loop, waiting a little for each. */
    static void close(EventLoopGroup group, Channel ch) {
        if (ch != null) {
            ch.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
}
