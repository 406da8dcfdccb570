package io.inetkit.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The server's {@code /metrics} as the Prometheus ecosystem reads it: a real scrape (after echo traffic over TCP,
 * UDP and HTTP, a frame error and a GC, so that every family has samples) passes {@code promtool check metrics},
 * and every metric that a panel of the Grafana dashboard ({@code docker/grafana/inetkit-dashboard.json}) queries
 * is in that scrape.
 */
class MetricsConventionsIT {

    private static ServerProcess server;
    private static String scrape;

    @BeforeAll
    static void scrapeAfterTraffic() throws Exception {
        // a TLS and a WebSocket listener too: the dashboard's TLS and WebSocket panels read their meters
        server = ServerProcess.start("--tcp", "0", "--tcp", "0:length:4", "--udp", "0", "--http", "0",
                "--tcp", "0:tls", "--tls", "self-signed", "--ws", "0");
        byte[] hello = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.tcpPort("raw")), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(hello);
            assertThat(s.getInputStream().readNBytes(hello.length)).isEqualTo(hello);
        }
        // a length:4 frame longer than the listener's maximum: one frame error (corrupt)
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.tcpPort("length:4:8192")), 5000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(new byte[] {0x7f, 0, 0, 0});
            out.flush();
            s.getInputStream().readAllBytes(); // whatever the server answers, then its close
        }
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            udp.setSoTimeout(10_000);
            udp.send(new DatagramPacket(hello, hello.length, new InetSocketAddress("127.0.0.1", server.udp.get(0))));
            DatagramPacket echo = new DatagramPacket(new byte[64], 64);
            udp.receive(echo);
            assertThat(echo.getLength()).isEqualTo(hello.length);
        }
        assertThat(server.get("/health").status()).isEqualTo(200);
        server.gc();
        // the JVM reports a collection to Micrometer by a notification, after the collection: the pause timer
        // (which the dashboard's GC panel reads) appears in a scrape shortly after, not at once
        await().atMost(Duration.ofSeconds(20)).until(() -> server.get("/metrics").body().contains("jvm_gc_pause_seconds_count"));
        ServerProcess.Response r = server.get("/metrics");
        assertThat(r.status()).isEqualTo(200);
        scrape = r.body();
        assertThat(PrometheusText.parse(scrape).sum("inetkit_frame_errors_total")).isEqualTo(1);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void scrapePassesPromtool() throws Exception {
        assertPromtoolAccepts(scrape);
    }

    /** {@code promtool check metrics} on {@code text}: exit 0 and nothing to say (skipped without promtool). */
    static void assertPromtoolAccepts(String text) throws Exception {
        String promtool = onPath("promtool");
        assumeTrue(promtool != null, "promtool is not installed (Debian: apt-get install prometheus); skipped");
        Process p = new ProcessBuilder(promtool, "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        String verdict = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("promtool check metrics said:%n%s", verdict).isZero();
        assertThat(verdict).isBlank();
    }

    @Test
    void everyDashboardQueryNamesAMetricOfTheScrape() throws Exception {
        Set<String> scraped = PrometheusText.parse(scrape).names();
        JsonNode dashboard = new ObjectMapper().readTree(
                Program.root().resolve("docker/grafana/inetkit-dashboard.json").toFile());
        List<String> queries = new ArrayList<>();
        collectQueries(dashboard.path("panels"), queries);
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("query").has("query")) {
                queries.add(variable.path("query").path("query").asText());
            }
        }
        assertThat(queries).as("panel queries").hasSizeGreaterThan(20);

        Set<String> named = new TreeSet<>();
        List<String> missing = new ArrayList<>();
        for (String query : queries) {
            Set<String> names = metricNames(query);
            assertThat(names).as("metric names in %s", query).isNotEmpty();
            for (String name : names) {
                named.add(name);
                if (!scraped.contains(name)) {
                    missing.add(name + " (in " + query + ")");
                }
            }
        }
        assertThat(missing).as("metrics the dashboard queries but /metrics does not have").isEmpty();
        // what the issue asks the dashboard to show
        assertThat(named).contains("inetkit_connections_active", "inetkit_received_frames_total",
                "inetkit_received_bytes_total", "inetkit_frame_errors_total", "inetkit_connections_rejected_total",
                "inetkit_udp_dropped_datagrams_total", "inetkit_serving", "jvm_memory_used_bytes",
                "jvm_gc_pause_seconds_count");
    }

    @Test
    void metricNamesAreReadOutOfPromQl() {
        assertThat(metricNames("sum by (listener, kind) (rate(inetkit_frame_errors_total{instance=~\"$instance\"}"
                + "[$__rate_interval]))")).containsExactly("inetkit_frame_errors_total");
        assertThat(metricNames("sum by (instance) (jvm_memory_used_bytes{area=\"heap\"}) / on (instance) up"))
                .containsExactly("jvm_memory_used_bytes", "up");
        assertThat(metricNames("label_values(inetkit_serving, instance)")).containsExactly("inetkit_serving");
    }

    private static void collectQueries(JsonNode panels, List<String> into) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                into.add(target.path("expr").asText());
            }
            collectQueries(panel.path("panels"), into);
        }
    }

    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "bool", "offset", "and", "or", "unless");

    /**
     * The metric names a PromQL expression reads: its identifiers that are not functions or aggregations (those
     * are followed by "("), keywords, label names (inside {...}, by/on/without lists) or range durations.
     * label_values(METRIC, LABEL) of a Grafana variable names METRIC.
     */
    static Set<String> metricNames(String query) {
        String q = query.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,[^)]*\\)", "$1");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = IDENTIFIER.matcher(q);
        while (m.find()) {
            String word = m.group();
            boolean call = q.substring(m.end()).stripLeading().startsWith("(");
            boolean variable = m.start() > 0 && q.charAt(m.start() - 1) == '$';
            if (!call && !variable && !KEYWORDS.contains(word)) {
                names.add(word);
            }
        }
        return names;
    }

    private static String onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }
}
