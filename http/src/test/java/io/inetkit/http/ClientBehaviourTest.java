package io.inetkit.http;

import io.inetkit.http.connection.Connector;
import io.inetkit.http.output.Terminal;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inetkit.server.tls.Tls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The client's flags and exit codes, against the echo listener and small purpose-built servers. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientBehaviourTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EchoTarget echo;
    private EchoTarget tls;
    private String base;

    @BeforeAll
    void start() throws IOException {
        echo = EchoTarget.http();
        tls = EchoTarget.https(Tls.selfSigned());
        base = "http://127.0.0.1:" + echo.port();
    }

    @AfterAll
    void stop() {
        echo.stop();
        tls.stop();
    }

    @Test
    void lectureExampleIncludesStatusLineHeadersAndOrigin() {
        Run r = Run.http("-i", base + "/ip");
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("HTTP/1.1 200 OK\r\n")
                .contains("content-type: application/json\r\n", "content-length: 24\r\n")
                .endsWith("\r\n\r\n{\"origin\": \"127.0.0.1\"}\n");
        assertThat(r.stderr).isEmpty();
    }

    @Test
    void urlsOfOneOriginShareAConnection() throws Exception {
        try (TinyServer server = TinyServer.start(s -> {
            for (int i = 0; i < 100 && TinyServer.readHead(s.getInputStream()) != null; i++) {
                TinyServer.write(s, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n");
            }
        }); TinyServer other = TinyServer.start(s -> {
            TinyServer.readHead(s.getInputStream());
            TinyServer.write(s, "HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nother\n");
        })) {
            Run r = Run.http("-w", "%{num_connects}\n", server.url("/a"), server.url("/b"), other.url("/c"),
                    server.url("/d"));
            assertThat(r.exitCode).as(r.toString()).isZero();
            assertThat(r.out()).isEqualTo("ok\n1\nok\n0\nother\n1\nok\n0\n");
            assertThat(server.accepted()).isEqualTo(1);
            assertThat(other.accepted()).isEqualTo(1);
        }
    }

    @Test
    void aKeptAliveConnectionTheServerDroppedIsRetriedOnceFresh() throws Exception {
        java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
        try (TinyServer server = TinyServer.start(s -> {
            int n = connections.incrementAndGet();
            TinyServer.readHead(s.getInputStream());
            TinyServer.write(s, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n#" + n + "\n");
            if (n == 1) {
                TinyServer.readHead(s.getInputStream()); // the second request: dropped without an answer
            }
        })) {
            Run r = Run.http("-v", server.url("/a"), server.url("/b"));
            assertThat(r.exitCode).as(r.toString()).isZero();
            assertThat(r.out()).isEqualTo("#1\n#2\n");
            assertThat(r.stderr).contains("Connection died, retrying a fresh connect");
            assertThat(server.accepted()).isEqualTo(2);
        }
    }

    @Test
    void http2UrlsShareOneConnectionAsStreams() {
        String https = "https://127.0.0.1:" + tls.port();
        Run r = Run.http("-k", "-w", "%{http_version} %{num_connects}\n", https + "/ip", https + "/headers",
                https + "/ip");
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.out().lines().filter(l -> l.matches("2 \\d"))).containsExactly("2 1", "2 0", "2 0");
    }

    @Test
    void outputFilesGetTheBodyAndStdoutTheWriteOut(@TempDir Path dir) throws IOException {
        Path a = dir.resolve("a.bin");
        Path b = dir.resolve("b.json");
        Run r = Run.http("-o", a.toString(), "-o", b.toString(), "-w", "%{size_download}\n",
                base + "/bytes/300000?seed=9", base + "/ip");
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(Files.size(a)).isEqualTo(300_000);
        assertThat(Files.readString(b)).isEqualTo("{\"origin\": \"127.0.0.1\"}\n");
        assertThat(r.out()).isEqualTo("300000\n24\n");
    }

    @Test
    void failedTransferWithFailLeavesNoFileAndStillWritesOut(@TempDir Path dir) {
        Path out = dir.resolve("never.txt");
        Run r = Run.http("-f", "-s", "-S", "-o", out.toString(), "-w", "%{http_code}", base + "/status/404");
        assertThat(r.exitCode).isEqualTo(22);
        assertThat(r.out()).isEqualTo("404");
        assertThat(r.stderr.trim()).isEqualTo("inetkit http: (22) The requested URL returned error: 404");
        assertThat(out).doesNotExist();
        Run silent = Run.http("-s", "-f", base + "/status/500");
        assertThat(silent.exitCode).isEqualTo(22);
        assertThat(silent.stderr).isEmpty();
    }

    @Test
    void unwritableOutputIsTwentyThree(@TempDir Path dir) {
        Path out = dir.resolve("missing-dir").resolve("x.json");
        Run r = Run.http("-o", out.toString(), base + "/ip");
        assertThat(r.exitCode).isEqualTo(23);
        assertThat(r.stderr.trim()).isEqualTo("inetkit http: (23) Failure writing output to " + out
                + ": no such directory");
    }

    @Test
    void verboseShowsBothHeaderBlocksOnStderrOnly() {
        Run r = Run.http("-v", base + "/ip");
        assertThat(r.out()).isEqualTo("{\"origin\": \"127.0.0.1\"}\n");
        assertThat(r.stderr).contains("* Connected to 127.0.0.1 (127.0.0.1) port " + echo.port())
                .contains("> GET /ip HTTP/1.1\n> Host: 127.0.0.1:" + echo.port() + "\n")
                .contains("< HTTP/1.1 200 OK\n< content-type: application/json\n");
    }

    @Test
    void methodWordHeadersAndDataAsCurlSendsThem(@TempDir Path dir) throws IOException {
        Path form = dir.resolve("form.txt");
        Files.writeString(form, "c=3\nd=4\n");
        Run r = Run.http("POST", base + "/anything", "-d", "a=1", "-d", "@" + form, "-H", "Accept:", "-H", "X-Empty;",
                "-A", "tester/1");
        assertThat(r.exitCode).as(r.toString()).isZero();
        JsonNode json = JSON.readTree(r.stdout);
        assertThat(json.get("method").asText()).isEqualTo("POST");
        // a form, so the listener shows it in form, as httpbin: -d joins with '&' and drops the file's newlines
        assertThat(json.get("form").toString()).isEqualTo("{\"a\":\"1\",\"c\":\"3d=4\"}");
        assertThat(json.get("headers").has("Accept")).as("'Accept:' removes it").isFalse();
        assertThat(json.get("headers").get("X-Empty").asText()).isEmpty();
        assertThat(json.get("headers").get("User-Agent").asText()).isEqualTo("tester/1");
        assertThat(json.get("headers").get("Content-Type").asText()).isEqualTo("application/x-www-form-urlencoded");
    }

    @Test
    void dataBinaryFromAFileIsSentByteForByte(@TempDir Path dir) throws IOException {
        byte[] bytes = new byte[200_000];
        new Random(5).nextBytes(bytes);
        Path file = dir.resolve("upload.bin");
        Files.write(file, bytes);
        for (String version : new String[] {"--http1.1", "--http2-prior-knowledge"}) {
            // not curl's default form type: the listener (as httpbin) shows a form's body in form, not data
            Run r = Run.http(version, "--data-binary", "@" + file, "-H", "Content-Type: application/octet-stream",
                    base + "/post");
            assertThat(r.exitCode).as(r.toString()).isZero();
            String data = JSON.readTree(r.stdout).get("data").asText();
            assertThat(data).startsWith("data:application/octet-stream;base64,");
            assertThat(java.util.Base64.getDecoder().decode(data.substring(data.indexOf(',') + 1))).isEqualTo(bytes);
        }
        Run missing = Run.http("--data-binary", "@" + dir.resolve("nope"), base + "/post");
        assertThat(missing.exitCode).isEqualTo(26);
        assertThat(missing.stderr).contains("(26) Failed to open/read local data");
    }

    @Test
    void redirectsAfterPostTurnIntoGet() throws IOException {
        Run r = Run.http("-L", "-d", "x=1", base + "/status/302");
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(JSON.readTree(r.stdout).get("url").asText()).endsWith("/get");
    }

    /**
     * {@code -L} to the same host on another port: {@code -H}'s Authorization and Cookie stay behind, the
     * other headers follow (curl since CVE-2022-27776); {@code --location-trusted} sends them all; a redirect
     * within the origin keeps them.
     */
    @Test
    void credentialsFollowARedirectOnlyWithinTheOriginUnlessTrusted() throws Exception {
        String elsewhere = base + "/headers";
        try (TinyServer redirector = TinyServer.start(s -> {
            if (TinyServer.readHead(s.getInputStream()) != null) {
                TinyServer.write(s, "HTTP/1.1 302 Found\r\nLocation: " + elsewhere + "\r\nContent-Length: 0\r\n\r\n");
            }
        })) {
            String[] creds = {"-H", "Authorization: Bearer secret", "-H", "Cookie: session=1", "-H", "X-Other: y"};
            Run plain = Run.http(concat(creds, "-L", redirector.url("/start")));
            assertThat(plain.exitCode).as(plain.toString()).isZero();
            JsonNode sent = JSON.readTree(plain.stdout).get("headers");
            assertThat(sent.has("X-Other")).as(plain.out()).isTrue();
            assertThat(sent.has("Authorization")).as(plain.out()).isFalse();
            assertThat(sent.has("Cookie")).as(plain.out()).isFalse();

            Run trusted = Run.http(concat(creds, "--location-trusted", redirector.url("/start")));
            assertThat(trusted.exitCode).as(trusted.toString()).isZero();
            JsonNode all = JSON.readTree(trusted.stdout).get("headers");
            assertThat(all.path("Authorization").asText()).isEqualTo("Bearer secret");
            assertThat(all.path("Cookie").asText()).isEqualTo("session=1");
        }
        Run within = Run.http("-L", "-H", "Authorization: Bearer secret", base + "/redirect/1");
        assertThat(within.exitCode).as(within.toString()).isZero();
        assertThat(JSON.readTree(within.stdout).get("headers").path("Authorization").asText()).isEqualTo("Bearer secret");
    }

    private static String[] concat(String[] first, String... rest) {
        String[] all = Arrays.copyOf(first, first.length + rest.length);
        System.arraycopy(rest, 0, all, first.length, rest.length);
        return all;
    }

    @Test
    void includeWithRedirectsPrintsEachHeaderBlock() {
        Run r = Run.http("-i", "-L", base + "/redirect/2");
        assertThat(r.out().split("HTTP/1.1 302 Found", -1)).hasSize(3);
        assertThat(r.out()).contains("HTTP/1.1 200 OK");
    }

    @Test
    void maxTimeBoundsASlowAnswer() {
        long start = System.nanoTime();
        Run r = Run.http("-m", "0.5", base + "/delay/3");
        assertThat(r.exitCode).isEqualTo(28);
        assertThat(r.stderr).contains("(28) Operation timed out after");
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(2.5);
    }

    @Test
    void connectionRefusedIsSeven() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Run r = Run.http("http://127.0.0.1:" + port + "/");
        assertThat(r.exitCode).isEqualTo(7);
        assertThat(r.stderr.trim()).matches("inetkit http: \\(7\\) Failed to connect to 127\\.0\\.0\\.1 port " + port
                + " after \\d+ ms: Connection refused");
    }

    @Test
    void unresolvableHostIsSix() {
        Connector.Resolver nothing = host -> {
            throw new UnknownHostException(host); // no DNS traffic from tests
        };
        Run r = Run.with(nothing, Terminal.NONE, "http://no-such-host.test/");
        assertThat(r.exitCode).isEqualTo(6);
        assertThat(r.stderr.trim()).isEqualTo("inetkit http: (6) Could not resolve host: no-such-host.test");
    }

    @Test
    void resolvedNamesConnectToTheAddressTheResolverGave() {
        Connector.Resolver fake = host -> new InetAddress[] {InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})};
        Run r = Run.with(fake, Terminal.NONE, "-w", " %{remote_ip}", "http://echo.test:" + echo.port() + "/ip");
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("{\"origin\": \"127.0.0.1\"}\n 127.0.0.1");
    }

    @Test
    void badUsageIsExitTwoOrCurlsCode(@TempDir Path dir) throws IOException {
        assertThat(Run.http("--http1.1", "--http2", base).exitCode).isEqualTo(2);
        assertThat(Run.http("--raw", "--http2", base).exitCode).isEqualTo(2);
        assertThat(Run.http("-w", "%{nope}", base).exitCode).isEqualTo(2);
        assertThat(Run.http("--bogus", base).exitCode).isEqualTo(2);
        assertThat(Run.http("-H", "broken", base).exitCode).isEqualTo(2);
        assertThat(Run.http("http://[nope/").exitCode).isEqualTo(3);
        Path badCa = dir.resolve("bad.pem");
        Files.writeString(badCa, "garbage");
        Run r = Run.http("--cacert", badCa.toString(), "https://127.0.0.1:" + tls.port() + "/ip");
        assertThat(r.exitCode).isEqualTo(77);
        assertThat(r.stderr).contains("(77) error setting certificate file: " + badCa);
    }

    @Test
    void progressBarGoesToStderrWhenItIsATerminalAndTheBodyToAFile(@TempDir Path dir) {
        Terminal tty = new Terminal() {
            @Override
            public boolean stdoutIsTerminal() {
                return true;
            }

            @Override
            public boolean stderrIsTerminal() {
                return true;
            }
        };
        Path out = dir.resolve("big.bin");
        Run r = Run.with(Connector.Resolver.SYSTEM, tty, "-o", out.toString(), base + "/bytes/2000000");
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.stderr).startsWith("\r[").contains("100%").contains("1.9 MiB").endsWith("\n");
        Run silent = Run.with(Connector.Resolver.SYSTEM, tty, "-s", "-o", out.toString(), base + "/bytes/2000");
        assertThat(silent.stderr).isEmpty();
        Run toTerminal = Run.with(Connector.Resolver.SYSTEM, tty, base + "/bytes/2000");
        assertThat(toTerminal.stderr).as("no bar over a body shown on the terminal").isEmpty();
    }

    @Test
    void rawShowsTheResponseExactlyAsSent() throws Exception {
        String wire = "HTTP/1.1 200 OK\r\nX-Odd-Case: Yes\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nTrailer: t\r\n\r\n";
        try (TinyServer server = TinyServer.start(s -> {
            TinyServer.readHead(s.getInputStream());
            TinyServer.write(s, wire);
        })) {
            Run raw = Run.http("--raw", server.url("/"));
            assertThat(raw.exitCode).as(raw.toString()).isZero();
            assertThat(new String(raw.stdout, StandardCharsets.ISO_8859_1)).isEqualTo(wire);
            Run decoded = Run.http(server.url("/"));
            assertThat(decoded.out()).isEqualTo("hello world");
        }
    }

    @Test
    void bodyUntilCloseIsComplete() throws Exception {
        try (TinyServer server = TinyServer.start(s -> {
            TinyServer.readHead(s.getInputStream());
            TinyServer.write(s, "HTTP/1.0 200 OK\r\n\r\nuntil the end");
        })) {
            Run r = Run.http("-w", " %{http_version}", server.url("/"));
            assertThat(r.exitCode).as(r.toString()).isZero();
            assertThat(r.out()).isEqualTo("until the end 1.1");
        }
    }
}
