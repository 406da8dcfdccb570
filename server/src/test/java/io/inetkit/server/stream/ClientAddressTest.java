package io.inetkit.server.stream;

import io.inetkit.testing.InetEmbeddedChannel;

import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

import static org.assertj.core.api.Assertions.assertThat;

/** The one client address: the socket's peer, or what a PROXY header named, for a stream of it too. */
class ClientAddressTest {

    private static final InetSocketAddress BALANCER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);

    @Test
    void withoutAHeaderItIsTheSocketsPeerAndNoAttributeIsMade() {
        EmbeddedChannel ch = new InetEmbeddedChannel(BALANCER);
        assertThat((SocketAddress) ClientAddress.of(ch)).isEqualTo(BALANCER);
        assertThat(ch.hasAttr(ClientAddress.KEY)).isFalse();
        ch.finishAndReleaseAll();
    }

    /** An HTTP/2 stream is a child channel of the connection: its client is the connection's. */
    @Test
    void aStreamOfAProxiedConnectionHasTheHeadersClient() throws Exception {
        EmbeddedChannel connection = new InetEmbeddedChannel(BALANCER);
        InetSocketAddress client = new InetSocketAddress(InetAddress.getByName("203.0.113.7"), 5555);
        ClientAddress.set(connection, client);
        EmbeddedChannel stream = new EmbeddedChannel(connection, DefaultChannelId.newInstance(), true, false);
        assertThat((SocketAddress) ClientAddress.of(connection)).isEqualTo(client);
        assertThat((SocketAddress) ClientAddress.of(stream)).isEqualTo(client);
        stream.finishAndReleaseAll();
        connection.finishAndReleaseAll();
    }
}
