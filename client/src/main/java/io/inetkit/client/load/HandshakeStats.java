package io.inetkit.client.load;

import org.HdrHistogram.Histogram;

import java.util.Objects;

/**
 * The TLS handshakes of a run ({@code load --tls}), its own block in the table, the JSON ({@code "handshake"})
 * and the HTML: how long each took (from the TCP connection up to the handshake done; every handshake of the
 * run, the first connects included) and how many completed inside the measured window, per second: with
 * {@code --reconnect}, the handshake rate the server sustained.
 *
 * @param times            handshake durations, nanoseconds
 * @param inWindow         handshakes completed in the measured window
 * @param perSecond        {@code inWindow} over the window's seconds
 * @param resumption       whether the run offered session resumption ({@code --tls-resume})
 * @param resumedInWindow  of {@code inWindow}, the handshakes that resumed a session (the server may refuse to:
 *                         a full handshake then; the report shows how many it granted)
 */
record HandshakeStats(Histogram times, long inWindow, double perSecond, boolean resumption, long resumedInWindow) {

    HandshakeStats {
        Objects.requireNonNull(times, "times");
    }
}
