package io.inetkit.testing;

import io.netty.util.ResourceLeakDetector;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link ResourceLeakDetector} that remembers every leak it reports, so that a test can fail on it.
 *
 * <p>Netty's own detector only logs. Installed with
 * {@code -Dio.netty.customResourceLeakDetector=io.inetkit.testing.FailingResourceLeakDetector}
 * (the parent pom does this for surefire and failsafe), every detector Netty creates is one of these,
 * and {@link LeakCheckExtension} fails the test class whose run produced a report.
 */
public final class FailingResourceLeakDetector<T> extends ResourceLeakDetector<T> {

    private static final List<String> LEAKS = new ArrayList<>();

    public FailingResourceLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
        super(resourceType, samplingInterval, maxActive);
    }

    public FailingResourceLeakDetector(Class<?> resourceType, int samplingInterval) {
        super(resourceType, samplingInterval);
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
        super.reportTracedLeak(resourceType, records);
        record("LEAK: " + resourceType + ".release() was not called before it was garbage-collected." + records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
        super.reportUntracedLeak(resourceType);
        record("LEAK: " + resourceType + ".release() was not called before it was garbage-collected.");
    }

    private static void record(String report) {
        synchronized (LEAKS) {
            LEAKS.add(report);
        }
    }

    /** Returns and forgets the leaks reported so far. */
    public static List<String> drainReports() {
        synchronized (LEAKS) {
            List<String> copy = List.copyOf(LEAKS);
            LEAKS.clear();
            return copy;
        }
    }

    /** True when this detector class is the one Netty was told to use (the property is set). */
    public static boolean installed() {
        return FailingResourceLeakDetector.class.getName()
                .equals(System.getProperty("io.netty.customResourceLeakDetector"));
    }
}
