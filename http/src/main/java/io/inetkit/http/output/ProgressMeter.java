package io.inetkit.http.output;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar on stderr for a download to a file, redrawn in place with {@code \r} at most
 * ten times a second:
 *
 * <pre>
 *   [##################--------------]  56%   574.0 MiB / 1.0 GiB   412.3 MiB/s
 * </pre>
 *
 * Without a {@code content-length} it shows the bytes so far and the rate. Only used when stderr is a
 * terminal (and not with {@code -s}).
 */
public final class ProgressMeter {

    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int BAR = 32;

    private final PrintWriter err;
    private long total = -1;
    private long startNanos;
    private long lastDraw;
    private boolean drawn;
    private boolean over;

    public ProgressMeter(PrintWriter err) {
        this.err = err;
    }

    public void start(long contentLength) {
        total = contentLength;
        startNanos = System.nanoTime();
        lastDraw = 0;
    }

    public void update(long received) {
        long now = System.nanoTime();
        if (!over && now - lastDraw >= REDRAW_NANOS) {
            lastDraw = now;
            draw(received, now);
        }
    }

    public void finish(long received) {
        if (over) {
            return;
        }
        draw(received, System.nanoTime());
        over = true;
        err.println();
        err.flush();
    }

    /** Ends the line so an error message starts on a fresh one. */
    public void abort() {
        if (!over && drawn) {
            err.println();
            err.flush();
        }
        over = true;
    }

    private void draw(long received, long now) {
        double seconds = Math.max(1e-3, (now - startNanos) / 1e9);
        String rate = size(received / seconds) + "/s";
        String line;
        if (total > 0) {
            int filled = (int) Math.min(BAR, received * BAR / total);
            line = String.format(Locale.ROOT, "[%s%s] %3d%%  %10s / %-10s %12s", "#".repeat(filled),
                    "-".repeat(BAR - filled), received * 100 / total, size(received), size(total), rate);
        } else {
            line = String.format(Locale.ROOT, "%10s  %12s", size(received), rate);
        }
        err.print("\r" + line);
        err.flush();
        drawn = true;
    }

    static String size(double bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        while (bytes >= 1024 && u < units.length - 1) {
            bytes /= 1024;
            u++;
        }
        return u == 0 ? String.format(Locale.ROOT, "%.0f %s", bytes, units[u])
                : String.format(Locale.ROOT, "%.1f %s", bytes, units[u]);
    }
}
