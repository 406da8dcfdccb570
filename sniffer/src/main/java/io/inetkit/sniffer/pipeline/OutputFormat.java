package io.inetkit.sniffer.pipeline;

import java.util.Locale;

/** How decoded frames are printed ({@code --format}). */
public enum OutputFormat {
    /** One tcpdump-style line per frame with a timestamp, plus the classification. */
    LINE,
    /** The lecture's block per frame, byte for byte. */
    SEED,
    /** One JSON object per line with every field. */
    JSON;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
