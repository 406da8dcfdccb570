package io.inetkit.sniffer.capture;

import io.inetkit.common.cli.Cli;

/**
 * The exit codes of {@code inetkit sniff}, part of its contract: the capture raises them, the command
 * prints them in its help, and both read them here. 0, 1 and 2 are every program's ({@link Cli}).
 */
public final class SniffExit {

    /** {@code -i} names no interface. */
    public static final int NO_SUCH_INTERFACE = 3;
    /** No permission to capture (neither root nor CAP_NET_RAW). */
    public static final int NO_PERMISSION = 4;
    /** libpcap cannot be loaded. */
    public static final int NO_LIBPCAP = 5;
    /** The {@code -r} file is unreadable, truncated, damaged, or not Ethernet. */
    public static final int BAD_CAPTURE_FILE = 6;
    /** The BPF filter does not compile. */
    public static final int BAD_FILTER = 7;
    /** The {@code -w} file cannot be written, or the {@code --state} file read or written. */
    public static final int FILE = 8;

    private SniffExit() {
    }
}
