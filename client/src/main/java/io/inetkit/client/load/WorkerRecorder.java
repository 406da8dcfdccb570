package io.inetkit.client.load;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one worker's connections measured: latencies and counters. Written by the worker's event loop
 * thread alone, so recording takes no lock and no atomic operation; the reporting thread reads the
 * latencies through {@link #takeInterval} (a swap run on the loop), the progress count through
 * {@link #completed}, and the rest through {@link #totals} once the worker has finished.
 *
 * <p>Latencies are in nanoseconds, clamped to [1, {@link #HIGHEST_NANOS}].
 */
final class WorkerRecorder {

    static final long HIGHEST_NANOS = TimeUnit.HOURS.toNanos(1);

    /** Latencies of the current interval: written by the loop thread only, swapped on it once a second. */
    private Histogram latency = newHistogram();
    /**
     * Where samples go, by {@link Worker#inWindow}: [0] outside the window (warm-up, drain; never read), [1]
     * the current interval. Warm-up runs the very code of the window, so the JIT has compiled the recording
     * path before the window opens instead of deoptimizing and recompiling it then, on the generator's core.
     */
    private final Histogram[] sinks = {newHistogram(), latency};
    private Histogram spare;
    /** Completed echoes since the start, warmup included (progress): written by the loop thread only. */
    private final AtomicLong completed = new AtomicLong();
    private long measured;
    private long censored;
    private long udpSent;
    private long udpReceived;
    private long udpLate;

    static Histogram newHistogram() {
        return new Histogram(1, HIGHEST_NANOS, 3);
    }

    static long clamp(long nanos) {
        return Math.min(HIGHEST_NANOS, Math.max(1, nanos));
    }

    /**
     * One completed echo that took {@code nanos}; {@code window} (from {@link Worker#inWindow}) is 1 inside
     * the measured window, 0 outside, and the same code runs for both.
     */
    void recordEcho(long nanos, int window) {
        sinks[window].recordValue(clamp(nanos));
        measured += window;
    }

    /**
     * Open loop: the latency of an echo from its actual write, not its intended send time (wrk2's "uncorrected"
     * figure: what a generator that lets the schedule slip would report); the window's samples only, read at the end.
     */
    private final Histogram[] fromSend = {newHistogram(), newHistogram()};

    /** Open loop: one echo that took {@code nanos} from its actual write; {@code window} as {@link #recordEcho}. */
    void recordFromSend(long nanos, int window) {
        fromSend[window].recordValue(clamp(nanos));
    }

    /** The window's latencies from the actual write (after the worker finished). */
    Histogram fromSend() {
        return fromSend[1];
    }

    /** A message of the window that timed out or was outstanding at the end, recorded as {@code end - send}. */
    void recordCensored(long nanos) {
        latency.recordValue(clamp(nanos));
        censored++;
    }

    /** {@code n} more echoes completed (progress; warm-up included). */
    void completed(long n) {
        completed.lazySet(completed.get() + n);
    }

    /** UDP: a datagram was sent; {@code window} is 1 inside the measured window. */
    void udpSent(int window) {
        udpSent += window;
    }

    /** UDP: the echo of a datagram sent inside the window came back in time. */
    void udpReceived() {
        udpReceived++;
    }

    /** UDP: an echo came after its timeout, or twice. */
    void udpLate() {
        udpLate++;
    }

    /** Completed echoes so far, warm-up included (any thread; a progress figure). */
    long completed() {
        return completed.get();
    }

    /** The counters; read by the reporting thread after the worker finished. */
    Totals totals() {
        return new Totals(measured, censored, udpSent, udpReceived, udpLate);
    }

    /** A worker's counters at the end of the run. */
    record Totals(long messages, long censored, long udpSent, long udpReceived, long udpLate) {
        Totals plus(Totals o) {
            return new Totals(messages + o.messages, censored + o.censored, udpSent + o.udpSent,
                    udpReceived + o.udpReceived, udpLate + o.udpLate);
        }
    }

    /**
     * The latencies recorded since the previous call (the reporting thread's only; valid until its next
     * call). The swap runs on {@code loop}, the thread that alone records.
     */
    Histogram takeInterval(EventLoop loop) {
        Histogram fresh = spare != null ? spare : newHistogram();
        fresh.reset();
        Future<Histogram> swapped = loop.submit(() -> {
            Histogram old = latency;
            latency = fresh;
            sinks[1] = fresh;
            // the warm-up's sink is emptied too, so that it records into an empty histogram once a second as
            // the window does: otherwise the window's first sample takes a branch of recordValue (a new
            // minimum) that the warm-up never took, and the JIT recompiles the receive path in the window
            sinks[0].reset();
            return old;
        });
        if (!swapped.awaitUninterruptibly(10, TimeUnit.SECONDS) || !swapped.isSuccess()) {
            spare = fresh;
            return newHistogram(); // the loop is gone: nothing more was recorded
        }
        spare = swapped.getNow();
        return spare;
    }
}
