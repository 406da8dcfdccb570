package io.inetkit.sniffer.pipeline;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;

/**
 * What the handler chain does with decoded frames.
 *
 * @param format        how frames are printed (default {@link OutputFormat#LINE})
 * @param watch         whether the station tracker and the alert handlers run (default false)
 * @param stormRequests a request storm is more than this many requests ... (default
 *                      {@value RequestStormDetector#DEFAULT_REQUESTS})
 * @param stormWindow   ... within this (default 10 ms)
 * @param zone          the zone times are printed in (default: the system's)
 */
public record PipelineSettings(OutputFormat format, boolean watch, int stormRequests, Duration stormWindow,
                               ZoneId zone) {

    public static final int DEFAULT_STORM_REQUESTS = RequestStormDetector.DEFAULT_REQUESTS;
    public static final Duration DEFAULT_STORM_WINDOW = RequestStormDetector.DEFAULT_WINDOW;

    public PipelineSettings {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(stormWindow, "stormWindow");
        Objects.requireNonNull(zone, "zone");
        if (stormRequests < 1) {
            throw new IllegalArgumentException("stormRequests must be >= 1: " + stormRequests);
        }
        if (stormWindow.isNegative() || stormWindow.isZero() || stormWindow.toNanos() < 1000) {
            throw new IllegalArgumentException("stormWindow must be at least 1 microsecond: " + stormWindow);
        }
    }

    /** Line output, no watch, default storm limits, the system zone. */
    public static PipelineSettings defaults() {
        return new PipelineSettings(OutputFormat.LINE, false, DEFAULT_STORM_REQUESTS, DEFAULT_STORM_WINDOW,
                ZoneId.systemDefault());
    }

    public PipelineSettings withWatch(boolean w) {
        return new PipelineSettings(format, w, stormRequests, stormWindow, zone);
    }

    public PipelineSettings withZone(ZoneId z) {
        return new PipelineSettings(format, watch, stormRequests, stormWindow, z);
    }
}
