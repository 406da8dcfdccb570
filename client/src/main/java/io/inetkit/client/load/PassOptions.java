package io.inetkit.client.load;

import picocli.CommandLine.Option;

/** {@code --max-errors}, {@code --min-rate} and {@code --max-loss}: what a run, or a merge, must show to pass. */
final class PassOptions {

    @Option(names = "--max-errors", paramLabel = "N", defaultValue = "" + PassCriteria.DEFAULT_MAX_ERRORS,
            description = "Errors (other than mismatches) tolerated before exiting 1 (default: ${DEFAULT-VALUE}).")
    long maxErrors;

    @Option(names = "--min-rate", paramLabel = "R", defaultValue = "" + PassCriteria.DEFAULT_MIN_RATE,
            description = "Exit 1 below R echoes/s in the window; with 0, only a window without any echo fails "
                    + "(default: ${DEFAULT-VALUE}).")
    double minRate;

    @Option(names = "--max-loss", paramLabel = "PCT", defaultValue = PassCriteria.DEFAULT_MAX_LOSS_TEXT,
            description = "UDP: exit 1 when more than PCT %% of the datagrams are lost (default: ${DEFAULT-VALUE}).")
    double maxLoss;

    /** @throws IllegalArgumentException naming the bad value */
    PassCriteria criteria() {
        return new PassCriteria(maxErrors, minRate, maxLoss);
    }
}
