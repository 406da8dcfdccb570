package io.inetkit.server.udp;

import io.inetkit.server.RateLimitedLog;
import io.inetkit.server.ServerSettings;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The order of a UDP echo socket's pipeline, by handler name. */
class UdpEchoInitializerTest {

    @Test
    void guardThenEcho() {
        DatagramMeters meters = new DatagramMeters(new SimpleMeterRegistry(), "udp/5005");
        ServerSettings.UdpGuard g = ServerSettings.UdpGuard.DEFAULT;
        UdpGuardHandler guard = new UdpGuardHandler(g, new SourceRateLimiter(g.ratePerSource(), g.maxSources()), meters,
                new RateLimitedLog(LoggerFactory.getLogger("test"), 5));
        UdpEchoInitializer init = new UdpEchoInitializer(guard, new UdpEchoHandler(meters));
        EmbeddedChannel a = new EmbeddedChannel(init);
        EmbeddedChannel b = new EmbeddedChannel(init);
        List<String> names = new ArrayList<>(a.pipeline().names());
        names.removeIf(n -> n.startsWith("DefaultChannelPipeline$"));
        assertThat(names).containsExactly(UdpEchoInitializer.GUARD, UdpEchoInitializer.ECHO);
        assertThat(names).containsExactly("guard", "echo");
        assertThat(a.pipeline().get(UdpEchoInitializer.GUARD)).isSameAs(b.pipeline().get(UdpEchoInitializer.GUARD));
        a.finishAndReleaseAll();
        b.finishAndReleaseAll();
    }
}
