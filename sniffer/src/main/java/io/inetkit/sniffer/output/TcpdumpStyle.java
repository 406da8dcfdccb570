package io.inetkit.sniffer.output;

/**
 * tcpdump's printing options that {@code --format line} honours.
 *
 * @param timestamps {@code -t} .. {@code -ttttt}
 * @param linkHeader {@code -e}: the link-level header before each line
 * @param quiet      {@code -q}: tcpdump's own text only, without inetkit's {@code [vlan N]} and
 *                   classification marks (tcpdump's ARP printer has no quieter form)
 * @param verbose    {@code -v}: hardware and protocol types and sizes on every ARP line
 * @param hex        {@code -x} (1), {@code -xx} (2), {@code -X} (3), {@code -XX} (4), 0 for none
 */
public record TcpdumpStyle(Timestamps timestamps, boolean linkHeader, boolean quiet, boolean verbose, int hex) {

    /** tcpdump's time stamp formats. */
    public enum Timestamps {
        /** {@code 22:13:20.123456}, local time (the default). */
        TIME,
        /** {@code -t}: none. */
        NONE,
        /** {@code -tt}: {@code 1700000000.123456}, seconds since the epoch. */
        EPOCH,
        /** {@code -ttt}: {@code  00:00:00.000150}, since the previous frame. */
        DELTA,
        /** {@code -tttt}: {@code 2023-11-14 22:13:20.123456}, local date and time. */
        DATE_TIME,
        /** {@code -ttttt}: {@code  00:00:05.000150}, since the first frame. */
        SINCE_FIRST;

        /** The format of {@code n} {@code -t} flags. */
        public static Timestamps ofCount(int n) {
            Timestamps[] byCount = {TIME, NONE, EPOCH, DELTA, DATE_TIME, SINCE_FIRST};
            if (n < 0 || n >= byCount.length) {
                throw new IllegalArgumentException("-t may be given at most 5 times (-ttttt): " + n);
            }
            return byCount[n];
        }
    }

    public static final TcpdumpStyle DEFAULT = new TcpdumpStyle(Timestamps.TIME, false, false, false, 0);

    public TcpdumpStyle {
        if (timestamps == null) {
            throw new IllegalArgumentException("timestamps must not be null");
        }
        if (hex < 0 || hex > 4) {
            throw new IllegalArgumentException("hex must be 0-4: " + hex);
        }
    }

    /** The hex level of {@code x} {@code -x} and {@code bigX} {@code -X} flags, as tcpdump counts them. */
    public static int hexLevel(int x, int bigX) {
        if (bigX > 0) {
            return bigX > 1 || x > 1 ? 4 : 3;
        }
        return x == 0 ? 0 : x > 1 ? 2 : 1;
    }

    boolean ascii() {
        return hex >= 3;
    }

    boolean withLinkHeader() {
        return hex == 2 || hex == 4;
    }
}
