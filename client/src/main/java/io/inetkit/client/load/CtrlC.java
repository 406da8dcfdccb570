package io.inetkit.client.load;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C (SIGINT) during a run ends it as wrk and ping do: the first one calls {@code stop}, so that
 * the run reports the time measured so far; a second one, while that report is being written, ends the
 * JVM at once with 130 (128 + SIGINT). Closing puts the previous handler back.
 */
final class CtrlC implements AutoCloseable {

    /** The exit code of a run that Ctrl-C ended: 128 + SIGINT, as a shell reports it. */
    static final int EXIT_INTERRUPTED = 130;

    private static final Signal INT = new Signal("INT");

    private final SignalHandler previous;

    private CtrlC(SignalHandler previous) {
        this.previous = previous;
    }

    static CtrlC install(Runnable stop) {
        AtomicBoolean seen = new AtomicBoolean(); // the JVM runs each signal's handler on a thread of its own
        SignalHandler handler = sig -> {
            if (seen.getAndSet(true)) {
                Runtime.getRuntime().halt(EXIT_INTERRUPTED);
            }
            stop.run();
        };
        try {
            return new CtrlC(Signal.handle(INT, handler));
        } catch (IllegalArgumentException e) {
            return new CtrlC(null); // the JVM keeps SIGINT (-Xrs): Ctrl-C ends it as before
        }
    }

    @Override
    public void close() {
        if (previous != null) {
            Signal.handle(INT, previous);
        }
    }
}
