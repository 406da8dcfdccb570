package io.inetkit.client.load;

import java.util.List;
import java.util.Locale;

/**
 * What a run must show to pass, so that a run where nothing, or too little, came back never exits 0.
 * Checked in this order, the first failure being the one line printed:
 *
 * <ol>
 *   <li>no mismatch (any wrong byte fails the run);</li>
 *   <li>at most {@code maxErrors} errors of the other kinds;</li>
 *   <li>at least one echo in the window, and at least {@code minRate} msgs/s;</li>
 *   <li>UDP: at most {@code maxLossPercent} of the datagrams sent in the window lost.</li>
 * </ol>
 *
 * @param maxErrors      errors other than mismatches tolerated (default {@value #DEFAULT_MAX_ERRORS})
 * @param minRate        echoes per second the window must reach (default {@value #DEFAULT_MIN_RATE}: any
 *                       echo at all)
 * @param maxLossPercent UDP: datagrams lost, in % of those sent (default {@value #DEFAULT_MAX_LOSS_TEXT})
 */
record PassCriteria(long maxErrors, double minRate, double maxLossPercent) {

    static final long DEFAULT_MAX_ERRORS = 0;
    static final int DEFAULT_MIN_RATE = 0;
    static final String DEFAULT_MAX_LOSS_TEXT = "1";
    static final double DEFAULT_MAX_LOSS = Double.parseDouble(DEFAULT_MAX_LOSS_TEXT);
    static final PassCriteria DEFAULT = new PassCriteria(DEFAULT_MAX_ERRORS, DEFAULT_MIN_RATE, DEFAULT_MAX_LOSS);

    /**
     * How close to their median most seconds' echo rates must be for the loss to look like a rate limit.
     * A token bucket passes its rate to within a few datagrams each second; loss from a full socket buffer
     * comes in bursts and moves the rate far more.
     */
    static final double STEADY = 0.15;

    PassCriteria {
        if (maxErrors < 0) {
            throw new IllegalArgumentException("--max-errors must be >= 0: " + maxErrors);
        }
        if (!(minRate >= 0)) {
            throw new IllegalArgumentException("--min-rate must be >= 0: " + minRate);
        }
        if (!(maxLossPercent >= 0 && maxLossPercent <= 100)) {
            throw new IllegalArgumentException("--max-loss must be a percentage, 0 to 100: " + maxLossPercent);
        }
    }

    /** Why {@code r} fails, in one line with the likely cause, or null when it passes. */
    String failure(LoadResult r) {
        if (r.mismatches() > 0) {
            return r.http() != null ? r.mismatches() + " response bod(ies) failed --verify"
                    : r.mismatches() + " echo mismatch(es): the server returned bytes that differ from those sent"
                    + (r.messages() == 0 ? " (is --framing the server's framing?)" : "");
        }
        if (r.errorCount() > maxErrors) {
            return r.errorCount() + " error(s), over --max-errors " + maxErrors + closedAtConnectHint(r);
        }
        if (r.messages() == 0) {
            return "no echo came back in the " + seconds(r.durationSeconds()) + " s window"
                    + (r.closedAtConnect() > 0 ? closedAtConnectHint(r)
                    : ": a framing mismatch? The server echoes a frame only once it is complete, so --framing "
                    + r.framing() + " against a server of another framing (e.g. raw against a line server) "
                    + "waits for ever; give the server's --framing");
        }
        if (r.msgsPerSecond() < minRate) {
            return String.format(Locale.ROOT, "%.0f msgs/s, under --min-rate %s", r.msgsPerSecond(), number(minRate));
        }
        if (r.udp() && r.udpLossPercent() > maxLossPercent) {
            return String.format(Locale.ROOT, "%.1f%% of the datagrams lost, over --max-loss %s%%", r.udpLossPercent(),
                    number(maxLossPercent)) + rateLimitHint(r);
        }
        return null;
    }

    private static String closedAtConnectHint(LoadResult r) {
        if (r.closedAtConnect() == 0) {
            return "";
        }
        return ": " + r.closedAtConnect() + " connection(s) " + Reports.CLOSED_AT_CONNECT;
    }

    /**
     * A per-source token bucket lets a steady number of datagrams through each second, whatever is sent:
     * the echoes of every full second of the window then come back at about the same rate.
     */
    static String rateLimitHint(LoadResult r) {
        List<Double> rates = r.series().stream().map(SeriesPoint::msgsPerSecond).sorted().toList();
        if (rates.size() < 2) {
            return "";
        }
        double median = rates.get(rates.size() / 2);
        // most, not all: the bucket starts full, so the window's first second can pass twice the rate
        long steady = rates.stream().filter(v -> Math.abs(v - median) <= STEADY * median).count();
        if (median <= 0 || steady * 3 < rates.size() * 2L) {
            return "";
        }
        return String.format(Locale.ROOT, ": the echoes came back at a steady %.0f/s while more were sent, as a "
                + "server-side per-source rate limit does (inetkit server --udp-rate-per-source; 0 lifts it, "
                + "--source-ips spreads the load over more sources)", median);
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.2f", s);
    }

    private static String number(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
