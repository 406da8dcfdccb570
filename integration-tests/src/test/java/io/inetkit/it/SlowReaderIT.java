package io.inetkit.it;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stalled peers against the packaged server in a small JVM ({@code -Xmx256m -XX:MaxDirectMemorySize=256m}),
 * one framing at a time: 1,000 peers connect, send frames as fast as the server takes them and never
 * read a byte of their echoes. The Netty memory the server holds for them ({@code netty_allocator_memory_used},
 * direct and heap), divided by the peers, must stay within {@value #PER_PEER_LIMIT} bytes a peer, and a
 * bystander on the same port keeps getting its echoes, and new clients are served. Prints the figures as
 * {@code RELIABILITY-SLOW ...} lines. Then {@code --max-buffered}: peers whose 1 MiB frames nothing else bounds
 * are closed by the budget, largest first, and the others are served.
 *
 * <p>Also the measuring tool: {@code -Dslow.peers=N} and {@code -Dslow.frame=BYTES} (the size of each frame the
 * peers send, framing bytes included) change the load, {@code -Dslow.framings=raw,line} picks framings and
 * {@code -Dslow.jvm="-Dio.netty.allocator.type=pooled"} adds server JVM options.
 */
class SlowReaderIT {

    private static final int PEERS = Integer.getInteger("slow.peers", 1000);
    private static final int FRAME = Integer.getInteger("slow.frame", 100);
    /** Only these framings, comma-separated ({@code -Dslow.framings=line,raw}); all when not set. */
    private static final String ONLY = System.getProperty("slow.framings");
    private static final long PER_PEER_LIMIT = 128 * 1024;
    private static final double KIB = 1024;
    private static final double MIB = 1 << 20;
    /** How long the peers may push; the push ends sooner once no peer's socket takes more. */
    private static final Duration PUSH = Duration.ofSeconds(30);
    private static final Duration QUIET = Duration.ofSeconds(1);

    /** The server's small JVM, plus {@code -Dslow.jvm="-Dx=y -Da=b"} to try an option. */
    private static List<String> jvmOptions() {
        List<String> options = new ArrayList<>(List.of("-Xmx256m", "-XX:MaxDirectMemorySize=256m"));
        String extra = System.getProperty("slow.jvm", "").trim();
        if (!extra.isEmpty()) {
            options.addAll(Arrays.asList(extra.split("\\s+")));
        }
        return options;
    }

    private static void report(String framing, String format, Object... args) {
        System.out.printf("RELIABILITY-SLOW %s: %s%n", framing, String.format(format, args));
    }

    /** One frame of {@code framing}, {@code size} bytes long with its framing bytes. */
    static byte[] frame(String framing, int size, Random random) {
        byte[] f = new byte[size];
        for (int i = 0; i < size; i++) {
            f[i] = (byte) ('a' + random.nextInt(26));
        }
        if (framing.startsWith("line")) {
            f[size - 1] = '\n';
        } else if (framing.startsWith("delimiter:\\0")) {
            f[size - 1] = 0;
        } else if (framing.startsWith("length:4")) {
            ByteBuffer.wrap(f).putInt(size - 4);
        }
        return f; // raw and fixed:N (N = size): any bytes
    }

    /** Whole frames, about 64 KiB of them: what each peer writes, round and round. */
    private static ByteBuffer frames(String framing, int size) {
        Random random = new Random(1);
        int count = Math.max(1, 65536 / size);
        ByteBuffer all = ByteBuffer.allocateDirect(count * size);
        for (int i = 0; i < count; i++) {
            all.put(frame(framing, size, random));
        }
        return all.flip();
    }

    /** Sends frames and reads each echo back; a failure is a round trip that did not come back whole. */
    private static void roundTrips(int port, String framing, int trips) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            Random random = new Random(2);
            for (int i = 0; i < trips; i++) {
                byte[] f = frame(framing, FRAME, random);
                out.write(f);
                assertThat(in.readNBytes(f.length)).as("echo %d of %s", i, framing).isEqualTo(f);
            }
        }
    }

    /** Peers that connect, push {@code frames} round and round as fast as the server takes them, and never read. */
    private static final class Stall implements AutoCloseable {
        final List<SocketChannel> peers = new ArrayList<>();
        final Selector selector = Selector.open();
        double connectSeconds;
        double pushSeconds;
        long sent;
        int closedByServer;

        Stall(int port, int count, ByteBuffer frames) throws IOException {
            long start = System.nanoTime();
            for (int i = 0; i < count && System.nanoTime() - start < PUSH.toNanos() / 3; i++) {
                SocketChannel peer = SocketChannel.open();
                peers.add(peer);
                // a peer that reads nothing: its small receive window stops the server's echoes soon
                peer.setOption(StandardSocketOptions.SO_RCVBUF, 16 * 1024);
                // and a small send buffer: 1,000 peers with the default one queued some 850 MB in the kernel, and
                // the kernel, short of TCP memory ("TCP: out of memory"), reset other connections (the admin's)
                peer.setOption(StandardSocketOptions.SO_SNDBUF, 32 * 1024);
                peer.connect(new InetSocketAddress("127.0.0.1", port));
                peer.configureBlocking(false);
                peer.register(selector, SelectionKey.OP_WRITE, frames.duplicate());
            }
            connectSeconds = (System.nanoTime() - start) / 1e9;

            // push until no socket has taken a byte for QUIET (every peer's path is full), or PUSH is over
            long pushStart = System.nanoTime();
            long lastProgress = pushStart;
            long deadline = start + PUSH.toNanos();
            while (System.nanoTime() < deadline && System.nanoTime() - lastProgress < QUIET.toNanos()) {
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    ByteBuffer b = (ByteBuffer) key.attachment();
                    try {
                        for (int n = 0; n < 16; n++) {
                            if (!b.hasRemaining()) {
                                b.rewind();
                            }
                            int w = ((SocketChannel) key.channel()).write(b);
                            if (w <= 0) {
                                break;
                            }
                            sent += w;
                            lastProgress = System.nanoTime();
                        }
                    } catch (IOException closed) {
                        key.cancel();
                        closedByServer++;
                    }
                }
                selector.selectedKeys().clear();
            }
            pushSeconds = (System.nanoTime() - pushStart) / 1e9;
        }

        @Override
        public void close() throws IOException {
            for (SocketChannel peer : peers) {
                peer.close();
            }
            selector.close();
        }
    }

    /** A bystander's 200 round trips, then 20 new clients' 5 each: how many of the 21 failed. */
    private static int othersFailing(int port, String spec) {
        int failures = 0;
        for (int c = 0; c < 21; c++) {
            try {
                roundTrips(port, spec, c == 0 ? 200 : 5);
            } catch (IOException | AssertionError e) {
                failures++;
            }
        }
        return failures;
    }

    /**
     * Waits until the server has stopped reading the stalled peers (its byte counter still for half a second):
     * the peers' sockets are full before the server has echoed what it read. Returns the seconds it took.
     */
    private static double settle(ServerProcess server, int port) {
        long start = System.nanoTime();
        double[] last = {-1};
        await().atMost(PUSH).pollInterval(Duration.ofMillis(500)).until(() -> {
            double read = server.scrape().value("inetkit_received_bytes_total", "listener", "tcp/" + port);
            boolean still = read == last[0];
            last[0] = read;
            return still;
        });
        return (System.nanoTime() - start) / 1e9;
    }

    private static double nettyMemory(PrometheusText m, String type) {
        return m.sum("netty_allocator_memory_used", "memory_type", type);
    }

    private static void reportServerWarnings(ServerProcess server, String spec) {
        server.log().stream().filter(l -> l.contains("WARN") || l.contains("ERROR")).limit(5)
                .forEach(l -> report(spec, "server log: %s", l));
    }

    @ParameterizedTest
    @ValueSource(strings = {"raw", "line", "delimiter:\\0", "length:4", "fixed"})
    void stalledPeersCostAtMost128KiBEachAndOthersAreServed(String framing) throws Exception {
        Assumptions.assumeTrue(ONLY == null || Arrays.asList(ONLY.split(",")).contains(framing), "-Dslow.framings");
        String spec = framing.equals("fixed") ? "fixed:" + FRAME : framing; // fixed:N of the frame size
        try (ServerProcess server = ServerProcess.start(jvmOptions(),
                "--tcp", "0:" + spec, "--io-threads", "2", "--max-connections", "5000",
                "--max-connections-per-ip", "5000")) {
            int port = server.tcpPort();
            roundTrips(port, spec, 100);
            server.gc();
            PrometheusText before = server.scrape();
            try (Stall stall = new Stall(port, PEERS, frames(spec, FRAME))) {
                double settle = settle(server, port);
                PrometheusText during = server.scrape();
                double direct = nettyMemory(during, "direct") - nettyMemory(before, "direct");
                double heap = nettyMemory(during, "heap") - nettyMemory(before, "heap");
                double perPeer = (direct + heap) / stall.peers.size();

                // the peers sit there, stalled; a bystander and new clients are served meanwhile
                long servedStart = System.nanoTime();
                int failures = othersFailing(port, spec);
                double servedSeconds = (System.nanoTime() - servedStart) / 1e9;
                PrometheusText after = server.scrape();
                double open = after.value("inetkit_connections_active", "listener", "tcp/" + port);
                double read = after.value("inetkit_received_bytes_total", "listener", "tcp/" + port);
                long outOfMemory = server.log().stream().filter(l -> l.contains("OutOfMemory")).count();
                report(spec, "%d stalled peers (connected in %.1f s) pushed %.1f MiB in %.1f s, the server read %.1f MiB "
                                + "and stopped %.1f s later; "
                                + "Netty memory +%.1f MiB direct, +%.1f MiB heap: %.1f KiB per stalled peer; %d still open; "
                                + "a bystander's 200 round trips and 20 new clients' 5 took %.2f s, %d of 21 failed; "
                                + "%d out-of-memory lines [<= %d KiB per peer, 0 failures]",
                        stall.peers.size(), stall.connectSeconds, stall.sent / MIB, stall.pushSeconds, read / MIB,
                        settle, direct / MIB, heap / MIB, perPeer / KIB, (long) open, servedSeconds, failures, outOfMemory,
                        PER_PEER_LIMIT / 1024);
                if (failures > 0 || outOfMemory > 0) {
                    reportServerWarnings(server, spec);
                }
                assertThat(open).as("stalled peers the server still serves").isEqualTo(stall.peers.size() + 0.0);
                assertThat(perPeer).as("Netty memory per stalled peer, bytes").isLessThanOrEqualTo(PER_PEER_LIMIT);
                assertThat(failures).as("failed clients").isZero();
                assertThat(outOfMemory).isZero();
            }
            roundTrips(port, spec, 10); // and once they are gone, the server is as it was
            assertThat(server.log()).noneMatch(l -> l.contains("LEAK") || l.contains(" ERROR "));
        }
    }

    /** The worst case of a framing with a big MAX: every peer's echo is a 1 MiB frame, which nothing else bounds. */
    @Test
    void pastMaxBufferedTheLargestHoldersAreClosedAndOthersAreServed() throws Exception {
        String spec = "length:4:1048576";
        long budget = 16L << 20;
        try (ServerProcess server = ServerProcess.start(jvmOptions(),
                "--tcp", "0:" + spec, "--io-threads", "2", "--max-connections", "5000",
                "--max-connections-per-ip", "5000", "--max-buffered", "16m")) {
            int port = server.tcpPort();
            roundTrips(port, spec, 100);
            PrometheusText before = server.scrape();
            ByteBuffer huge = ByteBuffer.allocateDirect(4 + (1 << 20));
            huge.putInt(1 << 20).position(huge.capacity()).flip();
            try (Stall stall = new Stall(port, Math.min(PEERS, 300), huge)) {
                long servedStart = System.nanoTime();
                int failures = othersFailing(port, spec);
                double servedSeconds = (System.nanoTime() - servedStart) / 1e9;
                await().atMost(Duration.ofSeconds(5)).until(() ->
                        server.scrape().value("inetkit_buffered_bytes") <= budget);
                PrometheusText after = server.scrape();
                double closed = after.value("inetkit_connections_budget_closed_total");
                double held = after.value("inetkit_buffered_bytes");
                double netty = nettyMemory(after, "direct") + nettyMemory(after, "heap")
                        - nettyMemory(before, "direct") - nettyMemory(before, "heap");
                long outOfMemory = server.log().stream().filter(l -> l.contains("OutOfMemory")).count();
                report(spec, "%d peers each sending 1 MiB frames and reading nothing, --max-buffered 16m: %.0f closed "
                                + "by the budget (%d saw it), %.1f MiB held after, Netty memory +%.1f MiB; a bystander's "
                                + "200 round trips and 20 new clients' 5 took %.2f s, %d of 21 failed; %d out-of-memory "
                                + "lines [closures, held <= 16 MiB, 0 failures]",
                        stall.peers.size(), closed, stall.closedByServer, held / MIB, netty / MIB, servedSeconds, failures,
                        outOfMemory);
                if (failures > 0 || outOfMemory > 0) {
                    reportServerWarnings(server, spec);
                }
                assertThat(closed).isPositive();
                assertThat(failures).as("failed clients").isZero();
                assertThat(outOfMemory).isZero();
                assertThat(server.log()).anyMatch(l -> l.contains("over --max-buffered"));
            }
            roundTrips(port, spec, 10);
        }
    }
}
