package io.inetkit.client.load;

import io.inetkit.common.framing.Framing;
import io.inetkit.server.EchoServer;
import io.inetkit.server.ServerSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.awaitility.Awaitility.await;

/**
 * {@link LoadGenerator#interrupt} (what Ctrl-C calls) in each phase of a run: the run returns at once with
 * the time measured so far. (LoadInterruptIT sends the real SIGINT to the packaged program.)
 */
class LoadInterruptTest {

    static EchoServer server;

    @BeforeAll
    static void startServer() {
        server = new EchoServer(ServerSettings.builder().bind("127.0.0.1").ioThreads(1).tcp(0, Framing.parse("raw"))
                .udp(0).udpGuard(new ServerSettings.UdpGuard(ServerSettings.UdpGuard.DEFAULT_MIN_SOURCE_PORT, 0,
                        ServerSettings.UdpGuard.DEFAULT_MAX_SOURCES)).build()).start();
    }

    @AfterAll
    static void stopServer() {
        server.stop();
    }

    /** Runs {@code b}, interrupts it once stderr shows {@code awaited}, and returns what it measured. */
    private static LoadResult interruptOnce(LoadSettings.Builder b, String awaited) throws Exception {
        StringWriter err = new StringWriter();
        LoadGenerator g = new LoadGenerator(b.connections(2).threads(1).build(), new PrintWriter(err, true), "test");
        CompletableFuture<LoadResult> run = CompletableFuture.supplyAsync(() -> {
            try {
                return g.run();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> err.toString().contains(awaited) || run.isDone());
        g.interrupt();
        // the run is 60 s long: returning within seconds means the interrupt ended it
        LoadResult r = run.get(10, TimeUnit.SECONDS);
        assertThat(r.interrupted()).as(err.toString()).isTrue();
        return r;
    }

    private static LoadSettings.Builder tcp() {
        return LoadSettings.builder(server.tcpAddresses().get(0)).duration(Duration.ofSeconds(60));
    }

    @Test
    void inTheWindowTheResultCoversTheTimeMeasured() throws Exception {
        LoadResult r = interruptOnce(tcp().warmup(Duration.ZERO), "t=1.0s conns 2/2");
        assertThat(r.durationSeconds()).isBetween(0.9, 30.0);
        assertThat(r.messages()).isPositive();
        assertThat(r.msgsPerSecond()).isCloseTo(r.messages() / r.durationSeconds(), offset(1.0));
        assertThat(r.errors().values()).allMatch(v -> v == 0);
    }

    @Test
    void inTheWarmupTheWindowIsEmpty() throws Exception {
        LoadResult r = interruptOnce(tcp().warmup(Duration.ofSeconds(60)), "(warmup)");
        assertThat(r.durationSeconds()).isZero();
        assertThat(r.messages()).isZero();
    }

    @Test
    void udpWaitsItsTimeoutForTheLastEchoes() throws Exception {
        InetSocketAddress udp = server.udpAddresses().get(0);
        LoadResult r = interruptOnce(LoadSettings.builder(udp).udp(true).rate(500).warmup(Duration.ZERO)
                .duration(Duration.ofSeconds(60)).timeout(Duration.ofSeconds(1)), "t=1.0s conns 2/2");
        assertThat(r.udpSent()).isPositive();
        assertThat(r.udpLossPercent()).as("the last echoes were awaited, not counted lost").isLessThan(1);
    }
}
