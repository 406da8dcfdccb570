package io.inetkit.client;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class IdleTimeoutHandlerTest {

    private final StringWriter err = new StringWriter();

    @Test
    void aConnectionWithoutTrafficForTheTimeoutIsClosedWithALine() {
        IdleTimeoutHandler idle = new IdleTimeoutHandler(Duration.ofMillis(300), new PrintWriter(err));
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast(idle.newIdleState(), idle);
        ch.advanceTimeBy(200, TimeUnit.MILLISECONDS);
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {'a'})); // traffic: the wait starts again
        ch.advanceTimeBy(200, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).as("400 ms in, but only 200 without traffic").isTrue();
        ch.advanceTimeBy(150, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isFalse();
        assertThat(err.toString()).contains("no traffic for 300ms (-w): closing");
        ch.finishAndReleaseAll();
    }
}
