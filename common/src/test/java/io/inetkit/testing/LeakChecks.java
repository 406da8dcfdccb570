package io.inetkit.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;

import java.util.List;

/**
 * The leak check around a test container (a class), shared by the JUnit Jupiter extension
 * ({@link LeakCheckExtension}) and the jqwik hook ({@link JqwikLeakCheckHook}), so that every engine's
 * tests fail on a Netty buffer leak.
 */
final class LeakChecks {

    private LeakChecks() {
    }

    /** Before a container: checks the level and forgets leaks charged to an earlier container. */
    static void before() {
        if (System.getProperty("io.netty.customResourceLeakDetector") != null
                && ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
            throw new IllegalStateException("tests must run with -Dio.netty.leakDetection.level=paranoid");
        }
        FailingResourceLeakDetector.drainReports();
    }

    /**
     * After a container: fails with the reports of {@link FailingResourceLeakDetector}. Netty notices a
     * leak only when the leaked buffer has been garbage-collected and another buffer is then allocated, so
     * this first collects garbage and allocates a few times.
     *
     * @throws AssertionError naming {@code container} and each leak
     */
    static void after(String container) {
        if (!FailingResourceLeakDetector.installed()) {
            return;
        }
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.yield(); // the reference handler thread enqueues what the collector found
            for (int j = 0; j < 64; j++) {
                ByteBuf a = PooledByteBufAllocator.DEFAULT.directBuffer(8);
                ByteBuf b = UnpooledByteBufAllocator.DEFAULT.heapBuffer(8);
                a.release();
                b.release();
            }
        }
        List<String> leaks = FailingResourceLeakDetector.drainReports();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty buffer leak(s) in " + container + ":\n"
                    + String.join("\n", leaks));
        }
    }
}
