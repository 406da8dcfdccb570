package io.inetkit.server;

import org.slf4j.Logger;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A WARN log that a flood cannot flood: at most {@code linesPerSecond} lines a second, the rest at DEBUG,
 * and once a second a summary of what was held back.
 *
 * <pre>
 * 12:00:01.001 WARN  AdmissionHandler - tcp/5005: refused /127.0.0.1:40312: max_connections (10000 open)
 * ... (4 more)
 * 12:00:02.000 WARN  AdmissionHandler - 1995 more like these in the last second not logged (counted in /metrics)
 * </pre>
 *
 * Used for the events a peer can cause at will: refused connections, bad frames, dropped datagrams. Each
 * is counted in {@code /metrics} whether logged or not. Thread-safe; the event loops share one.
 */
public final class RateLimitedLog {

    private static final long WINDOW_NANOS = 1_000_000_000L;

    private final Logger log;
    private final int linesPerSecond;
    private final LongSupplier nanoTime;
    private final AtomicLong windowStart;
    private final AtomicLong inWindow = new AtomicLong();
    private final AtomicLong suppressed = new AtomicLong();

    public RateLimitedLog(Logger log, int linesPerSecond) {
        this(log, linesPerSecond, System::nanoTime);
    }

    RateLimitedLog(Logger log, int linesPerSecond, LongSupplier nanoTime) {
        this.log = log;
        this.linesPerSecond = linesPerSecond;
        this.nanoTime = nanoTime;
        this.windowStart = new AtomicLong(nanoTime.getAsLong());
    }

    /** Logs at WARN while under the rate, at DEBUG beyond it. */
    public void warn(String format, Object... args) {
        rollWindow();
        if (inWindow.incrementAndGet() <= linesPerSecond) {
            log.warn(format, args);
        } else {
            suppressed.incrementAndGet();
            log.debug(format, args);
        }
    }

    /** Reports what was held back when a second has passed; called by a timer, and by {@link #warn}. */
    void flush() {
        rollWindow();
    }

    private void rollWindow() {
        long now = nanoTime.getAsLong();
        long start = windowStart.get();
        if (now - start >= WINDOW_NANOS && windowStart.compareAndSet(start, now)) {
            long held = suppressed.getAndSet(0);
            inWindow.set(0);
            if (held > 0) {
                log.warn("{} more like these in the last {} ms not logged (counted in /metrics)", held,
                        (now - start) / 1_000_000);
            }
        }
    }
}
