package io.inetkit.client.load;

import io.inetkit.common.cli.Cli;
import io.inetkit.common.cli.UserException;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import java.io.FileNotFoundException;
import java.nio.file.Path;

/**
 * The {@code --hdr-log} file of one run as it is written (the format is in {@link HdrLogs}): a header,
 * one interval a second, the censored samples, the connect times, with TLS the handshake times, the summary
 * line. Without
 * {@code --hdr-log} every call does nothing.
 */
final class IntervalLog implements AutoCloseable {

    private final HistogramLogWriter writer;
    private long wallStartMs;

    private IntervalLog(HistogramLogWriter writer) {
        this.writer = writer;
    }

    /** @throws UserException when the file cannot be written */
    static IntervalLog open(Path file) {
        if (file == null) {
            return new IntervalLog(null);
        }
        try {
            return new IntervalLog(new HistogramLogWriter(file.toFile()));
        } catch (FileNotFoundException e) {
            throw new UserException(OutputFiles.cannotWrite("--hdr-log", file, e), Cli.EXIT_USAGE);
        }
    }

    /** The header; {@code wallStartMs} is the wall-clock time the measured window opens. */
    void start(String title, long wallStartMs) {
        this.wallStartMs = wallStartMs;
        if (writer == null) {
            return;
        }
        writer.outputComment("[inetkit load " + title + "]");
        writer.outputLogFormatVersion();
        writer.outputStartTime(wallStartMs);
        writer.setBaseTime(wallStartMs);
        writer.outputBaseTime(wallStartMs);
        writer.outputLegend();
    }

    /** One interval of the window, {@code fromMs} to {@code toMs} after it opened; empty ones are left out. */
    void interval(Histogram h, long fromMs, long toMs) {
        if (writer != null && h.getTotalCount() > 0) {
            h.setStartTimeStamp(wallStartMs + fromMs);
            h.setEndTimeStamp(wallStartMs + toMs);
            writer.outputIntervalHistogram(h);
        }
    }

    /** The samples censored at the end, tagged {@code censored}, at the window's end ({@code endMs} after it opened). */
    void censored(Histogram h, long endMs) {
        if (writer != null) {
            long at = wallStartMs + endMs;
            h.setStartTimeStamp(at);
            h.setEndTimeStamp(at);
            h.setTag(HdrLogs.CENSORED);
            writer.outputIntervalHistogram(h);
            h.setTag(null);
        }
    }

    /**
     * The connect times, tagged {@code connect}, with TLS the handshake times, tagged {@code handshake}, with
     * WebSocket the upgrade times, tagged {@code upgrade}, then
     * the summary line {@code inetkit load merge} reads.
     */
    void end(Histogram connect, LoadResult r) {
        if (writer != null) {
            whole(connect, HdrLogs.CONNECT);
            if (r.handshakes() != null) {
                whole(r.handshakes().times().copy(), HdrLogs.HANDSHAKE);
            }
            if (r.webSocket() != null) {
                whole(r.webSocket().upgrades().copy(), HdrLogs.UPGRADE);
            }
            if (r.fromSend() != null) {
                whole(r.fromSend().copy(), HdrLogs.FROM_SEND);
            }
            writer.outputComment(HdrLogs.summaryComment(r));
        }
    }

    /** A histogram of the whole run under {@code tag}, at time 0: not an interval of the window. */
    private void whole(Histogram h, String tag) {
        h.setTag(tag);
        h.setStartTimeStamp(0);
        h.setEndTimeStamp(0);
        writer.outputIntervalHistogram(0, 0, h, 1_000_000.0);
    }

    @Override
    public void close() {
        if (writer != null) {
            writer.close();
        }
    }
}
