package io.inetkit.client.load;

import org.HdrHistogram.Histogram;

/**
 * One second of the measured window, for the charts over time: throughput, and the latency percentiles
 * that show a stall (p50 stays, p99 and max jump).
 *
 * @param seconds       the interval's end, in seconds since the window opened
 * @param msgsPerSecond echoes completed in it, per second
 * @param p50           median latency in it, ns (-1 without a sample)
 * @param p99           99th percentile, ns (-1 without a sample)
 * @param max           the slowest, ns (-1 without a sample)
 */
record SeriesPoint(double seconds, double msgsPerSecond, long p50, long p99, long max) {

    /** The point of an interval whose latencies are {@code h} (null or empty: none). */
    static SeriesPoint of(double seconds, double msgsPerSecond, Histogram h) {
        if (h == null || h.getTotalCount() == 0) {
            return new SeriesPoint(seconds, msgsPerSecond, -1, -1, -1);
        }
        return new SeriesPoint(seconds, msgsPerSecond, h.getValueAtPercentile(50), h.getValueAtPercentile(99),
                h.getMaxValue());
    }

    boolean hasLatency() {
        return max >= 0;
    }
}
