package io.inetkit.client.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inetkit.client.testing.CliRun;
import io.inetkit.client.testing.FaultyEchoServer;
import io.inetkit.common.cli.Cli;
import io.inetkit.server.EchoServer;
import io.inetkit.server.ServerSettings;
import io.inetkit.server.tls.Tls;
import io.inetkit.server.tls.TlsSettings;
import io.inetkit.testing.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code inetkit load http://} and {@code https://}, HTTP/1.1 and HTTP/2, against inetkit's own HTTP listener
 * (its httpbin endpoints), and against servers that answer wrong, reset or stall.
 */
class LoadHttpTest {

    @TempDir
    static Path dir;
    static TestPki pki;
    /** HTTP on listener 0, HTTPS on listener 1. */
    static EchoServer server;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.create(dir);
        TestPki.ServerFiles files = pki.server("server");
        server = new EchoServer(ServerSettings.builder().bind("127.0.0.1").ioThreads(1)
                .drainTimeout(Duration.ofSeconds(2))
                .tls(TlsSettings.of(Tls.pemFiles(files.certificate(), files.key())))
                .http(new ServerSettings.HttpListener(0, false))
                .http(new ServerSettings.HttpListener(0, true))
                .build()).start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private static String http(String path) {
        return "http://127.0.0.1:" + server.httpAddresses().get(0).getPort() + path;
    }

    private static String https(String path) {
        return "https://localhost:" + server.httpAddresses().get(1).getPort() + path;
    }

    private static JsonNode json(Path file) throws IOException {
        return new ObjectMapper().readTree(Files.readString(file));
    }

    /** One request's body, fetched with a plain socket: what --verify sha256 must match. */
    private static byte[] fetch(String path) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.httpAddresses().get(0).getPort())) {
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] all = s.getInputStream().readAllBytes();
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int head = text.indexOf("\r\n\r\n");
            assertThat(text).startsWith("HTTP/1.1 200");
            return java.util.Arrays.copyOfRange(all, head + 4, all.length);
        }
    }

    @Test
    void http11ClosedLoopOneAtATimeAndPipelinedCountsEveryResponseByStatus() throws IOException {
        for (String pipeline : new String[] {"1", "4"}) {
            Path json = dir.resolve("h1-" + pipeline + ".json");
            CliRun r = CliRun.run("load", http("/get"), "-c", "4", "-t", "1", "-P", pipeline, "-d", "500ms",
                    "--warmup", "0", "-q", "--json", json.toString());
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out()).contains("mode           | http-closed, HTTP/1.1").containsPattern("http status +\\| 200 x \\d+");
            JsonNode j = json(json);
            assertThat(j.get("messages").asLong()).isPositive();
            assertThat(j.get("http").get("status").get("200").asLong()).isEqualTo(j.get("messages").asLong());
            assertThat(j.get("http").get("status_classes").get("2xx").asLong()).isEqualTo(j.get("messages").asLong());
            assertThat(j.get("http").get("body_bytes").asLong()).isPositive();
        }
    }

    @Test
    void http2PriorKnowledgeRunsConcurrentStreams() throws IOException {
        Path json = dir.resolve("h2c.json");
        CliRun r = CliRun.run("load", http("/bytes/256?seed=3"), "--http2-prior-knowledge", "-c", "2", "-t", "1",
                "-P", "8", "-d", "500ms", "--warmup", "0", "-q", "--verify", "length:256", "--json", json.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode j = json(json);
        assertThat(j.get("http").get("version").asText()).isEqualTo("HTTP/2");
        assertThat(j.get("http").get("status").get("200").asLong()).isEqualTo(j.get("messages").asLong()).isPositive();
        assertThat(j.get("http").get("body_bytes").asLong()).isEqualTo(256 * j.get("messages").asLong());
    }

    @Test
    void streamedBodiesAreCountedWholeOnBothVersions() throws IOException {
        for (String version : new String[] {"--http1.1", "--http2-prior-knowledge"}) {
            Path json = dir.resolve("stream" + version + ".json");
            // 30 chunks of 100 bytes each, and /stream/N's N JSON lines: their bodies end with their last chunk
            CliRun r = CliRun.run("load", http("/stream-bytes/3000?seed=5&chunk_size=100"), version, "-c", "2", "-t", "1",
                    "-P", "2", "-d", "300ms", "--warmup", "0", "-q", "--verify", "first", "--json", json.toString());
            assertThat(r.exit()).as(r.toString()).isZero();
            JsonNode j = json(json);
            assertThat(j.get("http").get("body_bytes").asLong()).isEqualTo(3000 * j.get("messages").asLong());
            CliRun lines = CliRun.run("load", http("/stream/5"), version, "-c", "1", "-d", "300ms", "--warmup", "0", "-q");
            assertThat(lines.exit()).as(lines.toString()).isZero();
            assertThat(lines.out()).containsPattern("http status +\\| 200 x \\d+");
        }
    }

    @Test
    void openLoopKeepsTheRateOnBothVersions() throws IOException {
        for (String version : new String[] {"--http1.1", "--http2-prior-knowledge"}) {
            Path json = dir.resolve("open" + version + ".json");
            CliRun r = CliRun.run("load", http("/get"), version, "-c", "2", "-t", "1", "-R", "400", "-d", "1s",
                    "--warmup", "0", "-q", "--json", json.toString());
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(json(json).get("messages").asLong()).as(version).isBetween(360L, 440L);
            // wrk2's two figures: from the intended send time (the latency rows) and from the actual write
            assertThat(r.out()).containsPattern("from send p99 +\\| \\d").contains("latency from the actual write");
            assertThat(json(json).get("latency_from_send_us").get("p50").asDouble()).isPositive()
                    .isLessThanOrEqualTo(json(json).get("latency_us").get("max").asDouble());
        }
    }

    @Test
    void httpsSpeaksHttp11OrHttp2ByAlpnAndVerifiesTheCertificate() throws IOException {
        for (String version : new String[] {"--http1.1", "--http2"}) {
            Path json = dir.resolve("tls" + version + ".json");
            CliRun r = CliRun.run("load", https("/get"), version, "--cacert", pki.caPem().toString(), "-c", "2", "-t", "1",
                    "-d", "500ms", "--warmup", "0", "-q", "--json", json.toString());
            assertThat(r.exit()).as(r.toString()).isZero();
            JsonNode j = json(json);
            assertThat(j.get("http").get("version").asText()).isEqualTo(version.equals("--http2") ? "HTTP/2" : "HTTP/1.1");
            assertThat(j.get("handshake").get("count").asLong()).isEqualTo(2);
        }
        CliRun untrusted = CliRun.run("load", https("/get"), "-c", "1", "-d", "300ms", "--warmup", "0", "-q");
        assertThat(untrusted.exit()).isEqualTo(Cli.EXIT_RUNTIME);
        assertThat(untrusted.err()).contains("not trusted");
        // curl's -k: no check
        CliRun insecure = CliRun.run("load", https("/get"), "-k", "-c", "1", "-d", "300ms", "--warmup", "0", "-q");
        assertThat(insecure.exit()).as(insecure.toString()).isZero();
    }

    @Test
    void statusesOutsideOkStatusAreErrorsUnlessAllowed() throws IOException {
        Path json = dir.resolve("404.json");
        CliRun r = CliRun.run("load", http("/status/404"), "-c", "2", "-t", "1", "-d", "300ms", "--warmup", "0", "-q",
                "--json", json.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(Cli.EXIT_RUNTIME);
        assertThat(r.out()).containsPattern("http status +\\| 404 x \\d+").containsPattern("http-status +\\| \\d+");
        assertThat(json(json).get("errors").get("http-status").asLong()).isPositive();
        CliRun allowed = CliRun.run("load", http("/status/404"), "--ok-status", "2xx,404", "-c", "2", "-t", "1",
                "-d", "300ms", "--warmup", "0", "-q");
        assertThat(allowed.exit()).as(allowed.toString()).isZero();
    }

    @Test
    void bodiesAreVerifiedByLengthDigestOrTheFirstOne() throws Exception {
        byte[] body = fetch("/bytes/1000?seed=7");
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        for (String verify : new String[] {"length:1000", "sha256:" + sha, "first"}) {
            CliRun ok = CliRun.run("load", http("/bytes/1000?seed=7"), "--verify", verify, "-c", "2", "-t", "1",
                    "-P", "2", "-d", "300ms", "--warmup", "0", "-q");
            assertThat(ok.exit()).as(verify + ": " + ok).isZero();
        }
        // without a seed every body is other random bytes: the first one matches no other
        CliRun wrong = CliRun.run("load", http("/bytes/1000"), "--verify", "first", "-c", "2", "-t", "1", "-d", "300ms",
                "--warmup", "0", "-q");
        assertThat(wrong.exit()).as(wrong.toString()).isEqualTo(Cli.EXIT_RUNTIME);
        assertThat(wrong.err()).contains("failed --verify");
        CliRun digest = CliRun.run("load", http("/bytes/1000?seed=8"), "--verify", "sha256:" + sha, "-c", "1",
                "-d", "300ms", "--warmup", "0", "-q");
        assertThat(digest.exit()).isEqualTo(Cli.EXIT_RUNTIME);
        assertThat(digest.out()).containsPattern("mismatch +\\| \\d+");
    }

    @Test
    void postsABodyAndRotatesThroughUrls() throws IOException {
        Path urls = Files.writeString(dir.resolve("urls.txt"), "# a comment\n/anything/a\n" + http("/anything/b") + "\n");
        Path json = dir.resolve("post.json");
        CliRun r = CliRun.run("load", http("/post"), "--data", "x=1", "-c", "1", "-t", "1", "-d", "300ms",
                "--warmup", "0", "-q", "--json", json.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("(body 3)");
        CliRun rotating = CliRun.run("load", http("/get"), "--urls", urls.toString(), "-H", "X-Test: 1", "-c", "1",
                "-d", "300ms", "--warmup", "0", "-q");
        assertThat(rotating.exit()).as(rotating.toString()).isZero();
        CliRun other = CliRun.run("load", http("/get"), "--urls", Files.writeString(dir.resolve("other.txt"),
                "http://127.0.0.2:1/x\n").toString(), "-d", "300ms");
        assertThat(other.exit()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(other.err()).contains("every request of a run goes to one server");
    }

    @Test
    void aServerThatResetsOrStallsIsCountedByKind() throws Exception {
        try (FaultyEchoServer reset = new FaultyEchoServer(FaultyEchoServer.Fault.RESET, 10);
             FaultyEchoServer stall = new FaultyEchoServer(FaultyEchoServer.Fault.STALL, 0);
             FaultyEchoServer echo = new FaultyEchoServer(FaultyEchoServer.Fault.FLIP, 1_000_000_000)) {
            CliRun r = CliRun.run("load", "http://127.0.0.1:" + reset.port() + "/", "-c", "2", "-d", "300ms",
                    "--warmup", "0", "-q");
            assertThat(r.exit()).as(r.toString()).isEqualTo(Cli.EXIT_RUNTIME);
            assertThat(r.out()).containsPattern("  (reset|closed-at-connect) +\\| 2");
            // an echo server answers a request with the request: that is no HTTP response
            CliRun e = CliRun.run("load", "http://127.0.0.1:" + echo.port() + "/", "-c", "2", "-d", "300ms",
                    "--warmup", "0", "-q");
            assertThat(e.exit()).as(e.toString()).isEqualTo(Cli.EXIT_RUNTIME);
            assertThat(e.out()).containsPattern("http-protocol +\\| 2");
            CliRun s = CliRun.run("load", "http://127.0.0.1:" + stall.port() + "/", "-c", "2", "-d", "500ms",
                    "--warmup", "0", "-q", "--timeout", "200ms");
            assertThat(s.exit()).as(s.toString()).isEqualTo(Cli.EXIT_RUNTIME);
            assertThat(s.out()).containsPattern("timeout +\\| 2");
        }
    }

    @Test
    void theHdrLogCarriesTheStatusesAndMergeAddsThemUp() throws IOException {
        Path a = dir.resolve("a.hlog");
        Path b = dir.resolve("b.hlog");
        long total = 0;
        for (Path p : new Path[] {a, b}) {
            Path json = dir.resolve(p.getFileName() + ".json");
            CliRun r = CliRun.run("load", http("/get"), "-c", "1", "-t", "1", "-d", "300ms", "--warmup", "0", "-q",
                    "--hdr-log", p.toString(), "--json", json.toString());
            assertThat(r.exit()).as(r.toString()).isZero();
            total += json(json).get("http").get("status").get("200").asLong();
        }
        Path merged = dir.resolve("merged.json");
        CliRun m = CliRun.run("load", "merge", a.toString(), b.toString(), "--json", merged.toString());
        assertThat(m.exit()).as(m.toString()).isZero();
        assertThat(m.out()).contains("http status    | 200 x " + total);
        assertThat(json(merged).get("http").get("version").asText()).isEqualTo("HTTP/1.1");
    }

    @Test
    void optionsThatDoNotFitAreUsageErrors() {
        assertThat(CliRun.run("load", http("/"), "--http2").err()).contains("--http2-prior-knowledge");
        assertThat(CliRun.run("load", http("/"), "--tls").err()).contains("use https://");
        assertThat(CliRun.run("load", http("/"), "--ok-status", "2xx,abc").err()).contains("bad --ok-status 'abc'");
        assertThat(CliRun.run("load", http("/"), "--verify", "sha256:12").err()).contains("64 hex digits");
        assertThat(CliRun.run("load", "127.0.0.1", "5", "-X", "GET").err()).contains("are for an http:// URL");
        assertThat(CliRun.run("load", http("/"), "-H", "no colon").err()).contains("bad -H 'no colon'");
        CliRun missing = CliRun.run("load", http("/"), "--data-binary", "@" + dir.resolve("absent.bin"));
        assertThat(missing.exit()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(missing.err().strip().lines()).hasSize(1);
    }
}
