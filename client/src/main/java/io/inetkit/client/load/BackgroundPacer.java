package io.inetkit.client.load;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * One open-loop event loop's side of {@link LoopPriority}: the background threads go back to nice 0 while
 * this loop is behind its schedule by more than {@link #BEHIND_NANOS}, and aside again once it has been on
 * time for {@link #RELOWER_AFTER_NANOS}.
 */
final class BackgroundPacer {

    /** A send due this long makes the loop put the background threads back to nice 0 ... */
    static final long BEHIND_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** ... and they go back to nice 19 once the loop has been on time (within 1 ms) for 200 ms after that. */
    static final long CAUGHT_UP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    static final long RELOWER_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    /**
     * The background threads moved aside for an open-loop window, set by the reporting thread once it moved
     * them; null otherwise. Set without a task on the loop: a task of a new class there is a new type at a
     * call site the JIT compiled for the warm-up's types, and costs a deoptimization in the window.
     */
    private volatile LoopPriority priority;
    /** This loop's thread id (Linux), read on the loop when the run starts; 0 if unknown. */
    private volatile int loopThread;
    /** When this loop put the background threads back because it was behind; 0 when it has not. */
    private long restoredAt;

    /** On the loop thread: remembers its id, for {@link LoopPriority#lower}. */
    void readLoopThread() {
        try {
            loopThread = LoopPriority.currentThread();
        } catch (IOException | RuntimeException notLinux) {
            loopThread = 0;
        }
    }

    /** The loop's thread id, 0 if unknown (any thread). */
    int loopThread() {
        return loopThread;
    }

    /** From the reporting thread, once the background threads were moved aside. */
    void follow(LoopPriority moved) {
        priority = moved;
    }

    /** On the loop, at each open-loop tick: {@code late} is how late the first send now due is. */
    void onTick(long late, long now) {
        LoopPriority background = priority;
        if (background == null) {
            return;
        }
        if (late > BEHIND_NANOS) {
            if (background.isDown()) {
                background.restore();
            }
            restoredAt = now;
        } else if (restoredAt != 0 && late < CAUGHT_UP_NANOS && now - restoredAt > RELOWER_AFTER_NANOS) {
            background.relower();
            restoredAt = 0;
        }
    }
}
