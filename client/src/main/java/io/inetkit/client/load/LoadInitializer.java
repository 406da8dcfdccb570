package io.inetkit.client.load;

import io.inetkit.client.ProxyHeaderSender;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;

/**
 * The pipeline of one load connection, TCP or UDP: the connection itself, alone. Its echo is the same
 * frame byte for byte, so the received stream is checked against the sent one as it comes, with no
 * decoder and no copy, and what it sends is built whole, framing included, by {@link MessagePattern}.
 *
 * <pre>
 *  socket ──► [proxy-encoder ──► proxy-header] ──► load (TcpLoadConnection / UdpLoadConnection)
 *              │                                  └ writes the batches, verifies every echoed byte, records the latency
 *              └ --proxy-protocol: the PROXY header with this connection's synthetic source, then both leave
 *                ({@link ProxyHeaderSender}): the messages pass no handler but the connection's
 * </pre>
 */
final class LoadInitializer extends ChannelInitializer<Channel> {

    /** The one handler: the {@link LoadConnection}. */
    static final String LOAD = "load";

    private final LoadConnection connection;
    private final ProxyHeaderSender proxy;

    /** @param proxy the PROXY header to send first, or null for none */
    LoadInitializer(LoadConnection connection, ProxyHeaderSender proxy) {
        this.connection = connection;
        this.proxy = proxy;
    }

    @Override
    protected void initChannel(Channel ch) {
        if (proxy != null) {
            proxy.addTo(ch.pipeline()); // ProxyHeaderSender.ENCODER, ProxyHeaderSender.HEADER
        }
        ch.pipeline().addLast(LOAD, connection);
    }
}
