package io.inetkit.client.load;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/** Error counters by kind, shared by every event loop; errors are rare, so plain atomics serve. */
final class ErrorCounts {

    private final AtomicLongArray counts = new AtomicLongArray(ErrorKind.values().length);

    void add(ErrorKind kind) {
        counts.incrementAndGet(kind.ordinal());
    }

    long get(ErrorKind kind) {
        return counts.get(kind.ordinal());
    }

    /** Every kind except mismatches: what {@code --max-errors} bounds. */
    long errors() {
        long sum = 0;
        for (ErrorKind k : ErrorKind.values()) {
            if (k != ErrorKind.MISMATCH) {
                sum += get(k);
            }
        }
        return sum;
    }

    long total() {
        return errors() + get(ErrorKind.MISMATCH);
    }

    /** Every kind, zero or not, in declaration order. */
    Map<ErrorKind, Long> snapshot() {
        Map<ErrorKind, Long> m = new EnumMap<>(ErrorKind.class);
        for (ErrorKind k : ErrorKind.values()) {
            m.put(k, get(k));
        }
        return m;
    }
}
