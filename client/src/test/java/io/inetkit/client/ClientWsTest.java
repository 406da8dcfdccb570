package io.inetkit.client;

import io.inetkit.client.testing.CliRun;
import io.inetkit.client.testing.LyingWsServer;
import io.inetkit.common.cli.Cli;
import io.inetkit.common.framing.Framing;
import io.inetkit.server.EchoServer;
import io.inetkit.server.ServerSettings;
import io.inetkit.server.tls.Tls;
import io.inetkit.server.tls.TlsSettings;
import io.inetkit.testing.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code inetkit client ws://} and {@code wss://} against the server's WebSocket listeners, and against peers that misbehave. */
class ClientWsTest {

    @TempDir
    static Path dir;
    static TestPki pki;
    /** ws on listener 0 (limit 1 KiB), wss on listener 1; HTTP with /ws; a raw TCP echo. */
    static EchoServer server;
    /** A WebSocket server that echoes everything as binary, with a byte changed (see LyingWsServer). */
    static LyingWsServer liar;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.create(dir);
        TestPki.ServerFiles files = pki.server("server");
        server = new EchoServer(ServerSettings.builder().bind("127.0.0.1").ioThreads(1)
                .drainTimeout(Duration.ofSeconds(2))
                .tls(TlsSettings.of(Tls.pemFiles(files.certificate(), files.key())))
                .tcp(0, Framing.parse("raw"))
                .ws(new ServerSettings.WsListener(0, "/", 1024, false, false))
                .ws(new ServerSettings.WsListener(0, "/", ServerSettings.WsListener.DEFAULT_MAX_MESSAGE, false, true))
                .http(0, Tls.none())
                .build()).start();
        liar = new LyingWsServer(1);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
        if (liar != null) {
            liar.close();
        }
    }

    private static String ws(int i) {
        return "ws://127.0.0.1:" + server.wsAddresses().get(i).getPort() + "/";
    }

    @Test
    void oneShotTextIsEchoedVerifiedTimedAndClosedWith1000() {
        CliRun r = CliRun.run("client", ws(0), "--message", "Hello, WebSocket", "-c", "3", "-v");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("Hello, WebSocket\n")
                .contains("echo 3/3 from " + ws(0) + ": text message, 16 bytes, matched, rtt ")
                .contains("3/3 echoes matched; rtt min/avg/max/mdev")
                .contains("closed: 1000 (normal closure)");
        // the server took the deflate offer (RFC 7692), and without it, none was made
        assertThat(r.err()).contains("upgraded in").contains("permessage-deflate");
        CliRun plain = CliRun.run("client", ws(0), "--message", "x", "--no-deflate", "-v");
        assertThat(plain.exit()).as(plain.toString()).isZero();
        assertThat(plain.err()).contains("upgraded in").doesNotContain("deflate");
    }

    @Test
    void aFileThatIsNotUtf8GoesAsBinaryAndComesBackByteForByte() throws IOException {
        byte[] bytes = new byte[700];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 7 + 0x80);
        }
        Path file = Files.write(dir.resolve("bytes.bin"), bytes);
        CliRun r = CliRun.run("client", ws(0), "--file", file.toString(), "-c", "2");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("binary message, 700 bytes, matched").contains("2/2 echoes matched");
        CliRun forced = CliRun.run("client", ws(0), "--message", "text as binary", "--binary");
        assertThat(forced.out()).contains("binary message, 14 bytes, matched");
    }

    @Test
    void theHttpListenerTakesTheUpgradeOnSlashWsAndRefusesItElsewhere() {
        int http = server.httpAddresses().get(0).getPort();
        CliRun ok = CliRun.run("client", "ws://127.0.0.1:" + http + "/ws", "--message", "shared port");
        assertThat(ok.exit()).as(ok.toString()).isZero();
        assertThat(ok.out()).contains("1/1 echoes matched");
        CliRun refused = CliRun.run("client", "ws://127.0.0.1:" + http + "/elsewhere", "--message", "x");
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(ClientCommand.EXIT_WS_REFUSED);
        assertThat(refused.err().strip()).isEqualTo("inetkit client: the server ws://127.0.0.1:" + http
                + "/elsewhere refused the WebSocket upgrade: HTTP 404 Not Found");
    }

    @Test
    void aPlainEchoServerIsNotTakenForAWebSocketOne() {
        int tcp = server.tcpAddresses().get(0).getPort();
        CliRun r = CliRun.run("client", "ws://127.0.0.1:" + tcp + "/", "--message", "x");
        assertThat(r.exit()).as(r.toString()).isEqualTo(ClientCommand.EXIT_WS_REFUSED);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("did not answer the WebSocket upgrade with HTTP").contains("WebSocket server?");
    }

    @Test
    void aMessageOverTheServersLimitIsClosedWith1009AndExits11() {
        CliRun r = CliRun.run("client", ws(0), "--message", "y".repeat(2000));
        assertThat(r.exit()).as(r.toString()).isEqualTo(ClientCommand.EXIT_WS_CLOSED);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("closed the WebSocket before echo 1: 1009 (message too big)");
    }

    @Test
    void anEchoOfAnotherTypeOrWithOtherBytesIsAMismatch() {
        String url = liar.url();
        CliRun type = CliRun.run("client", url, "--message", "abc");
        assertThat(type.exit()).as(type.toString()).isEqualTo(ClientCommand.EXIT_MISMATCH);
        assertThat(type.err()).contains("echo 1 differs from what was sent: sent a text message, got a binary one");
        CliRun bytes = CliRun.run("client", url, "--message", "abc", "--binary");
        assertThat(bytes.exit()).as(bytes.toString()).isEqualTo(ClientCommand.EXIT_MISMATCH);
        assertThat(bytes.err()).contains("echo 1 differs from what was sent: first difference at byte 2");
    }

    @Test
    void wssVerifiesTheCertificateAndEchoes() {
        String wss = "wss://localhost:" + server.wsAddresses().get(1).getPort() + "/";
        CliRun r = CliRun.run("client", wss, "--cacert", pki.caPem().toString(), "--message", "over TLS", "-c", "2");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("2/2 echoes matched").contains("closed: 1000");
        CliRun untrusted = CliRun.run("client", wss, "--message", "x");
        assertThat(untrusted.exit()).as(untrusted.toString()).isEqualTo(ClientCommand.EXIT_TLS_UNTRUSTED);
        assertThat(untrusted.err().strip().lines()).hasSize(1);
        CliRun plainToTls = CliRun.run("client", ws(0), "--tls", "--message", "x");
        assertThat(plainToTls.exit()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(plainToTls.err()).contains("use wss://");
    }

    @Test
    void badUrlsAndOptionsThatDoNotFitAreOneLineAndExit2() {
        String[][] cases = {
                {"ws://127.0.0.1:99999/", "the port must be 1..65535"},
                {"ws://127.0.0.1:5/#frag", "a fragment (#...) has no meaning"},
                {"ws:///path", "no host"},
                {"http://127.0.0.1/", "unsupported URL scheme 'http'"},
        };
        for (String[] c : cases) {
            CliRun r = CliRun.run("client", c[0], "--message", "x");
            assertThat(r.exit()).as(r.toString()).isEqualTo(Cli.EXIT_USAGE);
            assertThat(r.err().strip().lines()).as(r.toString()).hasSize(1);
            assertThat(r.err()).as(r.toString()).contains(c[1]);
        }
        assertThat(CliRun.run("client", ws(0), "80", "--message", "x").err()).contains("carries its port");
        assertThat(CliRun.run("client", ws(0), "--framing", "line", "--message", "x").err())
                .contains("a WebSocket frames its own messages");
        assertThat(CliRun.run("client", ws(0), "-u", "--message", "x").exit()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(CliRun.run("client", "127.0.0.1", "5", "--binary", "--message", "x").err())
                .contains("--binary is for a ws:// URL");
    }

    @Test
    void interactiveSendsEachLineAsAMessageAndPrintsEachEchoAsALine() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        byte[] input = "first line\nsecond, with ünïcödé\n\nlast\n".getBytes(StandardCharsets.UTF_8);
        ClientCommand cmd = new ClientCommand().withInput(new ByteArrayInputStream(input)).withOutput(out);
        int code = Cli.run(cmd, new String[] {ws(0)}, Map.of(), new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("first line\nsecond, with ünïcödé\n\nlast\n");
        assertThat(err.toString()).contains("connected to " + ws(0)).contains("closed by the server: 1000");
    }

    @Test
    void aDrainingServerClosesWith1001AndTheClientEndsCleanly() throws Exception {
        EchoServer draining = new EchoServer(ServerSettings.builder().bind("127.0.0.1").ioThreads(1)
                .drainTimeout(Duration.ofSeconds(5)).ws(new ServerSettings.WsListener(0)).build()).start();
        try (PipedOutputStream typing = new PipedOutputStream(); PipedInputStream stdin = new PipedInputStream(typing)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            StringWriter err = new StringWriter();
            ClientCommand cmd = new ClientCommand().withInput(stdin).withOutput(out);
            String url = "ws://127.0.0.1:" + draining.wsAddresses().get(0).getPort() + "/";
            CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Cli.run(cmd, new String[] {url},
                    Map.of(), new PrintWriter(new StringWriter(), true), new PrintWriter(err, true)));
            typing.write("before the drain\n".getBytes(StandardCharsets.UTF_8));
            typing.flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> out.toString(StandardCharsets.UTF_8).contains("before the drain"));
            draining.stop(); // close frame 1001 to every connection, then waits for their closes
            assertThat(run.get(15, java.util.concurrent.TimeUnit.SECONDS)).as(err.toString()).isZero();
            assertThat(err.toString()).contains("closed by the server: 1001 (going away)");
        } finally {
            draining.stop();
        }
    }
}
