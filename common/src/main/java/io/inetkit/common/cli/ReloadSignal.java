package io.inetkit.common.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGHUP as a daemon takes it: reload (the server's TLS certificates), do not stop. Without a handler the
 * JVM would exit on SIGHUP. The reload runs on a thread of its own, so a slow one never holds up the
 * signal dispatcher (where {@link StopSignals} runs). Closing gives the signal back to its previous handler.
 */
public final class ReloadSignal implements AutoCloseable {

    private SignalHandler previous;

    private ReloadSignal() {
    }

    /** Runs {@code reload} on each SIGHUP until closed. */
    public static ReloadSignal install(Runnable reload) {
        ReloadSignal signal = new ReloadSignal();
        try {
            signal.previous = Signal.handle(new Signal("HUP"), s -> {
                Thread t = new Thread(reload, "inetkit-reload");
                t.setDaemon(true);
                t.start();
            });
        } catch (IllegalArgumentException e) {
            signal.previous = null; // no SIGHUP here, or reserved by the JVM (-Xrs): nothing to reload on
        }
        return signal;
    }

    @Override
    public void close() {
        if (previous != null) {
            Signal.handle(new Signal("HUP"), previous);
            previous = null;
        }
    }
}
