package io.inetkit.client.load;

import io.inetkit.common.framing.Framing;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

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
            EmbeddedChannel ch = new EmbeddedChannel(new LoadInitializer(c));
            assertThat(ch.pipeline().names()).first().isEqualTo(LoadInitializer.LOAD);
            assertThat(ch.pipeline().names().stream().filter(n -> !n.startsWith("DefaultChannelPipeline$")))
                    .containsExactly(LoadInitializer.LOAD);
            assertThat(ch.pipeline().get(LoadInitializer.LOAD)).isSameAs(c);
            ch.finishAndReleaseAll();
            probe.finishAndReleaseAll();
        }
    }
}
