package io.inetkit.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** The leak check must be able to fail jqwik's properties too: a class that drops a buffer is failed. */
class JqwikLeakCheckHookTest {

    @Test
    void aLeakedBufferFailsItsPropertyClass() {
        var results = EngineTestKit.engine("jqwik").selectors(selectClass(LeakyProperties.class)).execute();
        results.testEvents().assertStatistics(stats -> stats.succeeded(1)); // the property itself holds
        assertThat(results.containerEvents().failed().list())
                .anySatisfy(event -> assertThat(event.getPayload(TestExecutionResult.class)
                        .flatMap(TestExecutionResult::getThrowable)
                        .map(Throwable::getMessage).orElse(""))
                        .contains("Netty buffer leak"));
    }

    @Test
    void releasedBuffersPass() {
        var results = EngineTestKit.engine("jqwik").selectors(selectClass(CleanProperties.class)).execute();
        results.containerEvents().assertStatistics(stats -> stats.failed(0));
        results.testEvents().assertStatistics(stats -> stats.succeeded(1));
    }

    static class LeakyProperties {
        @Property(tries = 10)
        void dropsABuffer(@ForAll long value) {
            ByteBuf buf = Unpooled.directBuffer(16).writeLong(value);
            assertThat(buf.readLong()).isEqualTo(value);
            // no release: the hook must notice
        }
    }

    static class CleanProperties {
        @Property(tries = 10)
        void releasesItsBuffer(@ForAll long value) {
            ByteBuf buf = Unpooled.directBuffer(16).writeLong(value);
            assertThat(buf.readLong()).isEqualTo(value);
            assertThat(buf.release()).isTrue();
        }
    }
}
