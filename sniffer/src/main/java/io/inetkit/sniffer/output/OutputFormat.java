package io.inetkit.sniffer.output;

import io.inetkit.sniffer.chain.FrameHandler;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.Locale;

/** How decoded frames are printed ({@code --format}). */
public enum OutputFormat {
    /** One tcpdump-style line per frame with a timestamp, plus the classification. */
    LINE,
    /** The lecture's block per frame, byte for byte. */
    SEED,
    /** One JSON object per line with every field. */
    JSON;

    /** The output handler of this format, writing to the command's {@code out} and {@code err}. */
    public FrameHandler newFormatter(PrintWriter out, PrintWriter err, ZoneId zone) throws IOException {
        return newFormatter(out, err, zone, TcpdumpStyle.DEFAULT);
    }

    /** The output handler of this format; {@code style} shapes the line format's text. */
    public FrameHandler newFormatter(PrintWriter out, PrintWriter err, ZoneId zone, TcpdumpStyle style)
            throws IOException {
        return switch (this) {
            case LINE -> new LineFormatter(out, err, zone, style);
            case SEED -> new SeedFormatter(out, err, zone);
            case JSON -> new JsonFormatter(out, err, zone);
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
