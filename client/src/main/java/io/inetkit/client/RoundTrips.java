package io.inetkit.client;

/** The round-trip times of a one-shot run, summed up as its last line prints them, as ping does. */
final class RoundTrips {

    private long min = Long.MAX_VALUE;
    private long max;
    private long sum;
    /** Sum of squares, in ms², for the mean deviation: nanoseconds squared would overflow a long. */
    private double squares;
    private int count;

    void add(long nanos) {
        min = Math.min(min, nanos);
        max = Math.max(max, nanos);
        sum += nanos;
        squares += (nanos / 1e6) * (nanos / 1e6);
        count++;
    }

    int count() {
        return count;
    }

    /** A one-shot run's last line: {@code 3/3 echoes matched; rtt min/avg/max/mdev = ...}. */
    String matched(int total) {
        return String.format("%d/%d echoes matched; %s", total, total, summary());
    }

    /** The last line of a one-shot run that Ctrl-C ended: the echoes so far, and their times if any. */
    String interrupted(int total) {
        return String.format("interrupted: %d/%d echoes matched%s", count, total, count > 0 ? "; " + summary() : "");
    }

    /**
     * {@code rtt min/avg/max/mdev = 0.101/0.150/0.302/0.070 ms}, mdev as ping computes it (the standard
     * deviation: the root of the mean square less the squared mean); only once at least one was added.
     */
    String summary() {
        double avg = sum / 1e6 / count;
        double mdev = Math.sqrt(Math.max(0, squares / count - avg * avg));
        return String.format("rtt min/avg/max/mdev = %.3f/%.3f/%.3f/%.3f ms", min / 1e6, avg, max / 1e6, mdev);
    }
}
