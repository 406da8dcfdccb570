package io.inetkit.client.load;

import java.util.LinkedHashMap;
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

    /** Every kind by its label, zero or not, in declaration order (the report's model). */
    Map<String, Long> byLabel() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (ErrorKind k : ErrorKind.values()) {
            m.put(k.label(), get(k));
        }
        return m;
    }

    /** The kinds that are not zero, for a progress line: {@code "reset 2, closed 1"}, or {@code "no errors"}. */
    String describe() {
        StringBuilder sb = new StringBuilder();
        for (ErrorKind k : ErrorKind.values()) {
            long v = get(k);
            if (v > 0) {
                sb.append(sb.length() == 0 ? "" : ", ").append(k.label()).append(' ').append(v);
            }
        }
        return sb.length() == 0 ? "no errors" : sb.toString();
    }
}
