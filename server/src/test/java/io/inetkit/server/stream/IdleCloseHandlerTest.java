package io.inetkit.server.stream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The idle timeout on an EmbeddedChannel whose clock the test moves. */
class IdleCloseHandlerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(300);

    private final StreamMeters meters = new StreamMeters(new SimpleMeterRegistry(), "tcp/5005", "raw", false);
    private final MockTicker ticker = Ticker.newMockTicker();

    private EmbeddedChannel channel() {
        return EmbeddedChannel.builder().ticker(ticker)
                .handlers(new IdleCloseHandler(meters, TIMEOUT.toNanos())).build();
    }

    private void advance(EmbeddedChannel ch, Duration d) {
        ticker.advance(d.toNanos(), TimeUnit.NANOSECONDS);
        ch.runScheduledPendingTasks();
    }

    @Test
    void aSilentConnectionIsClosedAtTheTimeoutAndNotBefore() {
        EmbeddedChannel ch = channel();
        advance(ch, TIMEOUT.minusSeconds(1));
        assertThat(ch.isOpen()).isTrue();
        advance(ch, Duration.ofSeconds(1));
        assertThat(ch.isOpen()).isFalse();
        assertThat(meters.idleClosed.count()).isEqualTo(1);
    }

    @Test
    void eachReadStartsTheTimeoutAgain() {
        EmbeddedChannel ch = channel();
        for (int i = 0; i < 5; i++) {
            advance(ch, TIMEOUT.minusSeconds(10));
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {'x'})); // a read batch: read + read complete
            ((io.netty.buffer.ByteBuf) ch.readInbound()).release();
        }
        assertThat(ch.isOpen()).isTrue();
        advance(ch, TIMEOUT.minusSeconds(1));
        assertThat(ch.isOpen()).isTrue();
        advance(ch, Duration.ofSeconds(1));
        assertThat(ch.isOpen()).isFalse();
        assertThat(meters.idleClosed.count()).isEqualTo(1);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aClosedConnectionIsNotCountedAsIdle() {
        EmbeddedChannel ch = channel();
        ch.close();
        advance(ch, TIMEOUT.multipliedBy(2));
        assertThat(meters.idleClosed.count()).isZero();
    }

    @Test
    void aTimeoutMustBePositive() {
        assertThatThrownBy(() -> new IdleCloseHandler(meters, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
    }
}
