package io.inetkit.sniffer.chain;

/**
 * The user event fired through the pipeline when the capture stops: trackers report what they
 * hold, formatters flush.
 */
public enum CaptureEnded {
    INSTANCE
}
