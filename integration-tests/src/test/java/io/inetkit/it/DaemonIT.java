package io.inetkit.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The daemon's operator-facing side: /metrics parsed family by family, /health, JSON and file logging. */
class DaemonIT {

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(10_000);
        return s;
    }

    @Test
    void metricsCoverConnectionsTrafficErrorsUdpNettyMemoryAndTheJvm() throws Exception {
        try (ServerProcess server = ServerProcess.start("--tcp", "0:line:16", "--udp", "0", "--max-connections", "1");
             Socket served = connect(server.tcpPort())) {
            int port = server.tcpPort();
            String tcp = "tcp/" + port;
            String udp = "udp/" + server.udp.get(0);
            served.getOutputStream().write("hello\nworld\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(served.getInputStream().readNBytes(12)).asString(StandardCharsets.US_ASCII).isEqualTo("hello\nworld\n");
            try (Socket refused = connect(port)) {
                assertThat(refused.getInputStream().read()).isEqualTo(-1);
            }
            try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                client.setSoTimeout(5000);
                byte[] hello = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
                client.send(new DatagramPacket(hello, hello.length, new InetSocketAddress("127.0.0.1", server.udp.get(0))));
                client.receive(new DatagramPacket(new byte[64], 64));
            }
            served.getOutputStream().write("this line is longer than sixteen bytes\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(served.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).startsWith("ERR");
            await().until(() -> server.scrape().value("inetkit_connections_active", "listener", tcp) == 0);

            PrometheusText m = server.scrape();
            assertThat(m.type("inetkit_connections_active")).isEqualTo("gauge");
            assertThat(m.type("inetkit_connections_accepted_total")).isEqualTo("counter");
            assertThat(m.value("inetkit_connections_accepted_total", "listener", tcp)).isEqualTo(1);
            assertThat(m.samples("inetkit_connections_rejected_total")).extracting(s -> s.labels().get("reason"))
                    .containsExactlyInAnyOrder("denied", "max_connections", "max_connections_per_ip", "draining");
            assertThat(m.value("inetkit_connections_rejected_total", "listener", tcp, "reason", "max_connections")).isEqualTo(1);
            assertThat(m.value("inetkit_connections_idle_closed_total", "listener", tcp)).isZero();
            assertThat(m.value("inetkit_received_frames_total", "listener", tcp)).isEqualTo(2);
            assertThat(m.value("inetkit_sent_frames_total", "listener", tcp)).isEqualTo(2);
            assertThat(m.value("inetkit_received_bytes_total", "listener", tcp)).isEqualTo(12);
            assertThat(m.value("inetkit_sent_bytes_total", "listener", tcp)).isEqualTo(12);
            assertThat(m.value("inetkit_frame_errors_total", "listener", tcp, "kind", "too_long")).isEqualTo(1);
            assertThat(m.samples("inetkit_frame_errors_total")).extracting(s -> s.labels().get("kind"))
                    .containsExactlyInAnyOrder("too_long", "corrupt", "incomplete", "other");
            assertThat(m.value("inetkit_listener_info", "listener", tcp, "framing", "line:16")).isEqualTo(1);
            assertThat(m.value("inetkit_udp_received_datagrams_total", "listener", udp)).isEqualTo(1);
            assertThat(m.value("inetkit_udp_sent_datagrams_total", "listener", udp)).isEqualTo(1);
            assertThat(m.value("inetkit_received_bytes_total", "listener", udp)).isEqualTo(13);
            assertThat(m.value("inetkit_sent_bytes_total", "listener", udp)).isEqualTo(13);
            assertThat(m.samples("inetkit_udp_dropped_datagrams_total")).extracting(s -> s.labels().get("reason"))
                    .containsExactlyInAnyOrder("empty", "source_port", "rate");
            assertThat(m.value("inetkit_udp_sources", "listener", udp)).isEqualTo(1);
            assertThat(m.value("inetkit_serving")).isEqualTo(1);
            assertThat(m.value("netty_allocator_memory_used", "memory_type", "direct")).isPositive();
            assertThat(m.value("netty_allocator_memory_used", "memory_type", "heap")).isNotNegative();
            assertThat(m.sum("jvm_memory_used_bytes", "area", "heap")).isPositive();
            assertThat(m.value("jvm_buffer_memory_used_bytes", "id", "direct")).isNotNegative();
            assertThat(m.value("process_files_open_files")).isEqualTo(server.fdCount(), org.assertj.core.data.Offset.offset(5.0));
            assertThat(m.names()).contains("jvm_gc_pause_seconds_count", "jvm_threads_live_threads",
                    "jvm_classes_loaded_classes", "process_cpu_usage", "process_uptime_seconds");
            assertThat(server.get("/health")).isEqualTo(new ServerProcess.Response(200, "serving\n"));
            assertThat(server.get("/nothing-here").status()).isEqualTo(404);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void jsonLogsAreOneObjectPerLine() throws Exception {
        try (ServerProcess server = ServerProcess.start("--tcp", "0", "--log-format", "json")) {
            server.program.sigterm();
            assertThat(server.program.awaitExit(Duration.ofSeconds(15))).isZero();
            await().until(() -> server.log().stream().anyMatch(l -> l.contains("bytes discarded")));
            List<JsonNode> lines = new ArrayList<>();
            for (String line : server.log()) {
                lines.add(JSON.readTree(line));
            }
            assertThat(lines).allSatisfy(n -> {
                assertThat(n.path("level").asText()).isIn("INFO", "WARN");
                assertThat(n.path("timestamp").asLong()).isPositive();
                assertThat(n.path("loggerName").asText()).startsWith("io.inetkit.");
                assertThat(n.path("formattedMessage").isTextual()).isTrue();
            });
            assertThat(lines).extracting(n -> n.path("formattedMessage").asText())
                    .anyMatch(msg -> msg.startsWith("listening on tcp 127.0.0.1:"))
                    .anyMatch(msg -> msg.startsWith("stopping: draining connections"));
        }
    }

    @Test
    void aLogFileTakesTheLogAndStderrStaysQuiet(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("logs").resolve("server.log");
        try (Program server = Program.start("server", "--tcp", "0", "--admin", "off", "--log-file", file.toString())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(file)
                    && Files.readString(file).contains("listening on tcp 127.0.0.1:"));
            server.sigterm();
            assertThat(server.awaitExit(Duration.ofSeconds(15))).isZero();
            assertThat(server.stderr()).isEmpty();
            String log = Files.readString(file);
            assertThat(log).contains("stopping: draining connections").contains("bytes discarded");
            assertThat(log.lines().findFirst().orElseThrow()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO .*");
        }
    }

    @Test
    void perConnectionEventsAreLoggedAtDebugOnly() throws Exception {
        try (ServerProcess info = ServerProcess.start("--tcp", "0:line");
             ServerProcess debug = ServerProcess.start("--tcp", "0:line", "--log-level", "debug")) {
            for (ServerProcess server : List.of(info, debug)) {
                try (Socket s = connect(server.tcpPort())) {
                    s.getOutputStream().write("hi\n".getBytes(StandardCharsets.US_ASCII));
                    assertThat(s.getInputStream().readNBytes(3)).hasSize(3);
                }
            }
            String tcp = "tcp/" + debug.tcpPort();
            await().until(() -> debug.log().stream().anyMatch(l -> l.contains("DEBUG") && l.contains(tcp) && l.endsWith(": closed")));
            assertThat(debug.log()).anyMatch(l -> l.contains("DEBUG") && l.contains(tcp) && l.endsWith(": accepted"));
            await().until(() -> info.scrape().value("inetkit_connections_active", "listener", "tcp/" + info.tcpPort()) == 0);
            assertThat(info.log()).noneMatch(l -> l.contains("accepted") || l.endsWith("closed"));
        }
    }
}
