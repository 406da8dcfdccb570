package io.inetkit.server.admin;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The order of an admin connection's pipeline, by handler name. */
class AdminInitializerTest {

    @Test
    void readTimeoutHttpKeepAliveAggregatorAdmin() {
        EmbeddedChannel ch = new EmbeddedChannel(new AdminInitializer(new AdminHandler(() -> "", () -> true)));
        List<String> names = new ArrayList<>(ch.pipeline().names());
        names.removeIf(n -> n.startsWith("DefaultChannelPipeline$"));
        assertThat(names).containsExactly(AdminInitializer.READ_TIMEOUT, AdminInitializer.HTTP,
                AdminInitializer.KEEP_ALIVE, AdminInitializer.AGGREGATOR, AdminInitializer.ADMIN);
        assertThat(names).containsExactly("read-timeout", "http", "keep-alive", "aggregator", "admin");
        ch.finishAndReleaseAll();
    }
}
