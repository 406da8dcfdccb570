package io.inetkit.server;

import sun.misc.Signal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

/**
 * SIGTERM and Ctrl-C (SIGINT) as the server takes them: the first begins the drain ({@link #await()}
 * returns); a second one while it drains ends the process at once with {@code 128 + signal} (130 for
 * SIGINT, 143 for SIGTERM), as a shell expects of a program killed by it.
 */
final class StopSignals {

    static final String[] SIGNALS = {"INT", "TERM"};

    private final CountDownLatch first = new CountDownLatch(1);
    private final AtomicBoolean seen = new AtomicBoolean();
    private final IntConsumer exit;

    /** @param exit what ends the process at the second signal: {@code Runtime::halt}, or a test's */
    StopSignals(IntConsumer exit) {
        this.exit = exit;
    }

    /** Takes SIGINT and SIGTERM over; a signal the JVM reserves (e.g. with {@code -Xrs}) keeps its default. */
    void install() {
        for (String name : SIGNALS) {
            try {
                Signal.handle(new Signal(name), s -> received(s.getNumber()));
            } catch (IllegalArgumentException e) {
                // reserved by the JVM: the default action (exit) stays
            }
        }
    }

    /** A signal of this number arrived. */
    void received(int number) {
        if (seen.getAndSet(true)) {
            exit.accept(128 + number);
        }
        first.countDown();
    }

    /** Waits for the first signal. */
    void await() throws InterruptedException {
        first.await();
    }
}
