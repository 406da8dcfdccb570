package io.inetkit.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;

/**
 * Fails a test class when Netty reported a buffer leak while it ran.
 *
 * <p>Registered for every test through {@code META-INF/services} and JUnit's extension autodetection
 * (switched on by the parent pom). Netty notices a leak only when the leaked buffer has been
 * garbage-collected and another buffer is then allocated, so after the class this collects garbage
 * and allocates a few times before it reads the reports of {@link FailingResourceLeakDetector}.
 */
public final class LeakCheckExtension implements BeforeAllCallback, AfterAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        if (System.getProperty("io.netty.customResourceLeakDetector") != null
                && ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
            throw new IllegalStateException("tests must run with -Dio.netty.leakDetection.level=paranoid");
        }
        FailingResourceLeakDetector.drainReports(); // leaks of an earlier class were charged to it
    }

    @Override
    public void afterAll(ExtensionContext context) {
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
            throw new AssertionError(leaks.size() + " Netty buffer leak(s) in " + context.getDisplayName()
                    + ":\n" + String.join("\n", leaks));
        }
    }
}
