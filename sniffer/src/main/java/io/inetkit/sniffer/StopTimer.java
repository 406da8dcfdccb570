package io.inetkit.sniffer;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** {@code --timeout}: stops a capture after its time, unless closed first. */
final class StopTimer implements AutoCloseable {

    private final ScheduledExecutorService timer;

    private StopTimer(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** Runs {@code stop} after {@code timeout}; never when {@code timeout} is null. */
    static StopTimer after(Duration timeout, Runnable stop) {
        if (timeout == null) {
            return new StopTimer(null);
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sniff-timeout");
            t.setDaemon(true);
            return t;
        });
        timer.schedule(stop, timeout.toNanos(), TimeUnit.NANOSECONDS);
        return new StopTimer(timer);
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
