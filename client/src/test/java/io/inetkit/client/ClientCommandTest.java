package io.inetkit.client;

import io.inetkit.client.testing.CliRun;
import io.inetkit.client.testing.FaultyEchoServer;
import io.inetkit.client.testing.FaultyEchoServer.Fault;
import io.inetkit.client.testing.LectureEchoServer;
import io.inetkit.common.cli.Cli;
import io.inetkit.common.framing.Framing;
import io.inetkit.common.net.Cidr;
import io.inetkit.server.EchoServer;
import io.inetkit.server.ServerSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code inetkit client} against the real echo server, faulty servers and the lecture's server. */
class ClientCommandTest {

    static final List<String> FRAMINGS = List.of("raw", "fixed:8", "line", "delimiter:\\0", "length:2", "length:4:100000");

    static EchoServer server;

    @BeforeAll
    static void startServer() {
        ServerSettings.Builder b = ServerSettings.builder().bind("127.0.0.1").ioThreads(1).udp(0);
        FRAMINGS.forEach(f -> b.tcp(0, Framing.parse(f)));
        server = new EchoServer(b.build()).start();
    }

    @AfterAll
    static void stopServer() {
        server.stop();
    }

    static String tcpPort(String framing) {
        return String.valueOf(server.tcpAddresses().get(FRAMINGS.indexOf(framing)).getPort());
    }

    @ParameterizedTest
    @ValueSource(strings = {"raw", "fixed:8", "line", "delimiter:\\0", "length:2", "length:4:100000"})
    void oneShotMatchesOverEveryFraming(String framing) {
        CliRun r = CliRun.run("client", "127.0.0.1", tcpPort(framing), "--framing", framing,
                "--message", "Hello, World! (a message longer than one fixed frame)", "--count", "3");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("echo 3/3").contains("matched").containsPattern("rtt \\d+\\.\\d+ ms")
                .contains("3/3 echoes matched");
    }

    @Test
    void fileMessageWithTrailingNewlineOverLineFraming(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path f = dir.resolve("msg.txt");
        Files.writeString(f, "from a file\n");
        CliRun r = CliRun.run("client", "127.0.0.1", tcpPort("line"), "--framing", "line", "--file", f.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("11 bytes, matched");
    }

    /** The header's source is the client the server sees: one it denies is refused, another is echoed. */
    @ParameterizedTest
    @ValueSource(strings = {"v1", "v2"})
    void proxySourceIsTheClientTheServerSees(String version) {
        EchoServer proxied = new EchoServer(ServerSettings.builder().bind("127.0.0.1").ioThreads(1)
                .tcp(ServerSettings.TcpListener.parse("0:line:proxy"))
                .limits(new ServerSettings.Limits(100, 10, Duration.ZERO, List.of(), List.of(Cidr.parse("203.0.113.0/24"))))
                .build()).start();
        try {
            String port = String.valueOf(proxied.tcpAddresses().get(0).getPort());
            CliRun served = CliRun.run("client", "127.0.0.1", port, "--framing", "line", "--message", "hi",
                    "--proxy-protocol", version, "--proxy-source", "198.51.100.7:40000");
            assertThat(served.exit()).as(served.toString()).isZero();
            assertThat(served.out()).contains("1/1 echoes matched");
            CliRun denied = CliRun.run("client", "127.0.0.1", port, "--framing", "line", "--message", "hi",
                    "--proxy-protocol", version, "--proxy-source", "203.0.113.7:40000");
            assertThat(denied.exit()).as(denied.toString()).isNotZero();
        } finally {
            proxied.stop();
        }
    }

    @Test
    void proxyOptionsGoTogetherAndNameWhatIsBad() {
        CliRun alone = CliRun.run("client", "127.0.0.1", tcpPort("line"), "--message", "x", "--proxy-protocol", "v1");
        assertThat(alone.exit()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(alone.err()).contains("--proxy-protocol and --proxy-source go together");
        CliRun bad = CliRun.run("client", "127.0.0.1", tcpPort("line"), "--message", "x", "--proxy-protocol", "v1",
                "--proxy-source", "somewhere:1");
        assertThat(bad.exit()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(bad.err()).contains("bad --proxy-source 'somewhere:1'").doesNotContain("\tat ");
        assertThat(bad.err().strip().lines()).hasSize(1);
    }

    @Test
    void refusedConnectionExits3() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        CliRun r = CliRun.run("client", "127.0.0.1", String.valueOf(port), "--message", "x");
        assertThat(r.exit()).as(r.toString()).isEqualTo(ClientCommand.EXIT_UNREACHABLE);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("connection refused");
    }

    @Test
    void flippedByteExits1() throws IOException {
        try (FaultyEchoServer faulty = new FaultyEchoServer(Fault.FLIP, 4)) {
            CliRun r = CliRun.run("client", "127.0.0.1", String.valueOf(faulty.port()), "--message", "Hello, World!");
            assertThat(r.exit()).as(r.toString()).isEqualTo(ClientCommand.EXIT_MISMATCH);
            assertThat(r.err()).contains("differs").contains("byte 4");
            assertThat(r.err().strip().lines()).hasSize(1);
        }
    }

    @Test
    void stalledServerTimesOutWithExit4() throws IOException {
        try (FaultyEchoServer faulty = new FaultyEchoServer(Fault.STALL, 3)) {
            CliRun r = CliRun.run("client", "127.0.0.1", String.valueOf(faulty.port()), "--message", "Hello, World!",
                    "--timeout", "300ms");
            assertThat(r.exit()).as(r.toString()).isEqualTo(ClientCommand.EXIT_TIMEOUT);
            assertThat(r.err()).contains("timeout").contains("3 of 13 bytes");
        }
    }

    @Test
    void resetExits5() throws IOException {
        try (FaultyEchoServer faulty = new FaultyEchoServer(Fault.RESET, 0)) {
            CliRun r = CliRun.run("client", "127.0.0.1", String.valueOf(faulty.port()), "--framing", "line",
                    "--message", "Hello");
            assertThat(r.exit()).as(r.toString()).isEqualTo(ClientCommand.EXIT_CLOSED);
            assertThat(r.err()).containsAnyOf("reset", "closed");
        }
    }

    @Test
    void lectureServerShortReadsAreReassembled() throws IOException {
        String message = "Hello, World! This message is longer than twenty bytes.";
        try (LectureEchoServer lecture = new LectureEchoServer(false)) {
            for (String framing : List.of("raw", "line")) {
                CliRun r = CliRun.run("client", "127.0.0.1", String.valueOf(lecture.port()), "--framing", framing,
                        "--message", message, "--count", "2");
                assertThat(r.exit()).as(framing + ": " + r).isZero();
                assertThat(r.out()).contains("2/2 echoes matched");
            }
            // one connection at a time, each echo in 20-byte pieces
            assertThat(lecture.reads()).isGreaterThanOrEqualTo(2 * 2 * (message.length() / LectureEchoServer.CHUNK));
        }
    }

    @Test
    void lectureServerThatClosesAfterOneReadIsReportedAsClosed() throws IOException {
        try (LectureEchoServer lecture = new LectureEchoServer(true)) {
            CliRun r = CliRun.run("client", "127.0.0.1", String.valueOf(lecture.port()),
                    "--message", "Hello, World! This message is longer than twenty bytes.");
            assertThat(r.exit()).as(r.toString()).isEqualTo(ClientCommand.EXIT_CLOSED);
            assertThat(r.err()).contains("closed the connection").contains("20 of 55 bytes");
            CliRun line = CliRun.run("client", "127.0.0.1", String.valueOf(lecture.port()), "--framing", "line",
                    "--message", "Hello, World! This message is longer than twenty bytes.");
            assertThat(line.exit()).as(line.toString()).isEqualTo(ClientCommand.EXIT_CLOSED);
            assertThat(line.err()).contains("20 bytes of an incomplete frame");
        }
    }

    @Test
    void interactiveLinesEchoAsLines() {
        Interactive r = interactive("line", "hello\nworld\n");
        assertThat(r.exit).as(r.err).isZero();
        assertThat(r.out.lines()).containsExactly("hello", "world");
    }

    @Test
    void interactiveFixedFramingPadsAndSplits() {
        Interactive r = interactive("fixed:8", "hi\nHello, World!\n");
        assertThat(r.exit).as(r.err).isZero();
        assertThat(r.out.lines()).containsExactly("hi", "Hello, W", "orld!");
    }

    @Test
    void interactiveRawIsLikeNc() {
        Interactive r = interactive("raw", "one\ntwo\n");
        assertThat(r.exit).as(r.err).isZero();
        assertThat(r.out).isEqualTo("one\ntwo\n");
    }

    @Test
    void interactiveLengthFraming() {
        Interactive r = interactive("length:2", "a\n\nlonger line\n");
        assertThat(r.exit).as(r.err).isZero();
        assertThat(r.out.lines()).containsExactly("a", "", "longer line");
    }

    record Interactive(int exit, String out, String err) {
    }

    private static Interactive interactive(String framing, String input) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ClientCommand cmd = new ClientCommand().withInput(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        int code = Cli.run(cmd, new String[] {"127.0.0.1", tcpPort(framing), "--framing", framing}, Map.of(),
                new PrintWriter(out, true), new PrintWriter(err, true));
        return new Interactive(code, out.toString(), err.toString());
    }

    @Test
    void udpOneShotReportsRttAndNoLoss() {
        CliRun r = CliRun.run("client", "127.0.0.1", String.valueOf(server.udpAddresses().get(0).getPort()), "--udp",
                "--message", "ping", "--count", "3");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("3/3 messages echoed").contains("0 lost (0.0% loss)").contains("rtt min/avg/max");
    }

    @Test
    void udpWithoutServerFailsAfterRetries() throws IOException {
        int port;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        CliRun r = CliRun.run("client", "127.0.0.1", String.valueOf(port), "--udp", "--message", "ping",
                "--timeout", "200ms", "--retries", "1");
        assertThat(r.exit()).as(r.toString()).isIn(ClientCommand.EXIT_UNREACHABLE, ClientCommand.EXIT_TIMEOUT);
        assertThat(r.out()).contains("0/1 messages echoed").contains("2 datagrams sent");
        assertThat(r.err().strip().lines()).hasSize(1);
    }

    @Test
    void interactiveUdp() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ClientCommand cmd = new ClientCommand().withInput(new ByteArrayInputStream("a\nbc\n".getBytes(StandardCharsets.UTF_8)));
        int code = Cli.run(cmd, new String[] {"127.0.0.1", String.valueOf(server.udpAddresses().get(0).getPort()),
                "--udp"}, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString().lines()).containsExactlyInAnyOrder("a", "bc");
        assertThat(err.toString()).contains("2 datagrams sent, 2 echoed, 0 lost");
    }

    @Test
    void usageErrorsExit2WithOneLine() {
        CliRun bad = CliRun.run("client", "127.0.0.1", "5", "--framing", "bogus", "--message", "x");
        assertThat(bad.exit()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(bad.err()).contains("unknown framing 'bogus'");
        CliRun newline = CliRun.run("client", "127.0.0.1", tcpPort("line"), "--framing", "line", "--message", "a\nb");
        assertThat(newline.exit()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(newline.err()).contains("line break");
        CliRun both = CliRun.run("client", "127.0.0.1", "5", "--message", "x", "--file", "y");
        assertThat(both.exit()).isEqualTo(Cli.EXIT_USAGE);
        CliRun none = CliRun.run();
        assertThat(none.exit()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(none.err()).startsWith("Usage: inetkit").contains("client", "load merge");
    }
}
