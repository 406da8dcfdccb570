package io.inetkit.client.load;

import io.inetkit.client.ProxyHeaderSender;
import io.inetkit.client.TlsOptions;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;

/**
 * The pipeline of one load connection, TCP or UDP: the connection itself, alone. Its echo is the same
 * frame byte for byte, so the received stream is checked against the sent one as it comes, with no
 * decoder and no copy, and what it sends is built whole, framing included, by {@link MessagePattern}.
 *
 * <pre>
 *  socket ──► [proxy-encoder ──► proxy-header] ──► [tls] ──► load (TcpLoadConnection / UdpLoadConnection)
 *              │                                  └ writes the batches, verifies every echoed byte, records the latency
 *              └ --proxy-protocol: the PROXY header with this connection's synthetic source, then both leave
 *                ({@link ProxyHeaderSender}): the messages pass no handler but the connection's (and TLS's)
 *  tls: with --tls, Netty's SslHandler; the connection counts as up once its handshake is done
 * </pre>
 */
final class LoadInitializer extends ChannelInitializer<Channel> {

    /** The one handler: the {@link LoadConnection}. */
    static final String LOAD = "load";

    /** The TLS handler, before {@link #LOAD}. */
    static final String TLS = "tls";

    private final LoadConnection connection;
    private final ProxyHeaderSender proxy;
    private final LoadSettings tls;

    /**
     * @param proxy the PROXY header to send first, or null for none
     * @param tls   the settings whose {@link LoadSettings#tls()} makes the TLS handler, or null for none
     */
    LoadInitializer(LoadConnection connection, ProxyHeaderSender proxy, LoadSettings tls) {
        this.connection = connection;
        this.proxy = proxy;
        this.tls = tls == null || tls.tls() == null ? null : tls;
    }

    @Override
    protected void initChannel(Channel ch) {
        if (proxy != null) {
            proxy.addTo(ch.pipeline()); // ProxyHeaderSender.ENCODER, ProxyHeaderSender.HEADER
        }
        if (tls != null) {
            ch.pipeline().addLast(TLS, TlsOptions.newHandler(tls.tls(), ch.alloc(), tls.serverName(),
                    tls.target().getHostString(), tls.target().getPort(), tls.tlsResume()));
        }
        ch.pipeline().addLast(LOAD, connection);
    }
}
