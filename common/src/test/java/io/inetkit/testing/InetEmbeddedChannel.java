package io.inetkit.testing;

import io.netty.channel.embedded.EmbeddedChannel;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * An {@link EmbeddedChannel} whose peer is an IP address, as an accepted TCP connection's is (an embedded
 * channel's own is not an {@link InetSocketAddress}). Built without handlers: add them once the clock is set.
 */
public final class InetEmbeddedChannel extends EmbeddedChannel {

    private final InetSocketAddress remote;

    public InetEmbeddedChannel(InetSocketAddress remote) {
        this.remote = remote;
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return remote;
    }
}
