package io.inetkit.sniffer;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What stops a capture from outside: Ctrl-C and SIGTERM stop it cleanly (statistics printed, state saved,
 * exit 0), a second one while stopping ends the JVM at once (128 + the signal), and {@code --timeout}
 * stops it after its time. Closing puts the previous signal handlers back.
 */
final class StopSignals implements AutoCloseable {

    private static final String[] SIGNALS = {"INT", "TERM"};

    private final SignalHandler[] previous = new SignalHandler[SIGNALS.length];
    private ScheduledExecutorService timer;

    private StopSignals() {
    }

    /** Calls {@code stop} on the first INT or TERM, and after {@code timeout} unless it is null. */
    static StopSignals install(Runnable stop, Duration timeout) {
        StopSignals s = new StopSignals();
        AtomicBoolean seen = new AtomicBoolean();
        SignalHandler handler = sig -> {
            if (seen.getAndSet(true)) {
                Runtime.getRuntime().halt(128 + sig.getNumber());
            }
            stop.run();
        };
        for (int i = 0; i < SIGNALS.length; i++) {
            try {
                s.previous[i] = Signal.handle(new Signal(SIGNALS[i]), handler);
            } catch (IllegalArgumentException e) {
                s.previous[i] = null; // the JVM reserves it (e.g. -Xrs): the default action stays
            }
        }
        if (timeout != null) {
            s.timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "sniff-timeout");
                t.setDaemon(true);
                return t;
            });
            s.timer.schedule(stop, timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        return s;
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
        for (int i = 0; i < SIGNALS.length; i++) {
            if (previous[i] != null) {
                Signal.handle(new Signal(SIGNALS[i]), previous[i]);
            }
        }
    }
}
