package io.inetkit.common.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

/**
 * Ctrl-C (SIGINT) and SIGTERM as every long-running command takes them: the first one calls the command's
 * stop (the server drains; a capture, a load run or a {@code --count} run ends and prints what it has); a
 * second one while it stops ends the process at once with {@code 128 + signal} (130 for SIGINT, 143 for
 * SIGTERM), as a shell expects of a program it killed. Closing gives both signals back to their previous
 * handlers.
 */
public final class StopSignals implements AutoCloseable {

    private static final String[] SIGNALS = {"INT", "TERM"};

    private final IntConsumer stop;
    private final IntConsumer exit;
    private final AtomicBoolean seen = new AtomicBoolean();
    private final SignalHandler[] previous = new SignalHandler[SIGNALS.length];

    /**
     * @param stop what the first signal does, given its number
     * @param exit what ends the process at the second: {@code Runtime::halt}, or a test's
     */
    public StopSignals(IntConsumer stop, IntConsumer exit) {
        this.stop = stop;
        this.exit = exit;
    }

    /** Takes SIGINT and SIGTERM over until closed; the second signal halts the JVM. */
    public static StopSignals install(IntConsumer stop) {
        StopSignals signals = new StopSignals(stop, code -> Runtime.getRuntime().halt(code));
        for (int i = 0; i < SIGNALS.length; i++) {
            try {
                signals.previous[i] = Signal.handle(new Signal(SIGNALS[i]), s -> signals.received(s.getNumber()));
            } catch (IllegalArgumentException e) {
                signals.previous[i] = null; // reserved by the JVM (e.g. -Xrs): the default action stays
            }
        }
        return signals;
    }

    /** A signal of this number arrived. */
    public void received(int number) {
        if (seen.getAndSet(true)) {
            exit.accept(128 + number);
            return;
        }
        stop.accept(number);
    }

    @Override
    public void close() {
        for (int i = 0; i < SIGNALS.length; i++) {
            if (previous[i] != null) {
                Signal.handle(new Signal(SIGNALS[i]), previous[i]);
                previous[i] = null;
            }
        }
    }
}
