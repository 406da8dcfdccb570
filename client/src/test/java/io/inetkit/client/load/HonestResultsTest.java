package io.inetkit.client.load;

import io.inetkit.client.testing.CliRun;
import io.inetkit.common.cli.Cli;
import io.inetkit.common.framing.Framing;
import io.inetkit.server.EchoServer;
import io.inetkit.server.ServerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A run where nothing, too little, or too few datagrams came back never exits 0, and says why. */
class HonestResultsTest {

    /** Each test's server, with the limits or framing it needs. */
    private EchoServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    private EchoServer start(ServerSettings.Builder b) {
        server = new EchoServer(b.bind("127.0.0.1").ioThreads(1).build()).start();
        return server;
    }

    private static String tcpPort(EchoServer s) {
        return String.valueOf(s.tcpAddresses().get(0).getPort());
    }

    @Test
    void rawAgainstALineServerGetsNoEchoAndSaysFramingMismatch() {
        start(ServerSettings.builder().tcp(0, Framing.parse("line")));
        // 64 bytes without a line end: the line server waits for the rest of the frame, for ever
        CliRun r = CliRun.run("load", "127.0.0.1", tcpPort(server), "--framing", "raw", "-c", "2",
                "--duration", "300ms", "--warmup", "0", "-q");
        assertThat(r.exit()).as(r.toString()).isEqualTo(Cli.EXIT_RUNTIME);
        assertThat(r.err().strip().lines()).as(r.toString()).hasSize(1);
        assertThat(r.err()).contains("FAILED: no echo came back").contains("framing mismatch")
                .contains("--framing raw");
    }

    @Test
    void underMinRateFails() {
        start(ServerSettings.builder().tcp(0, Framing.parse("raw")));
        CliRun ok = CliRun.run("load", "127.0.0.1", tcpPort(server), "-c", "1", "--duration", "300ms",
                "--warmup", "0", "-q", "--min-rate", "1");
        assertThat(ok.exit()).as(ok.toString()).isZero();
        CliRun r = CliRun.run("load", "127.0.0.1", tcpPort(server), "-c", "1", "--duration", "300ms",
                "--warmup", "0", "-q", "--min-rate", "1000000000");
        assertThat(r.exit()).as(r.toString()).isEqualTo(Cli.EXIT_RUNTIME);
        assertThat(r.err()).contains("under --min-rate 1000000000");
    }

    @Test
    void connectionsOverTheServersLimitAreClosedAtConnectAndNamedSo() {
        start(ServerSettings.builder().tcp(0, Framing.parse("raw"))
                .limits(new ServerSettings.Limits(2, 1000, Duration.ZERO, List.of(), List.of())));
        CliRun r = CliRun.run("load", "127.0.0.1", tcpPort(server), "-c", "4", "-t", "1", "--duration", "300ms",
                "--warmup", "0", "-q");
        assertThat(r.exit()).as(r.toString()).isEqualTo(Cli.EXIT_RUNTIME);
        assertThat(r.out()).containsPattern("closed-at-connect +\\| 2 \\(closed by the server before their first echo");
        assertThat(r.err()).contains("2 connection(s) closed by the server before their first echo")
                .contains("--max-connections");
        // tolerated by --max-errors, the run passes, and the table still says what they look like
        CliRun tolerated = CliRun.run("load", "127.0.0.1", tcpPort(server), "-c", "4", "-t", "1", "--duration",
                "300ms", "--warmup", "0", "-q", "--max-errors", "2");
        assertThat(tolerated.exit()).as(tolerated.toString()).isZero();
        assertThat(tolerated.out()).contains("as a server-side connection limit does");
    }

    @Test
    void udpLossOverMaxLossFailsAndARateLimitIsRecognised() {
        // the server echoes 100 datagrams/s to one source; the load sends 1000/s from one address
        start(ServerSettings.builder().udp(0)
                .udpGuard(new ServerSettings.UdpGuard(ServerSettings.UdpGuard.DEFAULT_MIN_SOURCE_PORT, 100,
                        ServerSettings.UdpGuard.DEFAULT_MAX_SOURCES)));
        CliRun r = CliRun.run("load", "127.0.0.1", String.valueOf(server.udpAddresses().get(0).getPort()),
                "--udp", "-c", "2", "--rate", "1000", "--duration", "2s", "--warmup", "1s", "-q");
        assertThat(r.exit()).as(r.toString()).isEqualTo(Cli.EXIT_RUNTIME);
        // about 90 % lost; a busy machine sends a few less than 2,000, so 89.99 % is a pass too
        assertThat(r.err()).containsPattern("FAILED: [89]\\d\\.\\d% of the datagrams lost, over --max-loss 1%")
                .contains("steady").contains("--udp-rate-per-source");
        // the table says it too, where the loss is counted
        assertThat(r.out()).containsPattern("udp lost +\\| \\d+ \\([89]\\d\\.\\d+%\\); the echoes came back at a steady");
    }

    private static LoadResult udp(long sent, long received, List<SeriesPoint> series) {
        return LoadResult.builder().mode("udp-open").messages(received).msgsPerSecond(received / 2.0)
                .durationSeconds(2).udpSent(sent).udpReceived(received).series(series)
                .errors(Map.of()).build();
    }

    private static SeriesPoint point(double seconds, double rate) {
        return new SeriesPoint(seconds, rate, -1, -1, -1);
    }

    @Test
    void lossInBurstsIsNotTakenForARateLimit() {
        PassCriteria p = PassCriteria.DEFAULT;
        String steady = p.failure(udp(3000, 330, List.of(point(1, 130), point(2, 100),
                point(3, 100))));
        assertThat(steady).contains("steady 100/s");
        String bursty = p.failure(udp(3000, 2000, List.of(point(1, 1000), point(2, 200),
                point(3, 800))));
        assertThat(bursty).contains("over --max-loss 1%").doesNotContain("steady");
        assertThat(p.failure(udp(1000, 995, List.of()))).isNull(); // 0.5 %: under the default 1 %
        assertThat(new PassCriteria(0, 0, 0.1).failure(udp(1000, 995, List.of()))).contains("over --max-loss 0.1%");
    }

    @Test
    void badCriteriaAreUsageErrors() {
        CliRun r = CliRun.run("load", "127.0.0.1", "9", "--max-loss", "101");
        assertThat(r.exit()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(r.err()).contains("--max-loss must be a percentage, 0 to 100: 101");
    }
}
