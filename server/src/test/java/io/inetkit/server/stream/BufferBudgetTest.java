package io.inetkit.server.stream;

import io.inetkit.server.RateLimitedLog;

import io.inetkit.common.framing.Cumulating;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The budget over connections: what each holds, the sum, and who is closed past it. */
class BufferBudgetTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void release() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    /** A connection whose peer has not taken {@code queued} bytes of echoes (written, never flushed to it). */
    private EmbeddedChannel holding(int queued) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.write(Unpooled.buffer(queued).writeZero(queued));
        channels.add(ch);
        return ch;
    }

    /** A decoder that holds an unfinished frame in a buffer of {@code bytes}. */
    private static final class HoldingDecoder extends ChannelInboundHandlerAdapter implements Cumulating {
        private final int bytes;

        HoldingDecoder(int bytes) {
            this.bytes = bytes;
        }

        @Override
        public int cumulatedBytes() {
            return bytes;
        }
    }

    private BufferBudget budget(long max) {
        List<Channel> all = new ArrayList<>(channels);
        return new BufferBudget(max, all, registry,
                new RateLimitedLog(LoggerFactory.getLogger(BufferBudgetTest.class), 5));
    }

    private double gauge() {
        return registry.get("inetkit.buffered").gauge().value();
    }

    private double closures() {
        return registry.get("inetkit.connections.budget.closed").counter().count();
    }

    @Test
    void aConnectionHoldsItsQueuedEchoesAndItsDecodersUnfinishedFrame() {
        EmbeddedChannel queued = holding(1000);
        long echoes = BufferBudget.held(queued);
        assertThat(echoes).as("as the water mark counts them").isGreaterThanOrEqualTo(1000);
        queued.pipeline().addLast(new HoldingDecoder(4096));
        assertThat(BufferBudget.held(queued)).isEqualTo(echoes + 4096);
        EmbeddedChannel idle = new EmbeddedChannel();
        channels.add(idle);
        assertThat(BufferBudget.held(idle)).isZero();
    }

    @Test
    void underTheBudgetNothingIsClosedAndTheSumIsPublished() {
        EmbeddedChannel a = holding(3000);
        EmbeddedChannel b = holding(2000);
        BufferBudget budget = budget(1_000_000);
        long sum = BufferBudget.held(a) + BufferBudget.held(b);
        assertThat(budget.sweep()).isEqualTo(sum);
        assertThat(gauge()).isEqualTo(sum);
        assertThat(a.isOpen()).isTrue();
        assertThat(b.isOpen()).isTrue();
        assertThat(closures()).isZero();
    }

    @Test
    void overTheBudgetTheLargestHoldersAreClosedUntilTheRestFit() {
        EmbeddedChannel small = holding(100);
        EmbeddedChannel large = holding(8000);
        EmbeddedChannel medium = holding(4000);
        EmbeddedChannel cumulating = holding(10);
        cumulating.pipeline().addLast(new HoldingDecoder(6000));
        BufferBudget budget = budget(5000);

        long left = budget.sweep();

        assertThat(large.isOpen()).as("8000 bytes: the largest").isFalse();
        assertThat(cumulating.isOpen()).as("6000 bytes of an unfinished frame: the next").isFalse();
        assertThat(medium.isOpen()).as("4000 + 100 fit in 5000").isTrue();
        assertThat(small.isOpen()).isTrue();
        assertThat(closures()).isEqualTo(2);
        assertThat(left).isEqualTo(BufferBudget.held(medium) + BufferBudget.held(small)).isLessThanOrEqualTo(5000);
        assertThat(gauge()).isEqualTo(left);
    }

    @Test
    void aConnectionTheBudgetClosedIsNotCountedAgainWhileItsCloseIsPending() {
        EmbeddedChannel large = holding(8000);
        large.pipeline().addFirst(new io.netty.channel.ChannelOutboundHandlerAdapter() {
            @Override
            public void close(io.netty.channel.ChannelHandlerContext ctx, io.netty.channel.ChannelPromise promise) {
                // the close has not run yet: it waits for the connection's event loop
            }
        });
        BufferBudget budget = budget(5000);
        budget.sweep();
        assertThat(large.isOpen()).isTrue();
        assertThat(budget.sweep()).as("not held any more: it is going").isZero();
        assertThat(closures()).isEqualTo(1);
        large.pipeline().removeFirst();
    }

    @Test
    void aClosedConnectionHoldsNothingAtTheNextSweep() {
        EmbeddedChannel large = holding(8000);
        BufferBudget budget = budget(5000);
        budget.sweep();
        assertThat(large.isOpen()).isFalse();
        assertThat(BufferBudget.held(large)).as("its queued echoes were released by the close").isZero();
    }
}
