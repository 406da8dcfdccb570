package io.inetkit.client.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inetkit.client.testing.CliRun;
import io.inetkit.client.testing.LyingWsServer;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code inetkit load ws://} and {@code wss://}: every echo verified, the upgrades timed, the server's closes counted. */
class LoadWsTest {

    @TempDir
    static Path dir;
    static TestPki pki;
    /** ws on listener 0 (limit 1 KiB), wss on listener 1; HTTP with /ws. */
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
                .ws(new ServerSettings.WsListener(0, "/", 1024, false, false))
                .ws(new ServerSettings.WsListener(0, "/", ServerSettings.WsListener.DEFAULT_MAX_MESSAGE, false, true))
                .http(0, Tls.none())
                .build()).start();
        liar = new LyingWsServer(50);
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

    private static JsonNode json(Path file) throws IOException {
        return new ObjectMapper().readTree(Files.readString(file));
    }

    @Test
    void closedLoopBinaryAndTextEchoesAreVerifiedAndTheUpgradesTimed() throws IOException {
        for (String type : new String[] {"binary", "text"}) {
            Path json = dir.resolve("closed-" + type + ".json");
            CliRun r = type.equals("text")
                    ? CliRun.run("load", ws(0), "-c", "4", "-t", "1", "-d", "500ms", "--warmup", "0", "-q", "--text",
                            "--json", json.toString())
                    : CliRun.run("load", ws(0), "-c", "4", "-t", "1", "-d", "500ms", "--warmup", "0", "-q",
                            "--json", json.toString());
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out()).contains("mode           | ws-closed, websocket " + type)
                    .contains("ws upgrades    | 4, 4 with permessage-deflate")
                    .containsPattern("upgrade p99 +\\| \\d").contains("ws closes      | none from the server");
            JsonNode j = json(json);
            assertThat(j.get("messages").asLong()).isPositive();
            assertThat(j.get("errors").get("mismatch").asLong()).isZero();
            assertThat(j.get("websocket").get("upgrades").asLong()).isEqualTo(4);
            assertThat(j.get("websocket").get("upgrade_us").get("p50").asDouble()).isPositive();
            assertThat(j.get("websocket").get("server_closes").size()).isZero();
        }
    }

    @Test
    void openLoopWithoutDeflateKeepsTheRate() throws IOException {
        Path json = dir.resolve("open.json");
        CliRun r = CliRun.run("load", ws(0), "-c", "2", "-t", "1", "-R", "400", "-d", "1s", "--warmup", "0", "-q",
                "--no-deflate", "--json", json.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("ws-open").contains("(permessage-deflate not offered)");
        JsonNode j = json(json);
        assertThat(j.get("messages").asLong()).isBetween(300L, 500L);
        assertThat(j.get("websocket").get("deflated").asLong()).isZero();
    }

    @Test
    void anEchoWithOtherBytesIsAMismatch() {
        String url = liar.url();
        CliRun r = CliRun.run("load", url, "-c", "1", "-d", "1s", "--warmup", "0", "-q");
        assertThat(r.exit()).as(r.toString()).isEqualTo(Cli.EXIT_RUNTIME);
        assertThat(r.out()).containsPattern("errors +\\| \\d+ \\+ [1-9]\\d* mismatches");
        assertThat(r.err()).contains("FAILED");
    }

    @Test
    void aRefusedUpgradeIsCountedAndNamed() {
        int http = server.httpAddresses().get(0).getPort();
        CliRun r = CliRun.run("load", "ws://127.0.0.1:" + http + "/nothing-here", "-c", "2", "-d", "300ms",
                "--warmup", "0", "-q");
        assertThat(r.exit()).as(r.toString()).isEqualTo(Cli.EXIT_RUNTIME);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("WebSocket upgrade to ws://127.0.0.1:" + http + "/nothing-here failed: HTTP 404")
                .contains("ws-upgrade");
        // the shared port's /ws is the echo
        CliRun ok = CliRun.run("load", "ws://127.0.0.1:" + http + "/ws", "-c", "2", "-d", "300ms", "--warmup", "0", "-q");
        assertThat(ok.exit()).as(ok.toString()).isZero();
    }

    @Test
    void messagesOverTheServersLimitAreClosedWith1009AndCountedByCode() throws IOException {
        Path json = dir.resolve("too-big.json");
        CliRun r = CliRun.run("load", ws(0), "-c", "3", "-s", "2000", "-d", "300ms", "--warmup", "0", "-q",
                "--no-deflate", "--json", json.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(Cli.EXIT_RUNTIME);
        assertThat(r.out()).contains("ws closes      | 1009 (message too big) x 3");
        JsonNode j = json(json);
        assertThat(j.get("websocket").get("server_closes").get("1009").asLong()).isEqualTo(3);
        assertThat(j.get("errors").get("ws-closed").asLong()).isEqualTo(3);
    }

    @Test
    void wssAndReconnectTimeAHandshakeAndAnUpgradeForEveryConnection() throws IOException {
        Path json = dir.resolve("wss.json");
        String wss = "wss://localhost:" + server.wsAddresses().get(1).getPort() + "/";
        CliRun r = CliRun.run("load", wss, "--cacert", pki.caPem().toString(), "-c", "2", "-t", "1", "-d", "1s",
                "--warmup", "0", "-q", "--reconnect", "5", "--json", json.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode j = json(json);
        long messages = j.get("messages").asLong();
        // a new connection, handshake and upgrade every 5 messages: about messages / 5 of each
        assertThat(j.get("websocket").get("upgrades").asLong()).isGreaterThanOrEqualTo(messages / 5);
        // every upgrade followed a handshake; at the end each of the 2 slots may have one handshake without its upgrade
        long upgrades = j.get("websocket").get("upgrades").asLong();
        assertThat(j.get("handshake").get("count").asLong()).isBetween(upgrades, upgrades + 2);
        assertThat(j.get("errors").get("ws-closed").asLong()).isZero();
    }

    @Test
    void theHdrLogCarriesTheUpgradesAndMergeRebuildsThem() {
        Path a = dir.resolve("a.hlog");
        Path b = dir.resolve("b.hlog");
        for (Path p : new Path[] {a, b}) {
            CliRun r = CliRun.run("load", ws(0), "-c", "2", "-t", "1", "-d", "300ms", "--warmup", "0", "-q",
                    "--hdr-log", p.toString());
            assertThat(r.exit()).as(r.toString()).isZero();
        }
        CliRun merged = CliRun.run("load", "merge", a.toString(), b.toString());
        assertThat(merged.exit()).as(merged.toString()).isZero();
        assertThat(merged.out()).contains("ws upgrades    | 4, 4 with permessage-deflate").contains("upgrade p50");
    }

    @Test
    void optionsThatDoNotFitAWebSocketAreUsageErrors() {
        assertThat(CliRun.run("load", ws(0), "--udp").err()).contains("not with --udp");
        assertThat(CliRun.run("load", ws(0), "--framing", "line").err()).contains("a WebSocket frames its own messages");
        assertThat(CliRun.run("load", ws(0), "--tls").err()).contains("use wss://");
        assertThat(CliRun.run("load", "127.0.0.1", "5", "--text").err()).contains("--text is for a ws:// URL");
        CliRun bad = CliRun.run("load", "ws://127.0.0.1:0/");
        assertThat(bad.exit()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(bad.err().strip().lines()).hasSize(1);
    }
}
