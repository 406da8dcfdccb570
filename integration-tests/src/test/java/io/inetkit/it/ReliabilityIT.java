package io.inetkit.it;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The reliability suite of the echo server daemon: the packaged server in its own process, real sockets on
 * loopback, each scenario bounded in time. Each test asserts the figure the daemon promises and prints the
 * measured one ({@code RELIABILITY n: ...} in the test output).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReliabilityIT {

    private static final long MIB = 1 << 20;
    private static final long GIB = 1L << 30;

    private static void report(int scenario, String format, Object... args) {
        System.out.printf("RELIABILITY %d: %s%n", scenario, String.format(format, args));
    }

    /** No ERROR line, no exception, no stack trace, no leak report in what the server logged. */
    private static void assertCleanLog(ServerProcess server) {
        assertThat(server.log()).noneMatch(l -> l.contains(" ERROR ") || l.startsWith("\tat ")
                || l.contains("Exception") || l.contains("LEAK"));
    }

    private static Socket connect(int port, String from) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(from, 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(10_000);
        return s;
    }

    private static void roundTrip(Socket s, String line) throws IOException {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.US_ASCII);
        s.getOutputStream().write(bytes);
        assertThat(s.getInputStream().readNBytes(bytes.length)).isEqualTo(bytes);
    }

    /** True when the server closed {@code s} without sending a byte: EOF, or a reset. */
    private static boolean closedByServer(Socket s) throws IOException {
        try {
            return s.getInputStream().read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    // 1 ----------------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void slowReaderSending1GiBCannotGrowTheServerAndOthersKeepEchoing() throws Exception {
        // the slow reader on the raw listener, the others on the line listener: the raw listener's byte
        // counter is the slow reader's alone
        try (ServerProcess server = ServerProcess.start("--tcp", "0", "--tcp", "0:line", "--io-threads", "2");
             EchoLoad others = new EchoLoad(server.tcpPort("line:8192"), 3)) {
            int port = server.tcpPort("raw");
            others.awaitMoreTrips(500, Duration.ofSeconds(20));
            server.gc();
            PrometheusText before = server.scrape();
            long base = ServerProcess.heapPlusDirect(before);
            double nettyBase = before.sum("netty_allocator_memory_used");

            // one client pushes 1 GiB as fast as loopback takes it, and never reads
            long sent = 0;
            long start = System.nanoTime();
            try (SocketChannel slow = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                 Selector selector = Selector.open()) {
                slow.configureBlocking(false);
                slow.register(selector, SelectionKey.OP_WRITE);
                ByteBuffer chunk = ByteBuffer.allocateDirect((int) MIB);
                new Random(1).ints(MIB / 4).forEach(chunk::putInt);
                long lastProgress = System.nanoTime();
                long deadline = start + Duration.ofSeconds(30).toNanos();
                while (sent < GIB && System.nanoTime() < deadline
                        && System.nanoTime() - lastProgress < Duration.ofSeconds(2).toNanos()) {
                    if (!chunk.hasRemaining()) {
                        chunk.clear();
                    }
                    int n = slow.write(chunk);
                    if (n > 0) {
                        sent += n;
                        lastProgress = System.nanoTime();
                    } else {
                        selector.select(100);
                        selector.selectedKeys().clear();
                    }
                }
                double pushSeconds = (System.nanoTime() - start) / 1e9;

                // while it sits there, the others are served
                long tripsBefore = others.trips();
                others.awaitMoreTrips(300, Duration.ofSeconds(20));
                long tripsDuring = others.trips() - tripsBefore;

                PrometheusText peak = server.scrape();
                double nettyPeak = peak.sum("netty_allocator_memory_used");
                long peakNoGc = ServerProcess.heapPlusDirect(peak);
                server.gc();
                PrometheusText after = server.scrape();
                long growth = ServerProcess.heapPlusDirect(after) - base;
                double serverRead = after.value("inetkit_received_bytes_total", "listener", "tcp/" + port);

                report(1, "the client pushed %.1f MiB of 1 GiB in %.1f s before TCP flow control stopped it; the server "
                                + "read %.1f MiB of it and stopped reading; server heap+direct growth %.2f MiB after GC "
                                + "(%.1f MiB before GC), Netty allocator %.2f -> %.2f MiB; %d echo round trips of 3 other "
                                + "clients meanwhile, slowest %d ms, 0 failures [< 64 MiB]",
                        sent / (double) MIB, pushSeconds, serverRead / MIB, growth / (double) MIB,
                        (peakNoGc - base) / (double) MIB, nettyBase / MIB, nettyPeak / MIB, tripsDuring,
                        others.slowest().toMillis());
                assertThat(growth).as("heap+direct growth in bytes").isLessThan(64 * MIB);
                assertThat(nettyPeak - nettyBase).as("Netty allocator growth in bytes").isLessThan(64 * MIB);
                assertThat(tripsDuring).isGreaterThanOrEqualTo(300);
                assertThat(others.failures()).isEmpty();
                assertThat(serverRead).as("the server stopped reading a peer that does not read").isLessThan(GIB);
            }
            assertCleanLog(server);
        }
    }

    // 2 ----------------------------------------------------------------------------------------------------

    private static final Pattern TIME = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d)\\.\\d{3} ");

    @Test
    @Order(2)
    void aFloodPastMaxConnectionsIsRefusedWhileExistingClientsEchoAndTheLogStaysQuiet() throws Exception {
        try (ServerProcess server = ServerProcess.start("--tcp", "0:line", "--max-connections", "5",
                "--max-connections-per-ip", "10000");
             EchoLoad existing = new EchoLoad(server.tcpPort(), 5)) {
            int port = server.tcpPort();
            existing.awaitMoreTrips(100, Duration.ofSeconds(20));
            int logBefore = server.log().size();
            long tripsBefore = existing.trips();
            long start = System.nanoTime();

            // 300 held open at once past the limit...
            List<Socket> held = new ArrayList<>();
            int refused = 0;
            try {
                for (int i = 0; i < 300; i++) {
                    held.add(connect(port, "127.0.0." + (1 + i % 4)));
                }
                for (Socket s : held) {
                    refused += closedByServer(s) ? 1 : 0;
                }
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
            // ...then connect, see the close, reconnect, for 3 seconds
            int attempts = 0;
            long churnEnd = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < churnEnd && attempts < 30_000) {
                try (Socket s = connect(port, "127.0.0." + (1 + attempts % 4))) {
                    refused += closedByServer(s) ? 1 : 0;
                }
                attempts++;
            }
            double floodSeconds = (System.nanoTime() - start) / 1e9;
            long tripsDuring = existing.trips() - tripsBefore;
            int total = held.size() + attempts;
            await().atMost(Duration.ofSeconds(10)).until(() -> server.scrape()
                    .value("inetkit_connections_rejected_total", "reason", "max_connections") == total);
            existing.awaitMoreTrips(50, Duration.ofSeconds(10));
            // the summary of what the rate limit held back comes within a second
            await().atMost(Duration.ofSeconds(5)).until(() -> server.log().subList(logBefore, server.log().size())
                    .stream().anyMatch(l -> l.contains("more like these")));

            List<String> floodLog = server.log().subList(logBefore, server.log().size());
            Map<String, Integer> perSecond = new TreeMap<>();
            for (String line : floodLog) {
                Matcher m = TIME.matcher(line);
                if (m.find()) {
                    perSecond.merge(m.group(1), 1, Integer::sum);
                }
            }
            int maxPerSecond = perSecond.values().stream().mapToInt(Integer::intValue).max().orElse(0);
            PrometheusText m = server.scrape();
            report(2, "%d connections past --max-connections 5 (held by 5 echoing clients) in %.1f s (%d held at once, %d in a churn), all %d "
                            + "refused and counted; 5 existing clients made %d round trips meanwhile with 0 errors "
                            + "(slowest %d ms); %d log lines, at most %d in one second [refused, no errors, a few lines/s]",
                    total, floodSeconds, held.size(), attempts, refused, tripsDuring, existing.slowest().toMillis(),
                    floodLog.size(), maxPerSecond);
            assertThat(refused).isEqualTo(total);
            assertThat(m.value("inetkit_connections_rejected_total", "reason", "max_connections")).isEqualTo(total);
            assertThat(m.value("inetkit_connections_active", "listener", "tcp/" + port)).isEqualTo(5);
            assertThat(existing.failures()).isEmpty();
            assertThat(tripsDuring).isPositive();
            // 5 WARN lines a window and one summary; a calendar second can see the end of one window and the
            // start of the next
            assertThat(maxPerSecond).as("log lines in any one second").isLessThanOrEqualTo(2 * 5 + 1);
            assertCleanLog(server);
        }
    }

    // 3 ----------------------------------------------------------------------------------------------------

    /** The server's fd count once it has served a connection and a scrape (lazy fds opened) and is idle. */
    private static int warmBaseline(ServerProcess server, int port) throws IOException {
        try (Socket s = connect(port, "127.0.0.1")) {
            roundTrip(s, "warm up");
        }
        await().until(() -> server.scrape().value("inetkit_connections_active", "listener", "tcp/" + port) == 0);
        return server.fdCount();
    }

    @Test
    @Order(3)
    void thousandIdleConnectionsAreClosedAfterTheIdleTimeoutAndTheFdsGoBack() throws Exception {
        try (ServerProcess server = ServerProcess.start("--tcp", "0:line", "--idle-timeout", "2s",
                "--max-connections", "5000", "--max-connections-per-ip", "5000")) {
            int port = server.tcpPort();
            int baseline = warmBaseline(server, port);
            List<Socket> idle = new ArrayList<>();
            try {
                for (int i = 0; i < 1000; i++) {
                    idle.add(connect(port, "127.0.0.1"));
                }
                long opened = System.nanoTime();
                await().atMost(Duration.ofSeconds(10)).until(() ->
                        server.scrape().value("inetkit_connections_active", "listener", "tcp/" + port) == 1000);
                int during = server.fdCount();
                int closedByServer = 0;
                for (Socket s : idle) {
                    closedByServer += closedByServer(s) ? 1 : 0;
                }
                double closedAfter = (System.nanoTime() - opened) / 1e9;
                // the count that met the bound: a scrape's own admin connection may still hold an fd a moment
                int after = await().atMost(Duration.ofSeconds(10)).until(server::fdCount, n -> n <= baseline);
                PrometheusText m = server.scrape();
                report(3, "1000 idle connections, --idle-timeout 2s: all %d closed by the server %.1f s after they "
                                + "opened; server fds %d before, %d with them open, %d after [all closed, fds back to baseline]",
                        closedByServer, closedAfter, baseline, during, after);
                assertThat(closedByServer).isEqualTo(1000);
                assertThat(during).isGreaterThanOrEqualTo(baseline + 1000);
                assertThat(after).isLessThanOrEqualTo(baseline);
                assertThat(m.value("inetkit_connections_idle_closed_total", "listener", "tcp/" + port)).isEqualTo(1000);
                assertThat(m.value("inetkit_connections_active", "listener", "tcp/" + port)).isZero();
            } finally {
                for (Socket s : idle) {
                    s.close();
                }
            }
            assertCleanLog(server);
        }
    }

    // 4 ----------------------------------------------------------------------------------------------------

    @Test
    @Order(4)
    void thousandClientsResetMidStreamLeaveNoFdAndNoErrorBehind() throws Exception {
        try (ServerProcess server = ServerProcess.start("--tcp", "0:line", "--max-connections-per-ip", "5000")) {
            int port = server.tcpPort();
            int baseline = warmBaseline(server, port);
            List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 1000; i++) {
                    Socket s = connect(port, "127.0.0." + (1 + i % 4));
                    clients.add(s);
                    roundTrip(s, "client " + i + " says hello");
                    s.getOutputStream().write(("and then, mid-frame, client " + i + " di").getBytes(StandardCharsets.US_ASCII));
                }
                await().atMost(Duration.ofSeconds(10)).until(() ->
                        server.scrape().value("inetkit_connections_active", "listener", "tcp/" + port) == 1000);
                int during = server.fdCount();
                long killed = System.nanoTime();
                for (Socket s : clients) {
                    s.setSoLinger(true, 0); // close() now sends RST: the client process died, as far as TCP can tell
                    s.close();
                }
                await().atMost(Duration.ofSeconds(15)).until(() ->
                        server.scrape().value("inetkit_connections_active", "listener", "tcp/" + port) == 0);
                // the count that met the bound: a scrape's own admin connection may still hold an fd a moment
                int after = await().atMost(Duration.ofSeconds(15)).until(server::fdCount, n -> n <= baseline);
                double recovered = (System.nanoTime() - killed) / 1e9;
                long errors = server.log().stream().filter(l -> l.contains(" ERROR ") || l.startsWith("\tat ")).count();
                report(4, "1000 clients reset mid-frame (SO_LINGER 0): active connections 1000 -> 0 and server fds "
                        + "%d -> %d (baseline %d) within %.2f s; %d ERROR lines or stack traces "
                        + "[fds and active metric back to baseline, no ERROR stack traces]", during, after, baseline,
                        recovered, errors);
                assertThat(after).isLessThanOrEqualTo(baseline);
                assertThat(errors).isZero();
            } finally {
                for (Socket s : clients) {
                    s.close();
                }
            }
            try (Socket s = connect(port, "127.0.0.1")) {
                roundTrip(s, "still serving");
            }
            assertCleanLog(server);
        }
    }

    // 5 ----------------------------------------------------------------------------------------------------

    private static final Pattern SUMMARY = Pattern.compile(
            "tcp/\\d+ line:8192: .* (\\d+) frames / (\\d+) bytes in, (\\d+) frames / (\\d+) bytes out");

    @Test
    @Order(5)
    void sigtermUnderLoadEchoesEveryFrameReceivedAndExitsZero() throws Exception {
        int clients = 8;
        try (ServerProcess server = ServerProcess.start("--tcp", "0:line", "--drain-timeout", "15s", "--io-threads", "2")) {
            int port = server.tcpPort();
            List<byte[]> patterns = new ArrayList<>();
            List<Socket> sockets = new ArrayList<>();
            List<ByteArrayOutputStream> echoes = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            AtomicReference<Throwable> readFailure = new AtomicReference<>();
            for (int c = 0; c < clients; c++) {
                StringBuilder lines = new StringBuilder();
                for (int i = 0; lines.length() < 256 * 1024; i++) {
                    lines.append("client ").append(c).append(" frame ").append(i).append(' ').append("y".repeat(i % 50)).append('\n');
                }
                byte[] pattern = lines.toString().getBytes(StandardCharsets.US_ASCII);
                patterns.add(pattern);
                Socket s = connect(port, "127.0.0.1");
                sockets.add(s);
                ByteArrayOutputStream echoed = new ByteArrayOutputStream();
                echoes.add(echoed);
                Thread writer = new Thread(() -> {
                    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    try {
                        OutputStream out = s.getOutputStream();
                        while (System.nanoTime() < end) {
                            for (int i = 0; i < pattern.length; i += 4096) {
                                out.write(pattern, i, Math.min(4096, pattern.length - i));
                            }
                        }
                    } catch (IOException stoppedByTheDrain) {
                        // expected: the server half-closes, then we close
                    }
                });
                Thread reader = new Thread(() -> {
                    byte[] buf = new byte[65536];
                    try {
                        InputStream in = s.getInputStream();
                        for (int n; (n = in.read(buf)) > 0; ) {
                            synchronized (echoed) {
                                echoed.write(buf, 0, n);
                            }
                        }
                    } catch (IOException e) {
                        readFailure.set(e);
                    }
                });
                writer.setDaemon(true);
                threads.add(reader);
                writer.start();
                reader.start();
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> echoes.stream().allMatch(e -> {
                synchronized (e) {
                    return e.size() > 1 << 20;
                }
            }));
            server.program.sigterm();
            long signalled = System.nanoTime();
            for (Thread t : threads) {
                t.join(20_000);
                assertThat(t.isAlive()).as("a client still waiting for the end of its echoes").isFalse();
            }
            double drained = (System.nanoTime() - signalled) / 1e9;
            // every client saw EOF and holds its socket open: the server is still draining
            ServerProcess.Response health = server.get("/health");
            for (Socket s : sockets) {
                s.close();
            }
            int exit = server.program.awaitExit(Duration.ofSeconds(20));

            assertThat(readFailure.get()).isNull();
            long echoedBytes = 0;
            long echoedFrames = 0;
            for (int c = 0; c < clients; c++) {
                byte[] got = echoes.get(c).toByteArray();
                byte[] pattern = patterns.get(c);
                for (int i = 0; i < got.length; i++) {
                    if (got[i] != pattern[i % pattern.length]) {
                        throw new AssertionError("client " + c + ": echo differs at byte " + i);
                    }
                }
                assertThat(got[got.length - 1]).as("client %d ends on a frame boundary", c).isEqualTo((byte) '\n');
                echoedBytes += got.length;
                for (byte b : got) {
                    echoedFrames += b == '\n' ? 1 : 0;
                }
            }
            Matcher summary = null;
            for (String line : server.log()) {
                Matcher m = SUMMARY.matcher(line);
                if (m.find()) {
                    summary = m;
                }
            }
            assertThat(summary).as("the server's drain report").isNotNull();
            long framesIn = Long.parseLong(summary.group(1));
            long bytesIn = Long.parseLong(summary.group(2));
            long framesOut = Long.parseLong(summary.group(3));
            long bytesOut = Long.parseLong(summary.group(4));
            report(5, "SIGTERM under 8 clients streaming lines: the server had received %d frames (%.1f MiB) and "
                            + "echoed %d frames (%.1f MiB); the clients got %d frames (%.1f MiB), lost %d; drained in "
                            + "%.2f s, /health %d while draining, exit %d [0 lost, exit 0]",
                    framesIn, bytesIn / (double) MIB, framesOut, bytesOut / (double) MIB, echoedFrames,
                    echoedBytes / (double) MIB, framesIn - echoedFrames, drained, health.status(), exit);
            assertThat(exit).isZero();
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.body()).isEqualTo("draining\n");
            assertThat(framesOut).isEqualTo(framesIn);
            assertThat(bytesOut).isEqualTo(bytesIn);
            assertThat(echoedBytes).as("every byte of every frame received came back").isEqualTo(bytesIn);
            assertThat(echoedFrames).isEqualTo(framesIn);
            assertCleanLog(server);
        }
    }

    // 6 ----------------------------------------------------------------------------------------------------

    /** A UDP socket on a privileged port, or a skipped test saying why not. */
    private static DatagramSocket privileged(int port) throws IOException {
        try {
            return new DatagramSocket(new InetSocketAddress("127.0.0.1", port));
        } catch (BindException e) {
            return Assumptions.abort("cannot bind UDP 127.0.0.1:" + port + " to send from it (" + e.getMessage()
                    + "): ports below 1024 need root or CAP_NET_BIND_SERVICE");
        }
    }

    private static int drainReplies(DatagramSocket socket, int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        int replies = 0;
        try {
            while (true) {
                socket.receive(new DatagramPacket(new byte[2048], 2048));
                replies++;
            }
        } catch (SocketTimeoutException done) {
            return replies;
        }
    }

    @Test
    @Order(6)
    void udpGuardIgnoresEchoAndChargenPortsAndCutsASourceToItsBucket() throws Exception {
        int rate = 20;
        try (ServerProcess server = ServerProcess.start("--udp", "0", "--udp-rate-per-source", String.valueOf(rate));
             DatagramSocket chargen = privileged(19);
             DatagramSocket echo = privileged(7);
             DatagramSocket flooder = new DatagramSocket(new InetSocketAddress("127.0.0.7", 0));
             DatagramSocket polite = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", server.udp.get(0));
            String listener = "udp/" + target.getPort();
            byte[] hello = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 5; i++) {
                chargen.send(new DatagramPacket(hello, hello.length, target));
                echo.send(new DatagramPacket(hello, hello.length, target));
            }
            await().until(() -> server.scrape().value("inetkit_udp_dropped_datagrams_total",
                    "listener", listener, "reason", "source_port") == 10);
            int reflected = drainReplies(chargen, 300) + drainReplies(echo, 300);

            // 500 datagrams from one source, in bursts of 100 that the server has taken before the next
            // (so none is lost in a socket buffer and the count is exact)
            long start = System.nanoTime();
            for (int burst = 1; burst <= 5; burst++) {
                for (int i = 0; i < 100; i++) {
                    flooder.send(new DatagramPacket(hello, hello.length, target));
                }
                long expected = 10 + 100L * burst;
                await().until(() -> server.scrape().value("inetkit_udp_received_datagrams_total", "listener", listener)
                        == expected);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            int floodReplies = drainReplies(flooder, 500);
            for (int i = 0; i < 20; i++) {
                polite.send(new DatagramPacket(hello, hello.length, target));
            }
            await().until(() -> server.scrape().value("inetkit_udp_received_datagrams_total", "listener", listener) == 530);
            int politeReplies = drainReplies(polite, 500);

            // three empty datagrams and then "x": one "x" back, three counted as empty (issue 15.8: epoll sent
            // the "x" once per empty datagram before it, and counted three as sent)
            // (from a source of its own: polite has used its bucket)
            DatagramSocket empties = new DatagramSocket(new InetSocketAddress("127.0.0.9", 0));
            byte[] x = {'x'};
            for (int i = 0; i < 3; i++) {
                empties.send(new DatagramPacket(new byte[0], 0, target));
            }
            empties.send(new DatagramPacket(x, 1, target));
            await().until(() -> server.scrape().value("inetkit_udp_dropped_datagrams_total",
                    "listener", listener, "reason", "empty") == 3);
            List<String> afterEmpties = new ArrayList<>();
            empties.setSoTimeout(500);
            try {
                while (afterEmpties.size() < 10) { // more than one is the failure; ten say how bad
                    DatagramPacket reply = new DatagramPacket(new byte[64], 64);
                    empties.receive(reply);
                    afterEmpties.add(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.US_ASCII));
                }
            } catch (SocketTimeoutException done) {
                // no more replies within 500 ms
            } finally {
                empties.close();
            }

            PrometheusText m = server.scrape();
            double rateDrops = m.value("inetkit_udp_dropped_datagrams_total", "listener", listener, "reason", "rate");
            double portDrops = m.value("inetkit_udp_dropped_datagrams_total", "listener", listener, "reason", "source_port");
            double sentByServer = m.value("inetkit_udp_sent_datagrams_total", "listener", listener);
            // the bucket holds one second's worth, and refills at the rate while the 500 arrive
            int bound = rate + (int) Math.ceil(rate * seconds);
            report(6, "10 datagrams from ports 19 and 7: %d replies, %.0f counted as source_port drops; 500 datagrams "
                            + "in %.2f s from one source at --udp-rate-per-source %d: %d replies (bucket %d + refill: "
                            + "bound %d), %.0f counted as rate drops; another source got %d/20; 3 empty datagrams "
                            + "and \"x\": replies %s, %.0f counted as empty "
                            + "[no reply to 19/7, at most the bucket, counted in /metrics; one x, empty=3]",
                    reflected, portDrops, seconds, rate, floodReplies, rate, bound, rateDrops, politeReplies,
                    afterEmpties, m.value("inetkit_udp_dropped_datagrams_total", "listener", listener, "reason", "empty"));
            assertThat(reflected).isZero();
            assertThat(portDrops).isEqualTo(10);
            assertThat(floodReplies).isBetween(rate, bound);
            assertThat(rateDrops).isEqualTo(500 - floodReplies);
            assertThat(politeReplies).isEqualTo(20);
            assertThat(afterEmpties).containsExactly("x");
            assertThat(sentByServer).isEqualTo(floodReplies + politeReplies + 1);
            assertCleanLog(server);
        }
    }

    // 7 ----------------------------------------------------------------------------------------------------

    @Test
    @Order(7)
    void allowDenyAndPerAddressLimitsBySourceAddress() throws Exception {
        try (ServerProcess server = ServerProcess.start("--tcp", "0:line", "--allow", "127.0.0.0/24",
                "--deny", "127.0.0.66", "--max-connections-per-ip", "3")) {
            int port = server.tcpPort();
            String listener = "tcp/" + port;
            List<Socket> open = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Socket s = connect(port, "127.0.0.10");
                    open.add(s);
                    roundTrip(s, "from .10, number " + i);
                }
                boolean fourthRefused = closedByServer(connect(port, "127.0.0.10"));
                Socket other = connect(port, "127.0.0.11");
                open.add(other);
                roundTrip(other, "from .11");
                boolean deniedRefused = closedByServer(connect(port, "127.0.0.66"));
                boolean outsideRefused = closedByServer(connect(port, "127.0.1.9"));
                open.get(0).close();
                await().until(() -> server.scrape().value("inetkit_connections_active", "listener", listener) == 3);
                Socket again = connect(port, "127.0.0.10");
                open.add(again);
                roundTrip(again, "from .10 again, a slot was freed");

                PrometheusText m = server.scrape();
                report(7, "--allow 127.0.0.0/24 --deny 127.0.0.66 --max-connections-per-ip 3: 3 from 127.0.0.10 "
                                + "served, the 4th refused: %s; 127.0.0.11 served; 127.0.0.66 refused: %s; 127.0.1.9 "
                                + "refused: %s; rejected{denied}=%.0f, rejected{max_connections_per_ip}=%.0f",
                        fourthRefused, deniedRefused, outsideRefused,
                        m.value("inetkit_connections_rejected_total", "listener", listener, "reason", "denied"),
                        m.value("inetkit_connections_rejected_total", "listener", listener, "reason", "max_connections_per_ip"));
                assertThat(fourthRefused).isTrue();
                assertThat(deniedRefused).isTrue();
                assertThat(outsideRefused).isTrue();
                assertThat(m.value("inetkit_connections_rejected_total", "listener", listener, "reason", "denied")).isEqualTo(2);
                assertThat(m.value("inetkit_connections_rejected_total", "listener", listener,
                        "reason", "max_connections_per_ip")).isEqualTo(1);
                assertThat(m.value("inetkit_connections_accepted_total", "listener", listener)).isEqualTo(5);
            } finally {
                for (Socket s : open) {
                    s.close();
                }
            }
            assertCleanLog(server);
        }
        // IPv6: the same rules by network, on ::1
        try (ServerProcess server = ServerProcess.start("--bind", "::1", "--tcp", "0:line", "--allow", "::1/128",
                "--deny", "::/0")) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("::1", server.tcpPort()), 5000);
                s.setSoTimeout(10_000);
                assertThat(closedByServer(s)).as("deny ::/0 wins over allow ::1/128").isTrue();
            }
            assertThat(server.scrape().value("inetkit_connections_rejected_total", "reason", "denied")).isEqualTo(1);
        }
    }

    // 8 ----------------------------------------------------------------------------------------------------

    private static final String[] HOSTILE_FRAMINGS = {"raw", "fixed:20", "line:64", "delimiter:\\0:64", "length:2:1024",
            "length:8:8192"};

    /** Reads to the end; returns what came, and whether the end was an orderly EOF (not a reset or a hang). */
    private record Ending(byte[] bytes, boolean cleanEof) {
    }

    private static Ending readToEnd(Socket s) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            InputStream in = s.getInputStream();
            for (int n; (n = in.read(buf)) >= 0; ) {
                got.write(buf, 0, n);
            }
            return new Ending(got.toByteArray(), true);
        } catch (IOException e) {
            return new Ending(got.toByteArray(), false);
        }
    }

    @Test
    @Order(8)
    void hostileFramesAreClosedCleanlyAndTheServerIsUnaffected() throws Exception {
        List<String> args = new ArrayList<>();
        for (String f : HOSTILE_FRAMINGS) {
            args.add("--tcp");
            args.add("0:" + f);
        }
        try (ServerProcess server = ServerProcess.start(args.toArray(String[]::new));
             EchoLoad bystanders = new EchoLoad(server.tcpPort("raw"), 2)) {
            Random random = new Random(8);
            int ended = 0;
            int cleanEnds = 0;
            for (String framing : server.tcp.keySet()) {
                int port = server.tcp.get(framing);
                for (int i = 0; i < 3; i++) {
                    try (Socket s = connect(port, "127.0.0.1")) {
                        byte[] junk = new byte[64 * 1024];
                        random.nextBytes(junk);
                        Thread writer = new Thread(() -> {
                            try {
                                s.getOutputStream().write(junk);
                                s.shutdownOutput();
                            } catch (IOException cutShort) {
                                // the server may refuse the stream before it is all written
                            }
                        });
                        writer.start();
                        Ending end = readToEnd(s);
                        writer.join(10_000);
                        ended++;
                        cleanEnds += end.cleanEof() ? 1 : 0;
                    }
                }
            }

            // a length field of 2^62: a length-prefixed ERR, then EOF
            String bigLengthReply;
            boolean bigLengthClean;
            try (Socket s = connect(server.tcpPort("length:8:8192"), "127.0.0.1")) {
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                out.writeLong(1L << 62);
                out.write(new byte[1000]);
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] err = new byte[(int) in.readLong()];
                in.readFully(err);
                bigLengthReply = new String(err, StandardCharsets.US_ASCII);
                Ending end = readToEnd(s);
                bigLengthClean = end.cleanEof() && end.bytes().length == 0;
            }
            // a line past MAX with no newline: an ERR line, then EOF
            Ending longLine;
            try (Socket s = connect(server.tcpPort("line:64"), "127.0.0.1")) {
                s.getOutputStream().write("z".repeat(10_000).getBytes(StandardCharsets.US_ASCII));
                longLine = readToEnd(s);
            }
            String longLineReply = new String(longLine.bytes(), StandardCharsets.US_ASCII);

            // everyone else: unaffected
            for (String framing : server.tcp.keySet()) {
                try (Socket s = connect(server.tcp.get(framing), "127.0.0.1")) {
                    byte[] frame = switch (framing) {
                        case "fixed:20" -> "twenty bytes exactly".getBytes(StandardCharsets.US_ASCII);
                        case "line:64" -> "a good line\n".getBytes(StandardCharsets.US_ASCII);
                        case "delimiter:\\0:64" -> "a good frame\0".getBytes(StandardCharsets.US_ASCII);
                        case "length:2:1024" -> new byte[] {0, 4, 'g', 'o', 'o', 'd'};
                        case "length:8:8192" -> new byte[] {0, 0, 0, 0, 0, 0, 0, 4, 'g', 'o', 'o', 'd'};
                        default -> "raw bytes".getBytes(StandardCharsets.US_ASCII);
                    };
                    s.getOutputStream().write(frame);
                    assertThat(s.getInputStream().readNBytes(frame.length)).as(framing).isEqualTo(frame);
                }
            }
            bystanders.awaitMoreTrips(50, Duration.ofSeconds(10));
            PrometheusText m = server.scrape();
            report(8, "%d streams of 64 KiB random bytes over %d framings: all %d ended, %d with an orderly FIN; "
                            + "length 2^62 -> \"%s\" then FIN: %s; a 10000-byte line on line:64 -> \"%s\" then FIN: %s; "
                            + "frame errors too_long=%.0f corrupt=%.0f; every listener echoes afterwards, bystanders "
                            + "%d errors [clean close, server unaffected]",
                    ended, HOSTILE_FRAMINGS.length, ended, cleanEnds, bigLengthReply.strip(), bigLengthClean,
                    longLineReply.strip(), longLine.cleanEof(),
                    m.sum("inetkit_frame_errors_total", "kind", "too_long"), m.sum("inetkit_frame_errors_total", "kind", "corrupt"),
                    bystanders.failures().size());
            assertThat(ended).isEqualTo(3 * HOSTILE_FRAMINGS.length);
            assertThat(cleanEnds).as("streams that ended with an orderly FIN").isEqualTo(ended);
            assertThat(bigLengthReply).startsWith("ERR frame rejected").contains(String.valueOf(1L << 62));
            assertThat(bigLengthClean).isTrue();
            assertThat(longLineReply).startsWith("ERR frame rejected").contains("64").endsWith("\n");
            assertThat(longLine.cleanEof()).isTrue();
            assertThat(m.sum("inetkit_frame_errors_total", "kind", "too_long")).isGreaterThanOrEqualTo(2);
            assertThat(bystanders.failures()).isEmpty();
            assertThat(server.program.process.isAlive()).isTrue();
            assertCleanLog(server);
        }
    }

    // 9 ----------------------------------------------------------------------------------------------------

    /** A TLS socket that trusts the server's self-signed certificate: the test checks timeouts, not identity. */
    private static Socket tlsConnect(int port, String from) throws Exception {
        javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
            }

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        }}, null);
        javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) ctx.getSocketFactory().createSocket(connect(port, from),
                "localhost", port, true);
        s.setEnabledProtocols(new String[] {"TLSv1.3"});
        s.startHandshake();
        return s;
    }

    /**
     * Slowloris: 400 HTTP and 400 HTTPS connections send the start of a request head, then one byte a second,
     * and never finish it. The server (small heap, {@code --http-header-timeout 3s}) closes every one about
     * 3 s after it opened, although each byte is activity for the idle timeout; meanwhile the TCP echo, the
     * UDP echo, {@code /health} and a whole HTTP request are answered each round.
     */
    @Test
    @Order(9)
    void slowlorisHeadsAreCutByTheHeaderTimeoutWhileEverythingElseAnswers() throws Exception {
        int perListener = 400;
        try (ServerProcess server = ServerProcess.start(List.of("-Xmx256m", "-XX:MaxDirectMemorySize=256m"),
                "--tcp", "0:line", "--udp", "0", "--http", "0", "--https", "0", "--tls", "self-signed",
                "--http-header-timeout", "3s", "--idle-timeout", "5m");
             EchoLoad bystanders = new EchoLoad(server.tcpPort(), 1);
             DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            int http = server.http.get("http");
            int https = server.http.get("https");
            udp.setSoTimeout(5000);
            List<Socket> slow = new java.util.concurrent.CopyOnWriteArrayList<>();
            java.util.concurrent.atomic.AtomicBoolean dripping = new java.util.concurrent.atomic.AtomicBoolean(true);
            // a byte to every open head every half second, from the first connection on: bounded by 40 s
            Thread drip = new Thread(() -> {
                long end = System.nanoTime() + Duration.ofSeconds(40).toNanos();
                while (dripping.get() && System.nanoTime() < end) {
                    for (Socket s : slow) {
                        try {
                            s.getOutputStream().write('a');
                            s.getOutputStream().flush();
                        } catch (IOException closed) {
                            // cut by the server: what the scenario waits for
                        }
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(500).toNanos()); // the pace
                }
            }, "slowloris");
            byte[] start = "GET /get HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
            try {
                long opening = System.nanoTime();
                drip.start();
                for (int i = 0; i < perListener; i++) {
                    // spread over 127.0.0.0/24: the per-address limit is not what this scenario is about
                    String from = "127.0.0." + (1 + i % 250);
                    for (Socket s : List.of(connect(http, from), tlsConnect(https, from))) {
                        s.getOutputStream().write(start);
                        s.getOutputStream().flush();
                        slow.add(s);
                    }
                }
                double openSeconds = (System.nanoTime() - opening) / 1e9;
                long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                int rounds = 0;
                long worstNanos = 0;
                double cut = 0;
                while (System.nanoTime() < until && (cut = server.scrape().sum("inetkit_http_request_timeouts_total",
                        "phase", "head")) < 2 * perListener) {
                    long t0 = System.nanoTime();
                    byte[] ping = ("round " + rounds).getBytes(StandardCharsets.US_ASCII);
                    udp.send(new DatagramPacket(ping, ping.length, new InetSocketAddress("127.0.0.1", server.udp.get(0))));
                    DatagramPacket reply = new DatagramPacket(new byte[64], 64);
                    udp.receive(reply);
                    assertThat(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.US_ASCII))
                            .isEqualTo("round " + rounds);
                    assertThat(server.get("/health").status()).isEqualTo(200);
                    try (Socket whole = connect(http, "127.0.0.251")) {
                        whole.getOutputStream().write("GET /ip HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                        assertThat(new String(whole.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                                .startsWith("HTTP/1.1 200 OK");
                    }
                    worstNanos = Math.max(worstNanos, System.nanoTime() - t0);
                    rounds++;
                    bystanders.awaitMoreTrips(1, Duration.ofSeconds(5));
                }
                double cutAfter = (System.nanoTime() - opening) / 1e9;
                dripping.set(false);
                drip.join(10_000);
                PrometheusText m = server.scrape();
                assertThat(cut).as("heads cut by the header timeout").isEqualTo(2 * perListener);
                int closed = 0;
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos(); // for all of them together
                for (Socket s : slow) {
                    s.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                    closed += closedByServer(s) ? 1 : 0;
                }
                report(9, "%d HTTP + %d HTTPS slowloris heads (opened in %.1f s), --http-header-timeout 3s: %.0f cut "
                                + "(%.0f http, %.0f https) while a byte a half second reached each, %d seen closed, all "
                                + "within %.1f s of the first opening; "
                                + "%d rounds of UDP echo + /health + a whole GET meanwhile, slowest round %.0f ms; "
                                + "TCP echo bystander %d round trips, %d failures [all cut, everything else answers]",
                        perListener, perListener, openSeconds, cut,
                        m.value("inetkit_http_request_timeouts_total", "listener", "http/" + http, "phase", "head"),
                        m.value("inetkit_http_request_timeouts_total", "listener", "https/" + https, "phase", "head"),
                        closed, cutAfter, rounds, worstNanos / 1e6, bystanders.trips(), bystanders.failures().size());
                assertThat(closed).isEqualTo(2 * perListener);
                assertThat(m.value("inetkit_connections_idle_closed_total", "listener", "http/" + http)).isZero();
                assertThat(bystanders.failures()).isEmpty();
                // and afterwards: a whole request on each HTTP listener, /health
                for (Socket whole : List.of(connect(http, "127.0.0.252"), tlsConnect(https, "127.0.0.252"))) {
                    try (whole) {
                        whole.getOutputStream().write("GET /ip HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                        assertThat(new String(whole.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                                .startsWith("HTTP/1.1 200 OK");
                    }
                }
                assertThat(server.get("/health").status()).isEqualTo(200);
            } finally {
                dripping.set(false);
                for (Socket s : slow) {
                    s.close();
                }
            }
            assertThat(server.program.process.isAlive()).isTrue();
            assertCleanLog(server);
        }
    }
}
