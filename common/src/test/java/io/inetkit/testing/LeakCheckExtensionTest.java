package io.inetkit.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** The leak check must be able to fail: a class that drops a buffer is reported as failed. */
class LeakCheckExtensionTest {

    @Test
    void aLeakedBufferFailsItsTestClass() {
        var results = EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                .selectors(selectClass(Leaky.class))
                .execute();
        // the leaky test itself passes; the class container fails in afterAll
        results.testEvents().assertStatistics(stats -> stats.succeeded(1));
        assertThat(results.containerEvents().failed().list())
                .anySatisfy(event -> assertThat(event.getPayload(
                                org.junit.platform.engine.TestExecutionResult.class)
                        .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable)
                        .map(Throwable::getMessage).orElse(""))
                        .contains("Netty buffer leak"));
    }

    @Test
    void aReleasedBufferPasses() {
        var results = EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                .selectors(selectClass(Clean.class))
                .execute();
        results.containerEvents().assertStatistics(stats -> stats.failed(0));
        results.testEvents().assertStatistics(stats -> stats.succeeded(1));
    }

    static class Leaky {
        @Test
        void dropsABuffer() {
            ByteBuf buf = Unpooled.directBuffer(16).writeLong(42);
            assertThat(buf.readableBytes()).isEqualTo(8);
            // no release: the extension must notice
        }
    }

    static class Clean {
        @Test
        void releasesItsBuffer() {
            ByteBuf buf = Unpooled.directBuffer(16).writeLong(42);
            assertThat(buf.release()).isTrue();
        }
    }
}
