package io.inetkit.client.load;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;

/**
 * The pipeline of one load connection, TCP or UDP: the connection itself, alone. Its echo is the same
 * frame byte for byte, so the received stream is checked against the sent one as it comes, with no
 * decoder and no copy, and what it sends is built whole, framing included, by {@link MessagePattern}.
 *
 * <pre>
 *  socket ──► load (TcpLoadConnection / UdpLoadConnection)
 *             └ writes the batches, verifies every echoed byte, records the latency
 * </pre>
 */
final class LoadInitializer extends ChannelInitializer<Channel> {

    /** The one handler: the {@link LoadConnection}. */
    static final String LOAD = "load";

    private final LoadConnection connection;

    LoadInitializer(LoadConnection connection) {
        this.connection = connection;
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.pipeline().addLast(LOAD, connection);
    }
}
