package io.inetkit.client;

/** The round-trip times of a one-shot run, summed up as its last line prints them. */
final class RoundTrips {

    private long min = Long.MAX_VALUE;
    private long max;
    private long sum;
    private int count;

    void add(long nanos) {
        min = Math.min(min, nanos);
        max = Math.max(max, nanos);
        sum += nanos;
        count++;
    }

    /** {@code rtt min/avg/max = 0.101/0.150/0.302 ms}; only once at least one was added. */
    String summary() {
        return String.format("rtt min/avg/max = %.3f/%.3f/%.3f ms", min / 1e6, sum / 1e6 / count, max / 1e6);
    }
}
