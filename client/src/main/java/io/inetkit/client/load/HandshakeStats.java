package io.inetkit.client.load;

import org.HdrHistogram.Histogram;

import java.util.Objects;

/**
 * The TLS handshakes of a run ({@code load --tls}), its own block in the table, the JSON ({@code "handshake"})
 * and the HTML: how long each took (from the TCP connection up to the handshake done; every handshake of the
 * run, the first connects included) and how many completed inside the measured window, per second: with
 * {@code --reconnect}, the handshake rate the server sustained.
 *
 * @param times     handshake durations, nanoseconds
 * @param inWindow  handshakes completed in the measured window
 * @param perSecond {@code inWindow} over the window's seconds
 * @param resumed   whether the run offered session resumption ({@code --tls-resume})
 */
record HandshakeStats(Histogram times, long inWindow, double perSecond, boolean resumed) {

    HandshakeStats {
        Objects.requireNonNull(times, "times");
    }
}
