package io.inetkit.client.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inetkit.client.testing.CliRun;
import io.inetkit.client.testing.FaultyEchoServer;
import io.inetkit.client.testing.FaultyEchoServer.Fault;
import io.inetkit.common.cli.Cli;
import io.inetkit.common.framing.Framing;
import io.inetkit.server.EchoServer;
import io.inetkit.server.ServerSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code inetkit load} end to end: against the real echo server, every framing, TCP and UDP, and against faults. */
class LoadCommandTest {

    static final List<String> FRAMINGS = List.of("raw", "fixed:32", "line", "delimiter:\\r\\n", "length:1:200",
            "length:2", "length:4", "length:8");

    static EchoServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() {
        // no per-source UDP rate limit: at its default 1000/s the closed-loop UDP run lost 3 % (--max-loss caught it)
        ServerSettings.Builder b = ServerSettings.builder().bind("127.0.0.1").ioThreads(1).udp(0)
                .udpGuard(new ServerSettings.UdpGuard(ServerSettings.UdpGuard.DEFAULT_MIN_SOURCE_PORT, 0,
                        ServerSettings.UdpGuard.DEFAULT_MAX_SOURCES));
        FRAMINGS.forEach(f -> b.tcp(0, Framing.parse(f)));
        server = new EchoServer(b.build()).start();
    }

    @AfterAll
    static void stopServer() {
        server.stop();
    }

    static String port(String framing) {
        return String.valueOf(server.tcpAddresses().get(FRAMINGS.indexOf(framing)).getPort());
    }

    static String udpPort() {
        return String.valueOf(server.udpAddresses().get(0).getPort());
    }

    private JsonNode load(int expectedExit, String... args) throws IOException {
        Path json = dir.resolve("report-" + System.nanoTime() + ".json");
        List<String> all = new ArrayList<>(List.of("load"));
        all.addAll(List.of(args));
        all.addAll(List.of("--json", json.toString()));
        CliRun r = CliRun.run(all.toArray(String[]::new));
        assertThat(r.exit()).as(r.toString()).isEqualTo(expectedExit);
        assertThat(r.out()).as(r.toString()).contains("throughput").contains("latency p99.99").contains("connect p50");
        return new ObjectMapper().readTree(json.toFile());
    }

    @ParameterizedTest
    @ValueSource(strings = {"raw", "fixed:32", "line", "delimiter:\\r\\n", "length:1:200", "length:2", "length:4", "length:8"})
    void closedLoopOverEveryFramingVerifiesEveryEcho(String framing) throws IOException {
        JsonNode r = load(0, "127.0.0.1", port(framing), "--framing", framing, "-c", "4", "--pipeline", "8",
                "--duration", "1s", "--warmup", "200ms", "-t", "1", "--size", framing.equals("length:1:200") ? "200" : "32");
        assertThat(r.get("mode").asText()).isEqualTo("tcp-closed");
        assertThat(r.get("messages").asLong()).isPositive();
        assertThat(r.get("connections").get("up").asInt()).isEqualTo(4);
        assertThat(r.get("connections").get("echoed").asInt()).isEqualTo(4);
        r.get("errors").properties().forEach(e -> assertThat(e.getValue().asLong()).as(e.getKey()).isZero());
        assertThat(r.get("latency_us").get("count").asLong()).isGreaterThanOrEqualTo(r.get("messages").asLong());
    }

    @Test
    void wrkShortFlagsMeanWhatTheyMeanInWrk() throws IOException {
        // -d is wrk's duration (it was the pipeline), -P the pipeline, -R wrk2's rate, -m tcpkali's message
        JsonNode closed = load(0, "127.0.0.1", port("raw"), "-c", "2", "-t", "1", "-d", "300ms", "-P", "3",
                "-w", "0", "-q");
        assertThat(closed.get("duration_s").asDouble()).isEqualTo(0.3);
        assertThat(closed.get("pipeline").asInt()).isEqualTo(3);
        JsonNode open = load(0, "127.0.0.1", port("line"), "--framing", "line", "-c", "2", "-R", "500", "-d",
                "300ms", "-w", "0", "-m", "hi", "-q");
        assertThat(open.get("rate").asDouble()).isEqualTo(500);
        assertThat(open.get("payload_bytes").asInt()).isEqualTo(2);
    }

    @Test
    void openLoopWithAFixedMessage() throws IOException {
        JsonNode r = load(0, "127.0.0.1", port("line"), "--framing", "line", "-c", "5", "--rate", "2000",
                "--duration", "500ms", "--warmup", "100ms", "--message", "hello, load");
        assertThat(r.get("mode").asText()).isEqualTo("tcp-open");
        assertThat(r.get("payload_bytes").asInt()).isEqualTo(11);
        assertThat(r.get("wire_bytes").asInt()).isEqualTo(12);
        // 2000 msgs/s for 0.5 s: about 1000, all echoed (no fixed expectation of timing)
        assertThat(r.get("messages").asLong()).isPositive();
        assertThat(r.get("errors").get("mismatch").asLong()).isZero();
        assertThat(r.get("throughput_series").size()).isPositive();
        // the window moved the JIT and the reporter to nice 19 (LoopPriority); the run put them back
        assertThat(LoopPriorityTest.nicedThreads()).isEmpty();
    }

    @Test
    void sourceIpsAndConnectRateSpreadAndPaceConnections() throws IOException {
        // every 127.x.y.z is local on Linux loopback: two source addresses, 6 connections at 100/s
        JsonNode r = load(0, "127.0.0.1", port("raw"), "-c", "6", "--source-ips", "127.0.0.2-127.0.0.3",
                "--connect-rate", "100", "--duration", "300ms", "--warmup", "0");
        assertThat(r.get("connections").get("up").asInt()).isEqualTo(6);
        assertThat(r.get("connect_us").get("count").asLong()).isEqualTo(6);
        assertThat(r.get("errors").get("connect-failed").asLong()).isZero();
    }

    @Test
    void udpClosedAndOpenLoop() throws IOException {
        // a generous loss timeout: on a busy machine a datagram's echo can take longer than the default 200 ms
        JsonNode closed = load(0, "127.0.0.1", udpPort(), "--udp", "-c", "3", "--pipeline", "4", "--duration", "1s",
                "--warmup", "100ms", "--size", "100", "--timeout", "2s");
        assertThat(closed.get("mode").asText()).isEqualTo("udp-closed");
        assertThat(closed.get("udp").get("sent").asLong()).isPositive();
        assertThat(closed.get("udp").get("received").asLong()).isPositive();
        assertThat(closed.get("errors").get("mismatch").asLong()).isZero();
        JsonNode open = load(0, "127.0.0.1", udpPort(), "--udp", "-c", "2", "--rate", "1000", "--duration", "1s",
                "--warmup", "0", "--timeout", "2s");
        assertThat(open.get("mode").asText()).isEqualTo("udp-open");
        assertThat(open.get("udp").get("received").asLong()).isPositive();
        // echoes of datagrams sent in the window (some arrive after it) vs echoes that arrived in it
        assertThat(open.get("udp").get("received").asLong()).isLessThanOrEqualTo(open.get("udp").get("sent").asLong());
        assertThat(open.get("messages").asLong()).isPositive();
        // a loopback round trip takes microseconds: the latency runs from each datagram's intended send time
        // (it was measured from another connection's, far in the future, and clamped to 1 ns: "p50 0.0 us")
        assertThat(open.get("latency_us").get("p50").asDouble()).as(open.toPrettyString()).isGreaterThan(1);
        assertThat(closed.get("latency_us").get("p50").asDouble()).as(closed.toPrettyString()).isGreaterThan(1);
    }

    @Test
    void flippedByteIsAMismatch() throws IOException {
        try (FaultyEchoServer faulty = new FaultyEchoServer(Fault.FLIP, 1000)) {
            JsonNode r = load(Cli.EXIT_RUNTIME, "127.0.0.1", String.valueOf(faulty.port()), "-c", "2", "--duration",
                    "300ms", "--warmup", "0", "--max-errors", "100");
            assertThat(r.get("errors").get("mismatch").asLong()).isEqualTo(2); // one per connection, then it is closed
        }
    }

    @Test
    void resetIsCounted() throws IOException {
        try (FaultyEchoServer faulty = new FaultyEchoServer(Fault.RESET, 640)) {
            JsonNode r = load(Cli.EXIT_RUNTIME, "127.0.0.1", String.valueOf(faulty.port()), "-c", "2", "--duration",
                    "300ms", "--warmup", "0");
            assertThat(r.get("errors").get("reset").asLong()).isEqualTo(2);
            assertThat(r.get("errors").get("mismatch").asLong()).isZero();
        }
    }

    @Test
    void closeIsCountedAndToleratedUpToMaxErrors() throws IOException {
        try (FaultyEchoServer faulty = new FaultyEchoServer(Fault.CLOSE, 640)) {
            JsonNode r = load(0, "127.0.0.1", String.valueOf(faulty.port()), "-c", "2", "--duration",
                    "300ms", "--warmup", "0", "--max-errors", "2");
            // the FIN comes first; a write racing it may see the reset instead
            assertThat(r.get("errors").get("closed").asLong()).isPositive();
            assertThat(r.get("errors").get("closed").asLong() + r.get("errors").get("reset").asLong()).isEqualTo(2);
        }
    }

    @Test
    void stallIsATimeoutAndShowsInTheTail() throws IOException {
        try (FaultyEchoServer faulty = new FaultyEchoServer(Fault.STALL, 640)) {
            JsonNode r = load(Cli.EXIT_RUNTIME, "127.0.0.1", String.valueOf(faulty.port()), "-c", "2", "--duration",
                    "800ms", "--warmup", "0", "--timeout", "200ms");
            assertThat(r.get("errors").get("timeout").asLong()).isEqualTo(2);
            // each timed-out message is in the tail with at least the timeout's 200 ms
            assertThat(r.get("latency_us").get("max").asDouble()).as(r.toPrettyString()).isGreaterThanOrEqualTo(200_000);
            assertThat(r.get("censored").asLong()).as(r.toPrettyString()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void refusedConnectsAreCountedAndFailTheRun() throws IOException {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        CliRun r = CliRun.run("load", "127.0.0.1", String.valueOf(port), "-c", "3", "--duration", "200ms");
        assertThat(r.exit()).as(r.toString()).isEqualTo(Cli.EXIT_RUNTIME);
        assertThat(r.err()).contains("connect to 127.0.0.1:" + port + ": connection refused")
                .contains("no connection to 127.0.0.1:" + port).contains("connect-refused 3");
    }

    @Test
    void preflightRefusesWhatCannotFitBeforeConnecting() {
        CliRun r = CliRun.run("load", "127.0.0.1", port("raw"), "-c", "5000000", "--duration", "1s");
        assertThat(r.exit()).as(r.toString()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(r.err()).contains("file descriptors").contains("hard limit").doesNotContain("connecting");
        assertThat(r.err().strip().lines()).hasSize(1);
    }

    /**
     * One synthetic client per connection: a server that takes at most one connection per client address serves
     * all 20, since each header names another address of 10.0.0.0/16 (the socket's is 127.0.0.1 for all).
     */
    @ParameterizedTest
    @ValueSource(strings = {"v1", "v2"})
    void proxySourcesGiveEveryConnectionItsOwnClient(String version) throws IOException {
        EchoServer proxied = new EchoServer(ServerSettings.builder().bind("127.0.0.1").ioThreads(1)
                .tcp(ServerSettings.TcpListener.parse("0:line:proxy"))
                .limits(new ServerSettings.Limits(100, 1, Duration.ZERO, List.of(), List.of())).build()).start();
        try {
            JsonNode r = load(0, "127.0.0.1", String.valueOf(proxied.tcpAddresses().get(0).getPort()), "--framing", "line",
                    "-c", "20", "--duration", "500ms", "--warmup", "0s", "-t", "1",
                    "--proxy-protocol", version, "--proxy-sources", "10.0.0.0/16");
            assertThat(r.get("connections").get("up").asInt()).isEqualTo(20);
            assertThat(r.get("connections").get("echoed").asInt()).isEqualTo(20);
            r.get("errors").properties().forEach(e -> assertThat(e.getValue().asLong()).as(e.getKey()).isZero());
        } finally {
            proxied.stop();
        }
    }

    @Test
    void badProxyOptionsAreOneLineUsageErrors() {
        CliRun cidr = CliRun.run("load", "127.0.0.1", port("raw"), "--proxy-protocol", "v2", "--proxy-sources", "10.0.0.0/33");
        assertThat(cidr.exit()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(cidr.err()).contains("--proxy-sources: bad CIDR '10.0.0.0/33'").doesNotContain("\tat ");
        assertThat(cidr.err().strip().lines()).hasSize(1);
        CliRun alone = CliRun.run("load", "127.0.0.1", port("raw"), "--proxy-protocol", "v2");
        assertThat(alone.exit()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(alone.err()).contains("--proxy-protocol and --proxy-sources go together");
        CliRun family = CliRun.run("load", "127.0.0.1", port("raw"), "--proxy-protocol", "v1", "--proxy-sources", "fd00::/8");
        assertThat(family.exit()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(family.err()).contains("not of one address family");
        CliRun version = CliRun.run("load", "127.0.0.1", port("raw"), "--proxy-protocol", "v3", "--proxy-sources", "10.0.0.0/8");
        assertThat(version.exit()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(version.err()).contains("expected v1 or v2");
        CliRun udp = CliRun.run("load", "127.0.0.1", udpPort(), "--udp", "--proxy-protocol", "v1", "--proxy-sources", "10.0.0.0/8");
        assertThat(udp.exit()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(udp.err()).contains("--proxy-protocol is for TCP");
    }

    @Test
    void badOptionsAreOneLineUsageErrors() {
        CliRun size = CliRun.run("load", "127.0.0.1", port("raw"), "--framing", "fixed:16", "--size", "10");
        assertThat(size.exit()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(size.err()).contains("fixed:16 frames are 16 bytes");
        CliRun ips = CliRun.run("load", "127.0.0.1", port("raw"), "--source-ips", "127.0.0.9-127.0.0.2");
        assertThat(ips.exit()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(ips.err()).contains("ends before it starts");
        CliRun udp = CliRun.run("load", "127.0.0.1", udpPort(), "--udp", "--size", "4");
        assertThat(udp.exit()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(udp.err()).contains("at least 8");
    }

    @Test
    void hdrLogsMergeIntoOneReport() throws IOException {
        Path a = dir.resolve("a.hlog");
        Path b = dir.resolve("b.hlog");
        JsonNode ra = load(0, "127.0.0.1", port("line"), "--framing", "line", "-c", "2", "--duration", "1s",
                "--warmup", "0", "--hdr-log", a.toString(), "-q");
        JsonNode rb = load(0, "127.0.0.1", port("raw"), "-c", "3", "--duration", "1s", "--warmup", "0",
                "--hdr-log", b.toString(), "-q");
        assertThat(Files.readString(a)).contains("#[StartTime:").contains("Tag=connect").contains("#[inetkit-summary]");
        Path merged = dir.resolve("merged.json");
        Path html = dir.resolve("merged.html");
        CliRun r = CliRun.run("load", "merge", a.toString(), b.toString(), "--json", merged.toString(),
                "--html", html.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode m = new ObjectMapper().readTree(merged.toFile());
        assertThat(m.get("messages").asLong()).isEqualTo(ra.get("messages").asLong() + rb.get("messages").asLong());
        assertThat(m.get("connections").get("up").asInt()).isEqualTo(5);
        assertThat(m.get("latency_us").get("count").asLong()).isEqualTo(
                ra.get("latency_us").get("count").asLong() + rb.get("latency_us").get("count").asLong());
        assertThat(m.get("merged_from")).hasSize(2);
        assertThat(Files.readString(html)).contains("<svg id=\"latency-by-percentile\"");

        CliRun bad = CliRun.run("load", "merge", dir.resolve("missing.hlog").toString());
        assertThat(bad.exit()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(bad.err().strip().lines()).hasSize(1);
    }
}
