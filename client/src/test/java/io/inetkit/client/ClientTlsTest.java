package io.inetkit.client;

import io.inetkit.client.testing.CliRun;
import io.inetkit.common.framing.Framing;
import io.inetkit.server.EchoServer;
import io.inetkit.server.ServerSettings;
import io.inetkit.server.tls.Tls;
import io.inetkit.server.tls.TlsSettings;
import io.inetkit.testing.TestPki;
import io.inetkit.testing.TlsPeer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code client --tls} and {@code load --tls} against the server's TLS listeners (and a peer it refuses to be). */
class ClientTlsTest {

    static final List<String> FRAMINGS = List.of("raw", "fixed:8", "line", "delimiter:\\0", "length:2");

    @TempDir
    static Path dir;
    static TestPki pki;
    static EchoServer server;
    static EchoServer mtls;
    static EchoServer wrongName;
    static TestPki.ServerFiles alice;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.create(dir);
        TestPki.ServerFiles files = pki.server("server");
        ServerSettings.Builder b = ServerSettings.builder().ioThreads(1).drainTimeout(Duration.ofSeconds(1))
                .tls(TlsSettings.of(Tls.pemFiles(files.certificate(), files.key())));
        FRAMINGS.forEach(f -> b.tcp(new ServerSettings.TcpListener(0, Framing.parse(f), false, true)));
        server = new EchoServer(b.build()).start();
        alice = pki.client("alice", "alice");
        mtls = new EchoServer(ServerSettings.builder().ioThreads(1).drainTimeout(Duration.ofSeconds(1))
                .tcp(new ServerSettings.TcpListener(0, Framing.parse("line"), false, true))
                .tls(TlsSettings.of(Tls.pemFiles(files.certificate(), files.key()))
                        .withClientAuth(pki.caPem(), TlsSettings.ClientAuth.REQUIRE)).build()).start();
        TestPki.ServerFiles other = pki.wrongName("other");
        wrongName = new EchoServer(ServerSettings.builder().ioThreads(1).drainTimeout(Duration.ofSeconds(1))
                .tcp(new ServerSettings.TcpListener(0, Framing.parse("line"), false, true))
                .tls(TlsSettings.of(Tls.pemFiles(other.certificate(), other.key()))).build()).start();
    }

    @AfterAll
    static void stop() {
        for (EchoServer s : new EchoServer[] {server, mtls, wrongName}) {
            if (s != null) {
                s.stop();
            }
        }
    }

    static String port(EchoServer s, int i) {
        return String.valueOf(s.tcpAddresses().get(i).getPort());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "openssl"})
    void loadCountsTheHandshakesThatResumedASession(String provider) throws Exception {
        Path json = dir.resolve("resume-" + provider + ".json");
        CliRun r = CliRun.run("load", "--tls", "--cacert", pki.caPem().toString(), "--tls-provider", provider,
                "localhost", port(server, 2), "--framing", "line", "-c", "1", "-d", "2s", "-w", "1s", "--reconnect",
                "--tls-resume", "-q", "--json", json.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode hs = new ObjectMapper().readTree(Files.readString(json)).get("handshake");
        long all = hs.get("in_window").asLong();
        long resumed = hs.get("resumed_in_window").asLong();
        assertThat(hs.get("resumption").asBoolean()).isTrue();
        // One connection at a time: each has the ticket of the one before it (it came before the echo), so
        // after the warm-up every handshake resumes. (With several at once, the JDK's client, which takes a
        // TLS 1.3 ticket out of its cache when it uses it, does a full handshake when another connection
        // holds the only one: a real full handshake, which the count rightly shows.)
        assertThat(all).isGreaterThan(5);
        assertThat(resumed).isEqualTo(all);
        assertThat(r.out()).containsPattern("handshakes +\\| " + all + " in the window, .*\\(" + resumed + " resumed, "
                + (all - resumed) + " full\\)");
        // and without --tls-resume, none did
        Path plain = dir.resolve("full-" + provider + ".json");
        CliRun f = CliRun.run("load", "--tls", "--cacert", pki.caPem().toString(), "--tls-provider", provider,
                "localhost", port(server, 2), "--framing", "line", "-c", "2", "-d", "1s", "-w", "0s", "--reconnect",
                "-q", "--json", plain.toString());
        assertThat(f.exit()).as(f.toString()).isZero();
        JsonNode fhs = new ObjectMapper().readTree(Files.readString(plain)).get("handshake");
        assertThat(fhs.get("in_window").asLong()).isPositive();
        assertThat(fhs.get("resumed_in_window").asLong()).isZero();
    }

    @Test
    void mergeRebuildsTheHandshakeBlockOfEveryGenerator() throws Exception {
        Path a = dir.resolve("hs-a.hlog");
        Path b = dir.resolve("hs-b.hlog");
        Path ja = dir.resolve("hs-a.json");
        Path jb = dir.resolve("hs-b.json");
        for (String[] run : new String[][] {{a.toString(), ja.toString(), "--tls-resume"}, {b.toString(), jb.toString(), "--tls-resume"}}) {
            CliRun r = CliRun.run("load", "--tls", "--cacert", pki.caPem().toString(), "localhost", port(server, 2),
                    "--framing", "line", "-c", "1", "--reconnect", "-d", "1s", "-w", "1s", "-q", run[2],
                    "--hdr-log", run[0], "--json", run[1]);
            assertThat(r.exit()).as(r.toString()).isZero();
        }
        assertThat(Files.readString(a)).contains("Tag=handshake").contains(" handshakes=").contains(" resumed=");
        Path merged = dir.resolve("hs-merged.json");
        CliRun m = CliRun.run("load", "merge", a.toString(), b.toString(), "--json", merged.toString());
        assertThat(m.exit()).as(m.toString()).isZero();
        ObjectMapper json = new ObjectMapper();
        JsonNode ha = json.readTree(Files.readString(ja)).get("handshake");
        JsonNode hb = json.readTree(Files.readString(jb)).get("handshake");
        JsonNode hm = json.readTree(Files.readString(merged)).get("handshake");
        assertThat(hm).as("merged handshake block").isNotNull();
        assertThat(hm.get("in_window").asLong()).isEqualTo(ha.get("in_window").asLong() + hb.get("in_window").asLong());
        assertThat(hm.get("resumed_in_window").asLong())
                .isEqualTo(ha.get("resumed_in_window").asLong() + hb.get("resumed_in_window").asLong())
                .isPositive();
        assertThat(hm.get("count").asLong()).isEqualTo(ha.get("count").asLong() + hb.get("count").asLong());
        assertThat(hm.get("resumption").asBoolean()).isTrue();
        assertThat(m.out()).contains("handshake p99.99");
    }

    @Test
    void openLoopReconnectsEveryNMessagesAndKeepsTheRate() throws Exception {
        Path json = dir.resolve("open-reconnect.json");
        CliRun r = CliRun.run("load", "--tls", "--cacert", pki.caPem().toString(), "localhost", port(server, 2),
                "--framing", "line", "-c", "2", "--rate", "200", "--reconnect", "5", "-d", "2s", "-w", "1s", "-q",
                "--json", json.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode all = new ObjectMapper().readTree(Files.readString(json));
        long messages = all.get("messages").asLong();
        long handshakes = all.get("handshake").get("in_window").asLong();
        assertThat(all.get("errors").get("mismatch").asLong()).isZero();
        assertThat(all.get("errors").get("tls-handshake").asLong()).isZero();
        // the schedule holds through the reconnects: 200/s for 2 s, every message sent and echoed
        assertThat(messages).isBetween(360L, 440L);
        // a new connection, and handshake, every 5 messages of each connection
        assertThat(handshakes).isBetween(messages / 5 - 4, messages / 5 + 4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"raw", "fixed:8", "line", "delimiter:\\0", "length:2"})
    void oneShotOverTlsMatchesOnEveryFraming(String framing) {
        CliRun r = CliRun.run("client", "--tls", "--cacert", pki.caPem().toString(), "localhost",
                port(server, FRAMINGS.indexOf(framing)), "--framing", framing, "--message", "Hello over TLS!", "-c", "2");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("2/2 echoes matched");
    }

    @Test
    void verificationFailuresHaveAnExitCodeAndALineEach() throws Exception {
        CliRun untrusted = CliRun.run("client", "--tls", "127.0.0.1", port(server, 2), "--framing", "line",
                "--message", "hi");
        assertThat(untrusted.exit()).as(untrusted.toString()).isEqualTo(ClientCommand.EXIT_TLS_UNTRUSTED);
        assertThat(untrusted.err()).contains("failed: the server's certificate is not trusted").hasLineCount(1);

        CliRun mismatch = CliRun.run("client", "--tls", "--cacert", pki.caPem().toString(), "127.0.0.1",
                port(wrongName, 0), "--framing", "line", "--message", "hi");
        assertThat(mismatch.exit()).as(mismatch.toString()).isEqualTo(ClientCommand.EXIT_TLS_NAME);
        assertThat(mismatch.err()).contains("does not match 127.0.0.1").hasLineCount(1);

        CliRun sni = CliRun.run("client", "--tls", "--cacert", pki.caPem().toString(), "--sni", "elsewhere.example",
                "127.0.0.1", port(wrongName, 0), "--framing", "line", "--message", "hi");
        assertThat(sni.exit()).as(sni.toString()).isZero();

        TestPki.ServerFiles expired = pki.expired("expired");
        try (TlsPeer old = TlsPeer.serving(expired.certificate(), expired.key())) {
            CliRun outdated = CliRun.run("client", "--tls", "--cacert", pki.caPem().toString(), "localhost",
                    String.valueOf(old.port()), "--message", "hi");
            assertThat(outdated.exit()).as(outdated.toString()).isEqualTo(ClientCommand.EXIT_TLS_EXPIRED);
            assertThat(outdated.err()).contains("the server's certificate has expired").hasLineCount(1);
            CliRun insecure = CliRun.run("client", "--tls", "--insecure", "localhost", String.valueOf(old.port()),
                    "--message", "hi");
            assertThat(insecure.exit()).as(insecure.toString()).isZero();
        }
    }

    @Test
    void mutualTlsWithCertAndKeyIsServedAndWithoutIsRefused() {
        CliRun with = CliRun.run("client", "--tls", "--cacert", pki.caPem().toString(), "--cert",
                alice.certificate().toString(), "--key", alice.key().toString(), "localhost", port(mtls, 0),
                "--framing", "line", "--message", "hi");
        assertThat(with.exit()).as(with.toString()).isZero();
        CliRun without = CliRun.run("client", "--tls", "--cacert", pki.caPem().toString(), "localhost", port(mtls, 0),
                "--framing", "line", "--message", "hi");
        assertThat(without.exit()).as(without.toString()).isNotZero();
        assertThat(without.err()).hasLineCount(1);
    }

    @Test
    void tlsOptionsWithoutTlsAreAUsageError() {
        CliRun r = CliRun.run("client", "--cacert", pki.caPem().toString(), "localhost", port(server, 0), "--message", "hi");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("need --tls");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "openssl"})
    void loadReconnectsForEveryMessageAndReportsHandshakes(String provider) throws Exception {
        Path json = dir.resolve("load-" + provider + ".json");
        Path html = dir.resolve("load-" + provider + ".html");
        CliRun r = CliRun.run("load", "--tls", "--cacert", pki.caPem().toString(), "--tls-provider", provider,
                "localhost", port(server, 2), "--framing", "line", "-c", "2", "-d", "2s", "-w", "1s", "--reconnect",
                "-q", "--json", json.toString(), "--html", html.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("handshakes").contains("handshake p99.99");
        assertThat(Files.readString(html)).contains("handshake p50").contains("handshake p99.99");
        JsonNode hs = new ObjectMapper().readTree(Files.readString(json)).get("handshake");
        assertThat(hs.get("in_window").asLong()).isGreaterThan(5);
        assertThat(hs.get("per_second").asDouble()).isGreaterThan(2);
        assertThat(hs.get("duration_us").get("p99_99").asDouble()).isPositive();
        JsonNode all = new ObjectMapper().readTree(Files.readString(json));
        assertThat(all.get("errors").get("tls-handshake").asLong()).isZero();
        // with --reconnect 1 every message had its own connection: as many handshakes as messages, near enough
        assertThat(hs.get("in_window").asLong()).isBetween(all.get("messages").asLong() - 4, all.get("messages").asLong() + 4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"raw", "fixed:8", "line", "delimiter:\\0", "length:2"})
    void loadOverTlsOnEveryFramingHasNoErrors(String framing) {
        CliRun r = CliRun.run("load", "--tls", "--insecure", "127.0.0.1", port(server, FRAMINGS.indexOf(framing)),
                "--framing", framing, "-c", "4", "-P", "4", "-d", "1s", "-w", "0s", "-q");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).containsPattern("errors +\\| 0");
    }

    @Test
    void loadCountsAnUntrustedServerAsTlsHandshakeErrors() {
        CliRun r = CliRun.run("load", "--tls", "localhost", port(server, 2), "--framing", "line", "-c", "2",
                "-d", "1s", "-w", "0s", "-q");
        assertThat(r.exit()).as(r.toString()).isNotZero();
        assertThat(r.err()).contains("TLS handshake with").contains("not trusted");
    }
}
