package io.inetkit.client.load;

import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of a load run, or of several merged: the one model that the text table, the JSON, the
 * HTML page and the {@code --hdr-log} summary line all read. Built with {@link #builder()}.
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
 * @param series         throughput and latency over time, a point a second
 * @param sources        the generators merged (file names), empty for one run
 * @param cpuPercent     CPU the load generator used in the measured window, in % of one core (-1 when
 *                       unknown, e.g. after a merge)
 * @param interrupted    Ctrl-C ended the window before --duration
 * @param run            when, how and where it ran
 * @param handshakes     with --tls: the TLS handshakes; null without TLS
 * @param webSocket      with a ws:// target: the upgrades and the server's close frames; null otherwise
 * @param http           with an http:// target: the responses by status and their bodies; null otherwise
 * @param fromSend       open loop: the latency from each message's actual write, not its intended send time
 *                       (wrk2's "uncorrected" latency, what coordinated omission would show); null in the closed loop
 */
record LoadResult(String target,
                  String mode,
                  String framing,
                  int connections,
                  int connectionsUp,
                  int echoed,
                  int echoedInWindow,
                  int payloadSize,
                  int wireSize,
                  int pipeline,
                  double rate,
                  int threads,
                  double warmupSeconds,
                  double durationSeconds,
                  long messages,
                  double msgsPerSecond,
                  long censored,
                  Histogram latency,
                  Histogram connect,
                  Map<String, Long> errors,
                  long udpSent,
                  long udpReceived,
                  long udpLate,
                  List<SeriesPoint> series,
                  List<String> sources,
                  double cpuPercent,
                  boolean interrupted,
                  RunInfo run,
                  HandshakeStats handshakes,
                  WebSocketStats webSocket,
                  HttpStats http,
                  Histogram fromSend) {

    LoadResult {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(framing, "framing");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(connect, "connect");
        errors = Map.copyOf(errors);
        series = List.copyOf(series);
        sources = List.copyOf(sources);
        Objects.requireNonNull(run, "run");
    }

    /** This result with the TLS handshakes of the run. */
    LoadResult withHandshakes(HandshakeStats h) {
        return new LoadResult(target, mode, framing, connections, connectionsUp, echoed, echoedInWindow, payloadSize,
                wireSize, pipeline, rate, threads, warmupSeconds, durationSeconds, messages, msgsPerSecond, censored,
                latency, connect, errors, udpSent, udpReceived, udpLate, series, sources, cpuPercent, interrupted, run, h,
                webSocket, http, fromSend);
    }

    /** This result with the WebSocket upgrades and closes of the run. */
    LoadResult withWebSocket(WebSocketStats w) {
        return new LoadResult(target, mode, framing, connections, connectionsUp, echoed, echoedInWindow, payloadSize,
                wireSize, pipeline, rate, threads, warmupSeconds, durationSeconds, messages, msgsPerSecond, censored,
                latency, connect, errors, udpSent, udpReceived, udpLate, series, sources, cpuPercent, interrupted, run,
                handshakes, w, http, fromSend);
    }

    /** This result with the HTTP responses of the run. */
    LoadResult withHttp(HttpStats h) {
        return new LoadResult(target, mode, framing, connections, connectionsUp, echoed, echoedInWindow, payloadSize,
                wireSize, pipeline, rate, threads, warmupSeconds, durationSeconds, messages, msgsPerSecond, censored,
                latency, connect, errors, udpSent, udpReceived, udpLate, series, sources, cpuPercent, interrupted, run,
                handshakes, webSocket, h, fromSend);
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

    long closedAtConnect() {
        return errors.getOrDefault(ErrorKind.CLOSED_AT_CONNECT.label(), 0L);
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

    static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link LoadResult}; counts start at 0, histograms empty, {@code cpuPercent} unknown (-1). */
    static final class Builder {
        private String target = "";
        private String mode = "tcp-closed";
        private String framing = "raw";
        private int connections;
        private int connectionsUp;
        private int echoed;
        private int echoedInWindow;
        private int payloadSize;
        private int wireSize;
        private int pipeline;
        private double rate;
        private int threads;
        private double warmupSeconds;
        private double durationSeconds;
        private long messages;
        private double msgsPerSecond;
        private long censored;
        private Histogram latency = WorkerRecorder.newHistogram();
        private Histogram connect = WorkerRecorder.newHistogram();
        private Map<String, Long> errors = Map.of();
        private long udpSent;
        private long udpReceived;
        private long udpLate;
        private List<SeriesPoint> series = List.of();
        private List<String> sources = List.of();
        private double cpuPercent = -1;
        private boolean interrupted;
        private RunInfo run = RunInfo.NONE;

        private Builder() {
        }

        Builder target(String v) {
            target = v;
            return this;
        }

        Builder mode(String v) {
            mode = v;
            return this;
        }

        Builder framing(String v) {
            framing = v;
            return this;
        }

        Builder connections(int v) {
            connections = v;
            return this;
        }

        Builder connectionsUp(int v) {
            connectionsUp = v;
            return this;
        }

        Builder echoed(int v) {
            echoed = v;
            return this;
        }

        Builder echoedInWindow(int v) {
            echoedInWindow = v;
            return this;
        }

        Builder payloadSize(int v) {
            payloadSize = v;
            return this;
        }

        Builder wireSize(int v) {
            wireSize = v;
            return this;
        }

        Builder pipeline(int v) {
            pipeline = v;
            return this;
        }

        Builder rate(double v) {
            rate = v;
            return this;
        }

        Builder threads(int v) {
            threads = v;
            return this;
        }

        Builder warmupSeconds(double v) {
            warmupSeconds = v;
            return this;
        }

        Builder durationSeconds(double v) {
            durationSeconds = v;
            return this;
        }

        Builder messages(long v) {
            messages = v;
            return this;
        }

        Builder msgsPerSecond(double v) {
            msgsPerSecond = v;
            return this;
        }

        Builder censored(long v) {
            censored = v;
            return this;
        }

        Builder latency(Histogram v) {
            latency = v;
            return this;
        }

        Builder connect(Histogram v) {
            connect = v;
            return this;
        }

        Builder errors(Map<String, Long> v) {
            errors = v;
            return this;
        }

        Builder udpSent(long v) {
            udpSent = v;
            return this;
        }

        Builder udpReceived(long v) {
            udpReceived = v;
            return this;
        }

        Builder udpLate(long v) {
            udpLate = v;
            return this;
        }

        Builder series(List<SeriesPoint> v) {
            series = v;
            return this;
        }

        Builder sources(List<String> v) {
            sources = v;
            return this;
        }

        Builder cpuPercent(double v) {
            cpuPercent = v;
            return this;
        }

        Builder interrupted(boolean v) {
            interrupted = v;
            return this;
        }

        Builder run(RunInfo v) {
            run = v;
            return this;
        }

        private HandshakeStats handshakes;

        Builder handshakes(HandshakeStats v) {
            handshakes = v;
            return this;
        }

        private WebSocketStats webSocket;
        private HttpStats http;
        private Histogram fromSend;

        Builder fromSend(Histogram v) {
            fromSend = v;
            return this;
        }

        Builder http(HttpStats v) {
            http = v;
            return this;
        }

        Builder webSocket(WebSocketStats v) {
            webSocket = v;
            return this;
        }

        LoadResult build() {
            return new LoadResult(target, mode, framing, connections, connectionsUp, echoed, echoedInWindow, payloadSize, wireSize, pipeline, rate, threads, warmupSeconds, durationSeconds, messages, msgsPerSecond, censored, latency, connect, errors, udpSent, udpReceived, udpLate, series, sources, cpuPercent, interrupted, run, handshakes, webSocket, http, fromSend);
        }
    }
}
