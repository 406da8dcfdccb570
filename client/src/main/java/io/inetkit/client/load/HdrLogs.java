package io.inetkit.client.load;

import io.inetkit.common.cli.Cli;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code --hdr-log} file and {@code inetkit load merge}.
 *
 * <p>The file is a standard HdrHistogram interval log ({@code HistogramLogWriter}; values in
 * nanoseconds, the max column in ms): one untagged latency histogram per second of the measured window,
 * a {@code censored} one with the messages outstanding at the end, a {@code connect} one with the
 * connect times, with {@code --tls} a {@code handshake} one with the handshake times, with {@code ws://} an
 * {@code upgrade} one with the WebSocket upgrade times, and a comment line
 * with the run's other figures, which merge reads back:
 *
 * <pre>
 * #[inetkit-summary] target=127.0.0.1:5005 mode=tcp-closed ... messages=3123450 errors=mismatch:0,reset:0,...
 *     handshakes=4102 resumed=0 resumption=false          (with --tls only)
 *     ws_deflate=true ws_deflated=100 ws_closes=1001:3     (with ws:// only)
 *     http_version=HTTP/1.1 http_status=200:41234,404:2 http_body_bytes=2638976   (with http:// only)
 * </pre>
 *
 * <p>Over 300 lines on purpose: the writer and the reader of one file format stay together, so that what
 * {@code load} writes and what {@code load merge} reads back cannot drift apart.
 */
final class HdrLogs {

    static final String SUMMARY = "[inetkit-summary]";
    /** The tag of the connect-time histogram. */
    static final String CONNECT = "connect";
    /** The tag of the samples censored at the end of the window. */
    static final String CENSORED = "censored";
    /** The tag of the TLS handshake-time histogram (with {@code --tls}). */
    static final String HANDSHAKE = "handshake";
    /** The tag of the WebSocket upgrade-time histogram (with {@code ws://}). */
    static final String UPGRADE = "upgrade";
    /** The tag of the open loop's latency from the actual write (wrk2's "uncorrected"). */
    static final String FROM_SEND = "from-send";

    private HdrLogs() {
    }

    static String summaryComment(LoadResult r) {
        StringBuilder sb = new StringBuilder(SUMMARY);
        put(sb, "target", r.target());
        put(sb, "mode", r.mode());
        put(sb, "framing", r.framing());
        put(sb, "connections", r.connections());
        put(sb, "up", r.connectionsUp());
        put(sb, "echoed", r.echoed());
        put(sb, "echoed_in_window", r.echoedInWindow());
        put(sb, "payload", r.payloadSize());
        put(sb, "wire", r.wireSize());
        put(sb, "pipeline", r.pipeline());
        put(sb, "rate", r.rate());
        put(sb, "threads", r.threads());
        put(sb, "warmup", r.warmupSeconds());
        put(sb, "duration", r.durationSeconds());
        put(sb, "messages", r.messages());
        put(sb, "censored", r.censored());
        put(sb, "udp_sent", r.udpSent());
        put(sb, "udp_received", r.udpReceived());
        put(sb, "udp_late", r.udpLate());
        put(sb, "cores", Runtime.getRuntime().availableProcessors());
        put(sb, "kernel", RunInfo.kernel());
        StringBuilder errors = new StringBuilder();
        r.errors().forEach((k, v) -> errors.append(errors.length() == 0 ? "" : ",").append(k).append(':').append(v));
        put(sb, "errors", errors.toString());
        if (r.handshakes() != null) {
            put(sb, "handshakes", r.handshakes().inWindow());
            put(sb, "resumed", r.handshakes().resumedInWindow());
            put(sb, "resumption", r.handshakes().resumption());
        }
        if (r.http() != null) {
            put(sb, "http_version", r.http().version());
            StringBuilder codes = new StringBuilder();
            new TreeMap<>(r.http().statuses()).forEach((code, n) ->
                    codes.append(codes.length() == 0 ? "" : ",").append(code).append(':').append(n));
            put(sb, "http_status", codes.toString());
            put(sb, "http_body_bytes", r.http().bodyBytes());
        }
        if (r.webSocket() != null) {
            put(sb, "ws_deflate", r.webSocket().deflateOffered());
            put(sb, "ws_deflated", r.webSocket().deflated());
            StringBuilder closes = new StringBuilder();
            new TreeMap<>(r.webSocket().serverCloses()).forEach((code, n) ->
                    closes.append(closes.length() == 0 ? "" : ",").append(code).append(':').append(n));
            put(sb, "ws_closes", closes.toString());
        }
        return sb.toString();
    }

    private static void put(StringBuilder sb, String key, Object value) {
        sb.append(' ').append(key).append('=').append(String.valueOf(value).replace(' ', '_'));
    }

    /** One log read back. */
    record Log(Path file, Map<String, String> summary, Histogram latency, Histogram connect,
               Histogram handshake, Histogram upgrade, Histogram fromSend, List<Interval> intervals) {

        /** Whether the run was over TLS: its summary counts handshakes. */
        boolean tls() {
            return summary.containsKey("handshakes");
        }

        /** Whether the run was over WebSocket: its summary has the upgrades' figures. */
        boolean webSocket() {
            return summary.containsKey("ws_deflated");
        }
    }

    /** One second of a window: wall-clock seconds since the epoch, and its latencies. */
    record Interval(double from, double to, Histogram latency) {
    }

    /** @throws IllegalArgumentException naming the file and what is wrong with it */
    static Log read(Path file) {
        Map<String, String> summary = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith("#" + SUMMARY)) {
                    for (String kv : line.substring(SUMMARY.length() + 1).trim().split("\\s+")) {
                        int eq = kv.indexOf('=');
                        if (eq > 0) {
                            summary.put(kv.substring(0, eq), kv.substring(eq + 1));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + Cli.describeFileError(e), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (summary.isEmpty()) {
            throw new IllegalArgumentException(file + " is not a complete inetkit load --hdr-log (no "
                    + SUMMARY + " line: was the run cut short?)");
        }
        Histogram latency = WorkerRecorder.newHistogram();
        Histogram connect = WorkerRecorder.newHistogram();
        Histogram handshake = WorkerRecorder.newHistogram();
        Histogram upgrade = WorkerRecorder.newHistogram();
        Histogram fromSend = WorkerRecorder.newHistogram();
        List<Interval> intervals = new ArrayList<>();
        HistogramLogReader reader;
        try {
            reader = new HistogramLogReader(file.toFile());
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + Cli.describeFileError(e), e);
        }
        try (reader) {
            EncodableHistogram e;
            while ((e = reader.nextIntervalHistogram()) != null) {
                if (!(e instanceof Histogram h)) {
                    throw new IllegalArgumentException(file + ": unexpected histogram type " + e.getClass().getSimpleName());
                }
                String tag = h.getTag();
                if (CONNECT.equals(tag)) {
                    connect.add(h);
                    continue;
                }
                if (HANDSHAKE.equals(tag)) {
                    handshake.add(h);
                    continue;
                }
                if (UPGRADE.equals(tag)) {
                    upgrade.add(h);
                    continue;
                }
                if (FROM_SEND.equals(tag)) {
                    fromSend.add(h);
                    continue;
                }
                latency.add(h);
                if (tag == null) {
                    intervals.add(new Interval(h.getStartTimeStamp() / 1000.0, h.getEndTimeStamp() / 1000.0, h));
                }
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + " is not a readable HdrHistogram log: " + e.getMessage(), e);
        }
        return new Log(file, summary, latency, connect, handshake, upgrade, fromSend, intervals);
    }

    /** Reads every file; @throws IllegalArgumentException naming the first that cannot be read */
    static List<Log> readAll(List<Path> files) {
        return files.stream().map(HdrLogs::read).toList();
    }

    /**
     * What makes a merge of {@code logs} misleading, one line each: runs that did not run together (their
     * windows share no moment), or of different modes (open and closed loop latencies measure different
     * things; TCP and UDP too).
     */
    static List<String> warnings(List<Log> logs) {
        List<String> out = new ArrayList<>();
        double latestStart = Double.NEGATIVE_INFINITY;
        double earliestEnd = Double.POSITIVE_INFINITY;
        List<String> spans = new ArrayList<>();
        for (Log l : logs) {
            if (l.intervals().isEmpty()) {
                continue;
            }
            double from = l.intervals().stream().mapToDouble(Interval::from).min().orElseThrow();
            double to = l.intervals().stream().mapToDouble(Interval::to).max().orElseThrow();
            latestStart = Math.max(latestStart, from);
            earliestEnd = Math.min(earliestEnd, to);
            spans.add(l.file().getFileName() + " " + clock(from) + "-" + clock(to));
        }
        if (spans.size() > 1 && latestStart >= earliestEnd) {
            out.add("the logs do not overlap in time (" + String.join(", ", spans) + " UTC): a merge adds up "
                    + "generators that ran together");
        }
        Set<String> modes = new LinkedHashSet<>();
        logs.forEach(l -> modes.add(l.summary().getOrDefault("mode", "?")));
        if (modes.size() > 1) {
            List<String> each = logs.stream()
                    .map(l -> l.file().getFileName() + " " + l.summary().getOrDefault("mode", "?")).toList();
            out.add("the logs' modes differ (" + String.join(", ", each) + "): their latencies measure different "
                    + "things, and the merged percentiles mix them");
        }
        return out;
    }

    private static String clock(double epochSeconds) {
        return DateTimeFormatter.ISO_LOCAL_TIME.format(
                LocalTime.ofInstant(Instant.ofEpochMilli(Math.round(epochSeconds * 1000)), ZoneOffset.UTC)
                        .truncatedTo(ChronoUnit.SECONDS));
    }

    /** One result from the logs of several generators that ran at the same time. */
    static LoadResult merge(List<Log> logs, String commandLine) {
        Set<String> machines = new LinkedHashSet<>();
        List<Path> files = logs.stream().map(Log::file).toList();
        Histogram latency = WorkerRecorder.newHistogram();
        Histogram connect = WorkerRecorder.newHistogram();
        Histogram handshake = WorkerRecorder.newHistogram();
        long handshakes = 0;
        long resumed = 0;
        boolean resumption = false;
        boolean tls = false;
        double handshakesPerSecond = 0;
        Histogram upgrade = WorkerRecorder.newHistogram();
        boolean ws = false;
        boolean wsDeflate = false;
        long wsDeflated = 0;
        Map<Integer, Long> wsCloses = new LinkedHashMap<>();
        Histogram fromSend = WorkerRecorder.newHistogram();
        Set<String> httpVersions = new LinkedHashSet<>();
        Map<Integer, Long> httpStatus = new LinkedHashMap<>();
        long httpBodyBytes = 0;
        Set<String> targets = new LinkedHashSet<>();
        Set<String> modes = new LinkedHashSet<>();
        Set<String> framings = new LinkedHashSet<>();
        Map<String, Long> errors = new LinkedHashMap<>();
        for (ErrorKind k : ErrorKind.values()) {
            errors.put(k.label(), 0L);
        }
        long connections = 0;
        long up = 0;
        long echoed = 0;
        long echoedInWindow = 0;
        long messages = 0;
        long censored = 0;
        long sent = 0;
        long received = 0;
        long late = 0;
        int threads = 0;
        double rate = 0;
        double msgsPerSecond = 0;
        double bytesPerSecond = 0;
        double duration = 0;
        double warmup = 0;
        double start = Double.MAX_VALUE;
        for (Log l : logs) {
            Map<String, String> s = l.summary();
            latency.add(l.latency());
            connect.add(l.connect());
            targets.add(s.getOrDefault("target", "?"));
            modes.add(s.getOrDefault("mode", "?"));
            framings.add(s.getOrDefault("framing", "?"));
            connections += num(l, "connections");
            up += num(l, "up");
            echoed += num(l, "echoed");
            echoedInWindow += num(l, "echoed_in_window");
            long m = num(l, "messages");
            messages += m;
            censored += num(l, "censored");
            sent += num(l, "udp_sent");
            received += num(l, "udp_received");
            late += num(l, "udp_late");
            threads += (int) num(l, "threads");
            rate += dbl(l, "rate");
            double d = dbl(l, "duration");
            msgsPerSecond += m / d;
            bytesPerSecond += m / d * num(l, "wire");
            duration = Math.max(duration, d);
            warmup = Math.max(warmup, dbl(l, "warmup"));
            for (String kv : s.getOrDefault("errors", "").split(",")) {
                int colon = kv.lastIndexOf(':');
                if (colon > 0) {
                    errors.merge(kv.substring(0, colon), Long.parseLong(kv.substring(colon + 1)), Long::sum);
                }
            }
            for (Interval iv : l.intervals()) {
                start = Math.min(start, iv.from());
            }
            machines.add(machine(l));
            if (l.tls()) {
                tls = true;
                handshake.add(l.handshake());
                long n = num(l, "handshakes");
                handshakes += n;
                handshakesPerSecond += n / d;
                resumed += num(l, "resumed");
                resumption |= Boolean.parseBoolean(l.summary().get("resumption"));
            }
            fromSend.add(l.fromSend());
            if (l.summary().containsKey("http_version")) {
                httpVersions.add(l.summary().get("http_version"));
                httpBodyBytes += num(l, "http_body_bytes");
                codeCounts(l, "http_status", httpStatus);
            }
            if (l.webSocket()) {
                ws = true;
                upgrade.add(l.upgrade());
                wsDeflate |= Boolean.parseBoolean(l.summary().get("ws_deflate"));
                wsDeflated += num(l, "ws_deflated");
                codeCounts(l, "ws_closes", wsCloses);
            }
        }
        // over time: each generator's per-interval rate summed, and its latencies added, per second of wall time
        TreeMap<Long, Double> buckets = new TreeMap<>();
        TreeMap<Long, Histogram> latencies = new TreeMap<>();
        for (Log l : logs) {
            for (Interval iv : l.intervals()) {
                double length = Math.max(1e-3, iv.to() - iv.from());
                long second = Math.round(iv.to() - start);
                buckets.merge(second, iv.latency().getTotalCount() / length, Double::sum);
                latencies.computeIfAbsent(second, k -> WorkerRecorder.newHistogram()).add(iv.latency());
            }
        }
        List<SeriesPoint> series = new ArrayList<>();
        buckets.forEach((t, v) -> series.add(SeriesPoint.of(t, v, latencies.get(t))));
        Log first = logs.get(0);
        int wire = (int) num(first, "wire");
        // MiB/s is msgs/s x wire size: with mixed sizes, report the size that gives the summed bytes
        int effectiveWire = msgsPerSecond > 0 ? (int) Math.round(bytesPerSecond / msgsPerSecond) : wire;
        return LoadResult.builder()
                .target(String.join(",", targets))
                .mode(modes.size() == 1 ? modes.iterator().next() : "mixed")
                .framing(String.join(",", framings))
                .connections((int) connections)
                .connectionsUp((int) up)
                .echoed((int) echoed)
                .echoedInWindow((int) echoedInWindow)
                .payloadSize((int) num(first, "payload"))
                .wireSize(effectiveWire)
                .pipeline((int) num(first, "pipeline"))
                .rate(rate)
                .threads(threads)
                .warmupSeconds(warmup)
                .durationSeconds(duration)
                .messages(messages)
                .msgsPerSecond(msgsPerSecond)
                .censored(censored)
                .latency(latency)
                .connect(connect)
                .errors(errors)
                .udpSent(sent)
                .udpReceived(received)
                .udpLate(late)
                .series(series)
                .sources(files.stream().map(p -> p.getFileName().toString()).toList())
                .run(new RunInfo(start == Double.MAX_VALUE ? "" : RunInfo.date(Math.round(start * 1000)),
                        commandLine, String.join("; ", machines)))
                // the generators' handshakes, as their messages: counts and rates summed, times added
                .handshakes(tls ? new HandshakeStats(handshake, handshakes, handshakesPerSecond, resumption, resumed) : null)
                .webSocket(ws ? new WebSocketStats(upgrade, wsDeflate, wsDeflated, wsCloses) : null)
                .fromSend(fromSend.getTotalCount() > 0 ? fromSend : null)
                // every generator's responses by status, added up; the bodies' rate over the merged window
                .http(httpVersions.isEmpty() ? null : new HttpStats(String.join(",", httpVersions), httpStatus,
                        httpBodyBytes, duration))
                .build();
    }

    /** Adds a summary's {@code CODE:N,CODE:N} entry {@code key} into {@code into}. */
    private static void codeCounts(Log l, String key, Map<Integer, Long> into) {
        for (String kv : l.summary().getOrDefault(key, "").split(",")) {
            int colon = kv.indexOf(':');
            try {
                if (colon > 0) {
                    into.merge(Integer.parseInt(kv.substring(0, colon)), Long.parseLong(kv.substring(colon + 1)),
                            Long::sum);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(l.file() + ": bad " + key + " entry '" + kv + "'", e);
            }
        }
    }

    /** The machine a log was written on, from its summary (logs of older versions have none). */
    private static String machine(Log l) {
        String cores = l.summary().get("cores");
        String kernel = l.summary().get("kernel");
        return l.file().getFileName() + ": " + (cores == null ? "unknown machine"
                : RunInfo.machine(Integer.parseInt(cores), kernel == null ? "?" : kernel.replace('_', ' ')));
    }

    private static long num(Log l, String key) {
        return Math.round(dbl(l, key));
    }

    private static double dbl(Log l, String key) {
        String v = l.summary().get(key);
        if (v == null) {
            throw new IllegalArgumentException(l.file() + ": the summary line has no " + key);
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(l.file() + ": bad " + key + " '" + v + "' in the summary line");
        }
    }
}
