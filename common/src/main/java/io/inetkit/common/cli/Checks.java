package io.inetkit.common.cli;

/** The range checks several commands need, with one wording: the option, the rule, the bad value. */
public final class Checks {

    private Checks() {
    }

    /** A port to connect to: 1..65535. */
    public static int port(String option, int value) {
        if (value <= 0 || value > 65535) {
            throw new UserException(option + " must be 1..65535: " + value, Cli.EXIT_USAGE);
        }
        return value;
    }

    /** A count or size that must be above zero. */
    public static long positive(String option, long value) {
        if (value <= 0) {
            throw new UserException(option + " must be > 0: " + value, Cli.EXIT_USAGE);
        }
        return value;
    }
}
