package io.inetkit.sniffer;

import io.inetkit.common.cli.Cli;

/** The {@code inetkit sniff} program. */
public final class SniffMain {

    private SniffMain() {
    }

    public static void main(String[] args) {
        Cli.main(new SniffCommand(), args);
    }
}
