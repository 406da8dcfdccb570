package io.inetkit.client.load;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The live progress on stderr: on a terminal one line that is rewritten in place ({@code \r}), as wget and
 * curl do; into a pipe or a file one line a second, which a log keeps and {@code grep} reads. Lines that
 * must stay (the pre-flight check, the first connect failure) go through {@link #println}, which ends
 * the line being rewritten first.
 */
final class ProgressLine {

    private final PrintWriter err;
    private final boolean inPlace;
    /** Length of the line now on the terminal, rewritten in place; 0 when none is. */
    private int shown;

    ProgressLine(PrintWriter err, boolean inPlace) {
        this.err = err;
        this.inPlace = inPlace;
    }

    /** True when this process's stderr is a terminal (Linux: fd 2 links to a tty or pty device). */
    static boolean stderrIsTerminal() {
        try {
            return isTerminalDevice(Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString());
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false; // not Linux, or unknown: lines are right everywhere
        }
    }

    static boolean isTerminalDevice(String path) {
        return path.startsWith("/dev/pts/") || path.startsWith("/dev/tty");
    }

    /** The progress now: replaces the previous progress line on a terminal, or is one more line. */
    synchronized void update(String line) {
        if (!inPlace) {
            err.println(line);
        } else {
            // pad with spaces over what the previous, longer line left
            err.print("\r" + line + " ".repeat(Math.max(0, shown - line.length())));
            shown = line.length();
        }
        err.flush();
    }

    /** A line that stays. */
    synchronized void println(String line) {
        if (shown > 0) {
            err.print("\r" + line + " ".repeat(Math.max(0, shown - line.length())) + System.lineSeparator());
            shown = 0;
        } else {
            err.println(line);
        }
        err.flush();
    }

    /** Leaves the last progress line on the terminal and moves below it (before the table or an error). */
    synchronized void end() {
        if (shown > 0) {
            err.println();
            err.flush();
            shown = 0;
        }
    }
}
