package io.inetkit.server;

import java.util.concurrent.atomic.LongAdder;

/**
 * Traffic counters of one listener, updated on the event loops and read by anyone.
 * The drain report at shutdown compares what came in with what went out.
 */
final class ListenerStats {

    /** "tcp/5005 line:8192": the actual port once bound (port 0 asks for any). */
    volatile String name;
    final LongAdder accepted = new LongAdder();
    final LongAdder active = new LongAdder();
    final LongAdder framesIn = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final LongAdder framesOut = new LongAdder();
    final LongAdder bytesOut = new LongAdder();
    final LongAdder frameErrors = new LongAdder();
    final LongAdder discardedBytes = new LongAdder();

    ListenerStats(String name) {
        this.name = name;
    }

    void frameIn(int bytes) {
        framesIn.increment();
        bytesIn.add(bytes);
    }

    void frameOut(int bytes) {
        framesOut.increment();
        bytesOut.add(bytes);
    }

    String summary() {
        return name + ": " + accepted.sum() + " connections, " + framesIn.sum() + " frames / " + bytesIn.sum()
                + " bytes in, " + framesOut.sum() + " frames / " + bytesOut.sum() + " bytes out, "
                + frameErrors.sum() + " frame errors, " + discardedBytes.sum() + " bytes discarded";
    }
}
