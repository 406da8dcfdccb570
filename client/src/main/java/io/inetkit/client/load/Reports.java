package io.inetkit.client.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The text table and the JSON document of a {@link LoadResult}. */
final class Reports {

    /** The latency percentiles every report shows. */
    static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99};

    /** What connections closed before their first echo look like, said where they are counted. */
    static final String CLOSED_AT_CONNECT = "closed by the server before their first echo, as a server-side connection "
            + "limit does: inetkit server --max-connections, --max-connections-per-ip";

    private Reports() {
    }

    /** A duration in nanoseconds as people read it: {@code 45.2 us}, {@code 1.234 ms}, {@code 2.01 s}. */
    static String ms(long nanos) {
        if (nanos < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
        }
        if (nanos < 10_000_000_000L) {
            return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    static String label(double p) {
        String s = p == Math.rint(p) ? String.valueOf((long) p) : String.valueOf(p);
        return "p" + s;
    }

    /** The rows of the report, label and value, shared by the text table and the HTML page. */
    static List<String[]> rows(LoadResult r) {
        List<String[]> rows = new ArrayList<>();
        rows.add(row("target", r.target() + (r.sources().isEmpty() ? "" : " (" + r.sources().size() + " generators)")));
        rows.add(row("mode", r.mode() + ", " + r.framing() + " framing, "
                + (r.rate() > 0 ? String.format(Locale.ROOT, "open loop at %.0f msgs/s", r.rate())
                : "closed loop, pipeline " + r.pipeline()) + ", " + r.threads() + " thread" + (r.threads() == 1 ? "" : "s")));
        rows.add(r.http() != null ? row("message", "a request of " + r.wireSize() + " bytes on the wire (body "
                + r.payloadSize() + "), " + r.http().version())
                : row("message", r.payloadSize() + " bytes (" + r.wireSize() + " on the wire)"));
        rows.add(row("connections", r.connectionsUp() + "/" + r.connections() + " up, " + r.echoed()
                + " echoed at least once (" + r.echoedInWindow() + " in the window)"));
        rows.add(row("measured", String.format(Locale.ROOT, "%.2f s after %.2f s warmup%s", r.durationSeconds(),
                r.warmupSeconds(), r.interrupted() ? " (interrupted: Ctrl-C ended the window there)" : "")));
        rows.add(row("messages", r.messages() + (r.censored() > 0 ? " (+" + r.censored() + " timed out or outstanding at the end, "
                + "in the latency as end - send)" : "")));
        rows.add(r.http() != null ? row("throughput", String.format(Locale.ROOT, "%.0f requests/s, %.2f MiB/s of "
                + "response bodies", r.msgsPerSecond(), r.http().bodyMibPerSecond()))
                : row("throughput", String.format(Locale.ROOT, "%.0f msgs/s, %.2f MiB/s", r.msgsPerSecond(),
                r.mibPerSecond())));
        if (r.cpuPercent() >= 0) {
            rows.add(row("generator cpu", String.format(Locale.ROOT, "%.0f%% of one core", r.cpuPercent())));
        }
        Histogram h = r.latency();
        for (double p : PERCENTILES) {
            rows.add(row("latency " + label(p), h.getTotalCount() == 0 ? "-" : ms(h.getValueAtPercentile(p))));
        }
        rows.add(row("latency max", h.getTotalCount() == 0 ? "-" : ms(h.getMaxValue())));
        if (r.fromSend() != null && r.fromSend().getTotalCount() > 0) {
            // wrk2's "uncorrected" latency: from the actual write, blind to a schedule that slipped
            Histogram f = r.fromSend();
            for (double p : new double[] {50, 99, 99.9}) {
                rows.add(row("from send " + label(p), ms(f.getValueAtPercentile(p))));
            }
            rows.add(row("from send max", ms(f.getMaxValue()) + " (latency from the actual write; the rows above "
                    + "count from the intended send time)"));
        }
        Histogram c = r.connect();
        for (double p : new double[] {50, 90, 99}) {
            rows.add(row("connect " + label(p), c.getTotalCount() == 0 ? "-" : ms(c.getValueAtPercentile(p))));
        }
        rows.add(row("connect max", c.getTotalCount() == 0 ? "-" : ms(c.getMaxValue())));
        handshakeRows(r.handshakes(), rows);
        webSocketRows(r.webSocket(), rows);
        if (r.http() != null) {
            rows.add(row("http status", r.http().describeStatuses()));
            rows.add(row("http bodies", String.format(Locale.ROOT, "%d bytes, %.2f MiB/s", r.http().bodyBytes(),
                    r.http().bodyMibPerSecond())));
        }
        if (r.udp()) {
            rows.add(row("udp datagrams", r.udpSent() + " sent, " + r.udpReceived() + " echoed"));
            rows.add(row("udp lost", String.format(Locale.ROOT, "%d (%.3f%%)", r.udpLost(), r.udpLossPercent())
                    + (r.udpLost() > 0 ? PassCriteria.rateLimitHint(r).replaceFirst("^: ", "; ") : "")));
            rows.add(row("udp late", String.valueOf(r.udpLate())));
        }
        rows.add(row("errors", r.errorCount() + (r.mismatches() > 0 ? " + " + r.mismatches() + " mismatches" : "")));
        // under it, the kinds that happened: nine rows of 0 hide the one that is not
        for (ErrorKind k : ErrorKind.values()) {
            long n = r.errors().getOrDefault(k.label(), 0L);
            if (n > 0) {
                rows.add(row("  " + k.label(), n + (k == ErrorKind.CLOSED_AT_CONNECT ? " (" + CLOSED_AT_CONNECT + ")" : "")));
            }
        }
        return rows;
    }

    /** The TLS handshakes' rows: their rate in the window, then their percentiles (p50 to p99.99). */
    private static void handshakeRows(HandshakeStats hs, List<String[]> rows) {
        if (hs == null) {
            return;
        }
        rows.add(row("handshakes", String.format(Locale.ROOT, "%d in the window, %.0f/s%s", hs.inWindow(), hs.perSecond(),
                hs.resumption() ? String.format(Locale.ROOT, " (%d resumed, %d full)", hs.resumedInWindow(),
                        hs.inWindow() - hs.resumedInWindow()) : " (full handshakes: no resumption)")));
        Histogram h = hs.times();
        for (double p : PERCENTILES) {
            rows.add(row("handshake " + label(p), h.getTotalCount() == 0 ? "-" : ms(h.getValueAtPercentile(p))));
        }
        rows.add(row("handshake max", h.getTotalCount() == 0 ? "-" : ms(h.getMaxValue())));
    }

    /** The WebSocket rows: the upgrades' percentiles, permessage-deflate, and the server's close frames by code. */
    private static void webSocketRows(WebSocketStats ws, List<String[]> rows) {
        if (ws == null) {
            return;
        }
        Histogram h = ws.upgrades();
        rows.add(row("ws upgrades", h.getTotalCount() + (ws.deflateOffered()
                ? ", " + ws.deflated() + " with permessage-deflate" : " (permessage-deflate not offered)")));
        for (double p : PERCENTILES) {
            rows.add(row("upgrade " + label(p), h.getTotalCount() == 0 ? "-" : ms(h.getValueAtPercentile(p))));
        }
        rows.add(row("upgrade max", h.getTotalCount() == 0 ? "-" : ms(h.getMaxValue())));
        rows.add(row("ws closes", ws.describeCloses()));
    }

    private static String[] row(String a, String b) {
        return new String[] {a, b};
    }

    static String text(LoadResult r) {
        List<String[]> rows = rows(r);
        int w = rows.stream().mapToInt(x -> x[0].length()).max().orElse(10);
        StringBuilder sb = new StringBuilder();
        String line = "-".repeat(w + 2) + "+" + "-".repeat(50) + "\n";
        sb.append(String.format(Locale.ROOT, " %-" + w + "s | %s%n", "inetkit load", "result"));
        sb.append(line);
        for (String[] row : rows) {
            sb.append(String.format(Locale.ROOT, " %-" + w + "s | %s%n", row[0], row[1]));
        }
        return sb.toString();
    }

    static Map<String, Object> json(LoadResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", r.target());
        m.put("mode", r.mode());
        m.put("framing", r.framing());
        Map<String, Object> conns = new LinkedHashMap<>();
        conns.put("requested", r.connections());
        conns.put("up", r.connectionsUp());
        conns.put("echoed", r.echoed());
        conns.put("echoed_in_window", r.echoedInWindow());
        m.put("connections", conns);
        m.put("payload_bytes", r.payloadSize());
        m.put("wire_bytes", r.wireSize());
        m.put("pipeline", r.pipeline());
        m.put("rate", r.rate());
        m.put("threads", r.threads());
        m.put("warmup_s", r.warmupSeconds());
        m.put("duration_s", r.durationSeconds());
        m.put("interrupted", r.interrupted());
        m.put("messages", r.messages());
        m.put("censored", r.censored());
        m.put("msgs_per_s", r.msgsPerSecond());
        m.put("mib_per_s", r.mibPerSecond());
        if (r.cpuPercent() >= 0) {
            m.put("cpu_pct", r.cpuPercent());
        }
        m.put("latency_us", percentiles(r.latency(), PERCENTILES));
        m.put("connect_us", percentiles(r.connect(), new double[] {50, 90, 99}));
        if (r.fromSend() != null) {
            m.put("latency_from_send_us", percentiles(r.fromSend(), PERCENTILES));
        }
        if (r.handshakes() != null) {
            Map<String, Object> hs = new LinkedHashMap<>();
            hs.put("in_window", r.handshakes().inWindow());
            hs.put("per_second", r.handshakes().perSecond());
            hs.put("resumption", r.handshakes().resumption());
            hs.put("resumed_in_window", r.handshakes().resumedInWindow());
            hs.put("count", r.handshakes().times().getTotalCount());
            hs.put("duration_us", percentiles(r.handshakes().times(), PERCENTILES));
            m.put("handshake", hs);
        }
        if (r.http() != null) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("version", r.http().version());
            Map<String, Long> codes = new LinkedHashMap<>();
            new java.util.TreeMap<>(r.http().statuses()).forEach((code, n) -> codes.put(String.valueOf(code), n));
            h.put("status", codes);
            h.put("status_classes", r.http().classes());
            h.put("body_bytes", r.http().bodyBytes());
            h.put("body_mib_per_s", r.http().bodyMibPerSecond());
            m.put("http", h);
        }
        if (r.webSocket() != null) {
            WebSocketStats ws = r.webSocket();
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("upgrades", ws.upgrades().getTotalCount());
            w.put("upgrade_us", percentiles(ws.upgrades(), PERCENTILES));
            w.put("deflate_offered", ws.deflateOffered());
            w.put("deflated", ws.deflated());
            Map<String, Long> closes = new LinkedHashMap<>();
            new java.util.TreeMap<>(ws.serverCloses()).forEach((code, n) -> closes.put(String.valueOf(code), n));
            w.put("server_closes", closes);
            m.put("websocket", w);
        }
        Map<String, Long> errors = new LinkedHashMap<>();
        for (ErrorKind k : ErrorKind.values()) {
            errors.put(k.label(), r.errors().getOrDefault(k.label(), 0L));
        }
        m.put("errors", errors);
        if (r.udp()) {
            Map<String, Object> u = new LinkedHashMap<>();
            u.put("sent", r.udpSent());
            u.put("received", r.udpReceived());
            u.put("lost", r.udpLost());
            u.put("loss_pct", r.udpLossPercent());
            u.put("late", r.udpLate());
            m.put("udp", u);
        }
        List<Map<String, Object>> series = new ArrayList<>();
        for (SeriesPoint p : r.series()) {
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("t_s", p.seconds());
            point.put("msgs_per_s", p.msgsPerSecond());
            if (p.hasLatency()) {
                point.put("p50_us", p.p50() / 1e3);
                point.put("p99_us", p.p99() / 1e3);
                point.put("max_us", p.max() / 1e3);
            }
            series.add(point);
        }
        m.put("throughput_series", series);
        if (!r.sources().isEmpty()) {
            m.put("merged_from", r.sources());
        }
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("date", r.run().date());
        run.put("command_line", r.run().commandLine());
        run.put("machine", r.run().machine());
        m.put("run", run);
        return m;
    }

    private static Map<String, Object> percentiles(Histogram h, double[] ps) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", h.getTotalCount());
        for (double p : ps) {
            m.put(label(p).replace('.', '_'), h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(p) / 1e3);
        }
        m.put("max", h.getTotalCount() == 0 ? 0 : h.getMaxValue() / 1e3);
        m.put("mean", h.getTotalCount() == 0 ? 0 : h.getMean() / 1e3);
        return m;
    }

    static void writeJson(LoadResult r, Path file) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json(r));
    }
}
