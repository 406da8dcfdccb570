package io.inetkit.client.load;

import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Map;

/**
 * The outcome of a load run, or of several merged: what the reports print.
 *
 * @param target         the server (several, comma-separated, after a merge)
 * @param mode           {@code tcp-closed}, {@code tcp-open}, {@code udp-closed} or {@code udp-open}
 * @param framing        the framing spec
 * @param connections    connections asked for
 * @param connectionsUp  connections established
 * @param echoed         connections that completed at least one echo (warmup included)
 * @param echoedInWindow connections that completed at least one echo in the measured window
 * @param payloadSize    payload bytes per message
 * @param wireSize       bytes per message on the wire, framing included
 * @param pipeline       closed loop depth (0 in open loop)
 * @param rate           open loop target msgs/s (0 in closed loop)
 * @param threads        event loop threads
 * @param warmupSeconds  warmup before the window
 * @param durationSeconds the measured window
 * @param messages       echoes completed inside the window
 * @param msgsPerSecond  throughput (the sum of each generator's after a merge)
 * @param censored       messages timed out or still outstanding at the end, recorded as
 *                       {@code end - send} (end: the timeout or the end of the window)
 * @param latency        latency histogram, nanoseconds (censored samples included)
 * @param connect        connect time histogram, nanoseconds
 * @param errors         errors by kind label, every kind listed
 * @param udpSent        UDP: datagrams sent in the window
 * @param udpReceived    UDP: their echoes received
 * @param udpLate        UDP: echoes after their timeout, or duplicates
 * @param series         throughput over time: {seconds since the window opened, msgs/s}
 * @param sources        the generators merged (file names), empty for one run
 * @param cpuPercent     CPU the load generator used in the measured window, in % of one core (-1 when
 *                       unknown, e.g. after a merge)
 */
record LoadResult(String target, String mode, String framing, int connections, int connectionsUp, int echoed, int echoedInWindow,
                  int payloadSize, int wireSize, int pipeline, double rate, int threads, double warmupSeconds,
                  double durationSeconds, long messages, double msgsPerSecond, long censored, Histogram latency,
                  Histogram connect, Map<String, Long> errors, long udpSent, long udpReceived, long udpLate,
                  List<double[]> series, List<String> sources, double cpuPercent) {

    LoadResult {
        errors = Map.copyOf(errors);
        series = List.copyOf(series);
        sources = List.copyOf(sources);
    }

    boolean udp() {
        return mode.startsWith("udp");
    }

    double mibPerSecond() {
        return msgsPerSecond * wireSize / (1024.0 * 1024.0);
    }

    long mismatches() {
        return errors.getOrDefault(ErrorKind.MISMATCH.label(), 0L);
    }

    /** Errors of every kind but mismatches. */
    long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum() - mismatches();
    }

    long udpLost() {
        return Math.max(0, udpSent - udpReceived);
    }

    double udpLossPercent() {
        return udpSent == 0 ? 0 : 100.0 * udpLost() / udpSent;
    }
}
