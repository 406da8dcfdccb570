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
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.Matcher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletableFuture;
import java.time.Duration;
import java.net.Socket;
import java.io.PipedOutputStream;
import java.io.PipedInputStream;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
        assertThat(r.out().lines().toList()).as("the echo, printed once, before its line")
                .startsWith("Hello, World! (a message longer than one fixed frame)")
                .filteredOn(l -> l.startsWith("Hello, World!")).hasSize(1);
    }

    @Test
    void aBinaryEchoIsPrintedAsAHexDump(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path f = Files.write(dir.resolve("msg.bin"), new byte[] {0x00, (byte) 0xff, 'A', 0x7f});
        CliRun r = CliRun.run("client", "127.0.0.1", tcpPort("length:2"), "--framing", "length:2",
                "--file", f.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("|00000000| 00 ff 41 7f").contains("|..A.").contains("4 bytes, matched");
    }

    @Test
    void hostColonPortWorksAsHostAndPortDo() {
        CliRun r = CliRun.run("client", "127.0.0.1:" + tcpPort("line"), "--framing", "line", "--message", "hi");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("echo 1/1 from 127.0.0.1:" + tcpPort("line") + ": 2 bytes, matched");
        CliRun missing = CliRun.run("client", "127.0.0.1", "--message", "hi");
        assertThat(missing.exit()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(missing.err()).contains("missing PORT: give HOST PORT or HOST:PORT");
    }

    @Test
    void anIpv6AddressTakesBracketsBeforeItsPortAndIsPrintedInRfc5952Form() {
        EndpointOptions e = new EndpointOptions();
        e.host = "[::1]:5005";
        assertThat(e.host()).isEqualTo("::1");
        assertThat(e.port()).isEqualTo(5005);
        e.host = "::1";
        e.port = "5005";
        assertThat(e.host()).isEqualTo("::1");
        ClientSettings s = ClientSettings.builder("0:0:0:0:0:0:0:1", 5005).build();
        assertThat(new TcpEchoClient(s, System.out, null, null).where()).isEqualTo("[::1]:5005");
    }

    @Test
    void minusZTellsAnOpenPortFromAClosedOneOverTcpAndUdp() throws IOException {
        CliRun open = CliRun.run("client", "-z", "127.0.0.1", tcpPort("raw"));
        assertThat(open.exit()).as(open.toString()).isZero();
        assertThat(open.out()).contains("tcp 127.0.0.1:" + tcpPort("raw") + ": open");
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        CliRun refused = CliRun.run("client", "-z", "127.0.0.1", String.valueOf(closed));
        assertThat(refused.exit()).isEqualTo(ClientCommand.EXIT_UNREACHABLE);
        assertThat(refused.err()).contains("connection refused");

        String udp = String.valueOf(server.udpAddresses().get(0).getPort());
        CliRun udpOpen = CliRun.run("client", "-z", "-u", "127.0.0.1", udp);
        assertThat(udpOpen.exit()).as(udpOpen.toString()).isZero();
        assertThat(udpOpen.out()).contains("open or filtered");
        int udpClosed;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            udpClosed = s.getLocalPort();
        }
        CliRun udpRefused = CliRun.run("client", "-z", "-u", "127.0.0.1", String.valueOf(udpClosed));
        assertThat(udpRefused.exit()).as(udpRefused.toString()).isEqualTo(ClientCommand.EXIT_UNREACHABLE);
        assertThat(udpRefused.err()).contains("closed (ICMP port unreachable)");
    }

    @Test
    void verboseNamesBothEndsAndTheTransport() {
        CliRun r = CliRun.run("client", "-v", "127.0.0.1", tcpPort("raw"), "--message", "x");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.err()).containsPattern("tcp 127\\.0\\.0\\.1:\\d+ -> 127\\.0\\.0\\.1:" + tcpPort("raw")
                + " \\((epoll|io_uring|nio) transport\\)");
    }

    @Test
    void minusWClosesAnInteractiveConnectionWithoutTraffic() throws IOException {
        StringWriter err = new StringWriter();
        try (PipedOutputStream keyboard = new PipedOutputStream(); PipedInputStream stdin = new PipedInputStream(keyboard)) {
            ClientCommand cmd = new ClientCommand().withInput(stdin).withOutput(new ByteArrayOutputStream());
            int code = Cli.run(cmd, new String[] {"127.0.0.1", tcpPort("raw"), "-w", "300ms"}, Map.of(),
                    new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
            assertThat(code).as(err.toString()).isZero();
        }
        assertThat(err.toString()).contains("no traffic for 300ms (-w): closing");
    }

    @Test
    void listenModePrintsWhatArrivesAndEchoesItBack() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        PrintWriter errWriter = new PrintWriter(err, true);
        ClientCommand cmd = new ClientCommand().withOutput(out);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Cli.run(cmd,
                new String[] {"-l", "0", "--framing", "line", "--echo"}, Map.of(),
                new PrintWriter(new StringWriter(), true), errWriter));
        Pattern listening = Pattern.compile("listening on tcp 127\\.0\\.0\\.1:(\\d+) \\(line");
        int port = await().atMost(Duration.ofSeconds(10)).until(() -> {
            synchronized (errWriter) {
                Matcher m = listening.matcher(err.toString());
                return m.find() ? Integer.parseInt(m.group(1)) : 0;
            }
        }, p -> p > 0);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.getOutputStream().write("hello\nworld\n".getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                    .isEqualTo("hello\nworld\n");
        }
        assertThat(exit.get(10, TimeUnit.SECONDS)).as(err.toString()).isZero();
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("hello\nworld\n");
    }

    @Test
    void intervalWaitsBetweenSendsAsPingsDoes() {
        long start = System.nanoTime();
        CliRun r = CliRun.run("client", "127.0.0.1", tcpPort("line"), "--framing", "line", "--message", "hi",
                "--count", "3", "-i", "100ms");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(System.nanoTime() - start).as("two waits of 100 ms").isGreaterThanOrEqualTo(200_000_000L);
        assertThat(r.out()).contains("3/3 echoes matched; rtt min/avg/max/mdev = ");
        CliRun negative = CliRun.run("client", "127.0.0.1", tcpPort("line"), "--message", "hi", "-i", "-1s");
        assertThat(negative.exit()).isEqualTo(Cli.EXIT_USAGE);
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
        assertThat(r.text()).isEqualTo("hello\nworld\n");
    }

    @Test
    void interactiveFixedFramingPadsAndSplitsAndPrintsTheLineAsTyped() {
        Interactive r = interactive("fixed:8", "hi\nHello, World!\n");
        assertThat(r.exit).as(r.err).isZero();
        assertThat(r.text()).isEqualTo("hi\nHello, World!\n");
    }

    @Test
    void interactiveRawIsLikeNc() {
        Interactive r = interactive("raw", "one\ntwo\n");
        assertThat(r.exit).as(r.err).isZero();
        assertThat(r.text()).isEqualTo("one\ntwo\n");
    }

    @Test
    void interactiveLengthFramingKeepsEachLineEnd() {
        Interactive r = interactive("length:2", "a\n\r\nlonger line");
        assertThat(r.exit).as(r.err).isZero();
        assertThat(r.text()).isEqualTo("a\n\r\nlonger line");
    }

    /**
     * What {@code nc -N} promises: stdin comes back byte for byte, binary and invalid UTF-8 included, on every
     * framing (delimiter framing cannot carry its delimiter, so that input has none).
     */
    @ParameterizedTest(name = "{0}, {1} bytes")
    @MethodSource("binaryInputs")
    void interactiveEchoIsByteForByteWhatWasTyped(String framing, int size) {
        Random random = new Random(size * 31L + framing.hashCode());
        byte[] input = new byte[size];
        random.nextBytes(input);
        if (framing.startsWith("delimiter")) {
            for (int i = 0; i < input.length; i++) {
                input[i] = input[i] == 0 ? 1 : input[i];
            }
        }
        Interactive r = interactive(framing, input);
        assertThat(r.exit).as(r.err).isZero();
        assertThat(r.err).doesNotContain("not sent");
        assertThat(r.out.length).isEqualTo(size);
        assertThat(Arrays.mismatch(r.out, input)).as("first differing byte").isEqualTo(-1);
    }

    static Stream<Arguments> binaryInputs() {
        return FRAMINGS.stream().flatMap(f -> IntStream.of(1, 1_000, 100_000).mapToObj(n -> Arguments.of(f, n)));
    }

    record Interactive(int exit, byte[] out, String err) {
        String text() {
            return new String(out, StandardCharsets.ISO_8859_1);
        }
    }

    private static Interactive interactive(String framing, String input) {
        return interactive(framing, input.getBytes(StandardCharsets.UTF_8));
    }

    private static Interactive interactive(String framing, byte[] input) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter text = new StringWriter();
        StringWriter err = new StringWriter();
        ClientCommand cmd = new ClientCommand().withInput(new ByteArrayInputStream(input)).withOutput(out);
        int code = Cli.run(cmd, new String[] {"127.0.0.1", tcpPort(framing), "--framing", framing}, Map.of(),
                new PrintWriter(text, true), new PrintWriter(err, true));
        return new Interactive(code, out.toByteArray(), err.toString());
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
    void interactiveUdpWritesEachEchoAsItsBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        byte[] input = {'a', '\n', (byte) 0xff, 'c', '\n'};
        ClientCommand cmd = new ClientCommand().withInput(new ByteArrayInputStream(input)).withOutput(out);
        int code = Cli.run(cmd, new String[] {"127.0.0.1", String.valueOf(server.udpAddresses().get(0).getPort()),
                "--udp"}, Map.of(), new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString(StandardCharsets.ISO_8859_1).lines()).containsExactlyInAnyOrder("a", "\u00ffc");
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
