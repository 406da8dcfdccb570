package io.inetkit.client.load;

import io.inetkit.client.ProxyHeaderSender;
import io.inetkit.common.framing.Framing;
import io.inetkit.common.net.Cidr;
import io.inetkit.testing.InetEmbeddedChannel;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The load connection's pipeline, pinned by handler name, for TCP and UDP. */
class LoadInitializerTest {

    @Test
    void tcpAndUdpAreTheConnectionAlone() {
        for (boolean udp : new boolean[] {false, true}) {
            LoadSettings s = LoadSettings.builder(new InetSocketAddress("127.0.0.1", 9)).udp(udp).threads(1).build();
            EmbeddedChannel probe = new EmbeddedChannel();
            Worker w = new Worker(probe.eventLoop(), s, new MessagePattern(new Framing.Raw(), 16, null), new ErrorCounts());
            LoadConnection c = udp ? new UdpLoadConnection(w, 0) : new TcpLoadConnection(w, 0);
            EmbeddedChannel ch = new EmbeddedChannel(new LoadInitializer(c, null, null));
            assertThat(ch.pipeline().names()).first().isEqualTo(LoadInitializer.LOAD);
            assertThat(ch.pipeline().names().stream().filter(n -> !n.startsWith("DefaultChannelPipeline$")))
                    .containsExactly(LoadInitializer.LOAD);
            assertThat(ch.pipeline().get(LoadInitializer.LOAD)).isSameAs(c);
            ch.finishAndReleaseAll();
            probe.finishAndReleaseAll();
        }
    }

    /** With --proxy-protocol: the header pair first, gone once the connection is up, the header on the wire. */
    @Test
    void proxyHeaderPairLeadsUntilTheConnectionIsUp() {
        LoadSettings s = LoadSettings.builder(new InetSocketAddress("127.0.0.1", 9)).threads(1)
                .proxy(HAProxyProtocolVersion.V1, Cidr.parse("10.0.0.0/16")).build();
        EmbeddedChannel probe = new EmbeddedChannel();
        Worker w = new Worker(probe.eventLoop(), s, new MessagePattern(new Framing.Raw(), 16, null), new ErrorCounts());
        LoadConnection c = new TcpLoadConnection(w, 258);
        EmbeddedChannel ch = new InetEmbeddedChannel(s.target());
        ch.pipeline().addLast(new LoadInitializer(c, s.proxyHeader(258), null));
        assertThat(ch.pipeline().names().stream().filter(n -> !n.startsWith("DefaultChannelPipeline$")))
                .containsExactly(ProxyHeaderSender.ENCODER, ProxyHeaderSender.HEADER, LoadInitializer.LOAD);
        ch.pipeline().fireChannelActive();
        assertThat(ch.pipeline().names().stream().filter(n -> !n.startsWith("DefaultChannelPipeline$")))
                .containsExactly(LoadInitializer.LOAD);
        ByteBuf header = ch.readOutbound();
        assertThat(header.toString(StandardCharsets.US_ASCII)).isEqualTo("PROXY TCP4 10.0.1.2 127.0.0.1 1282 9\r\n");
        header.release();
        ch.finishAndReleaseAll();
        probe.finishAndReleaseAll();
    }
}
