package io.inetkit.server;

import io.inetkit.server.stream.StreamListener;
import io.inetkit.server.stream.StreamMeters;
import io.inetkit.server.udp.DatagramMeters;

import io.inetkit.common.framing.Framing;
import io.inetkit.common.transport.Transport;
import io.inetkit.common.net.Cidr;
import io.inetkit.server.stream.StreamMeters.Rejection;
import io.netty.channel.Channel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Limits, backpressure, UDP guard and admin endpoints over real loopback sockets, port 0. */
class ServerProtectionSocketTest {

    private EchoServer server;
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    private static ServerSettings.Builder settings() {
        return ServerSettings.builder().tcp(0, Framing.parse("line")).drainTimeout(Duration.ofSeconds(2));
    }

    private static ServerSettings.Limits limits(int max, int perIp, Duration idle, List<String> allow, List<String> deny) {
        return new ServerSettings.Limits(max, perIp, idle, allow.stream().map(Cidr::parse).toList(),
                deny.stream().map(Cidr::parse).toList());
    }

    private InetSocketAddress start(ServerSettings settings) {
        server = new EchoServer(settings).start();
        return server.tcpAddresses().isEmpty() ? null : server.tcpAddresses().get(0);
    }

    private Socket connect(InetSocketAddress address, String from) throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.bind(new InetSocketAddress(from, 0));
        s.connect(address, 2000);
        s.setSoTimeout(5000);
        return s;
    }

    private static void assertEchoes(Socket s, String line) throws IOException {
        s.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        byte[] back = s.getInputStream().readNBytes(line.length() + 1);
        assertThat(new String(back, StandardCharsets.US_ASCII)).isEqualTo(line + "\n");
    }

    /** A refused connection is closed at once: EOF (or a reset) without a byte. */
    private static void assertRefused(Socket s) throws IOException {
        try {
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("a refused connection was left open", e);
        } catch (IOException reset) {
            assertThat(reset.getMessage()).containsIgnoringCase("reset");
        }
    }

    @Test
    void pastMaxConnectionsNewOnesAreClosedAtOnceAndCountedWhileOthersEcho() throws Exception {
        InetSocketAddress address = start(settings().limits(limits(3, 100, Duration.ZERO, List.of(), List.of())).build());
        List<Socket> served = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Socket s = connect(address, "127.0.0.1");
            assertEchoes(s, "hello " + i);
            served.add(s);
        }
        for (int i = 0; i < 5; i++) {
            assertRefused(connect(address, "127.0.0.1"));
        }
        StreamMeters meters = server.tcpMeters().get(0);
        assertThat(meters.rejected(Rejection.MAX_CONNECTIONS).count()).isEqualTo(5);
        for (Socket s : served) {
            assertEchoes(s, "still here");
        }
        served.get(0).close();
        await().until(() -> meters.active.get() == 2);
        assertEchoes(connect(address, "127.0.0.1"), "a freed slot is a slot");
        assertThat(meters.accepted.count()).isEqualTo(4);
    }

    @Test
    void perAddressLimitAndAllowDenyByNetwork() throws Exception {
        InetSocketAddress address = start(settings().limits(limits(100, 2, Duration.ZERO,
                List.of("127.0.0.0/24"), List.of("127.0.0.66/32"))).build());
        Socket a1 = connect(address, "127.0.0.10");
        Socket a2 = connect(address, "127.0.0.10");
        assertEchoes(a1, "one");
        assertEchoes(a2, "two");
        assertRefused(connect(address, "127.0.0.10"));
        assertEchoes(connect(address, "127.0.0.11"), "another address, another count");
        assertRefused(connect(address, "127.0.0.66"));
        assertRefused(connect(address, "127.0.1.5"));
        StreamMeters meters = server.tcpMeters().get(0);
        assertThat(meters.rejected(Rejection.MAX_CONNECTIONS_PER_IP).count()).isEqualTo(1);
        assertThat(meters.rejected(Rejection.DENIED).count()).isEqualTo(2);
        assertThat(meters.rejected(Rejection.MAX_CONNECTIONS).count()).isZero();
        long open = meters.active.get();
        a1.close(); // its close gives the address's slot back
        await().until(() -> meters.active.get() == open - 1);
        assertEchoes(connect(address, "127.0.0.10"), "a freed slot of this address");
        assertThat(meters.rejected(Rejection.MAX_CONNECTIONS_PER_IP).count()).isEqualTo(1);
    }

    @Test
    void ipv6PeersAreFilteredToo() throws Exception {
        InetSocketAddress address = start(settings().bind("::1")
                .limits(limits(100, 100, Duration.ZERO, List.of(), List.of("::1/128"))).build());
        assertRefused(connect(address, "::1"));
        assertThat(server.tcpMeters().get(0).rejected(Rejection.DENIED).count()).isEqualTo(1);
    }

    @Test
    void aSilentConnectionIsClosedAfterTheIdleTimeoutAndABusyOneIsNot() throws Exception {
        Duration idle = Duration.ofMillis(400);
        InetSocketAddress address = start(settings().limits(limits(100, 100, idle, List.of(), List.of())).build());
        Socket silent = connect(address, "127.0.0.1");
        Socket busy = connect(address, "127.0.0.1");
        long start = System.nanoTime();
        int rounds = 0;
        while (System.nanoTime() - start < 3 * idle.toNanos()) {
            assertEchoes(busy, "round " + rounds++);
        }
        assertThat(silent.getInputStream().read()).as("the silent one was closed").isEqualTo(-1);
        assertEchoes(busy, "still open after " + rounds + " rounds");
        StreamMeters meters = server.tcpMeters().get(0);
        assertThat(meters.idleClosed.count()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"raw", "line"})
    void aPeerThatDoesNotReadStopsTheServerReadingAndLosesNothing(String framing) throws Exception {
        InetSocketAddress address = start(ServerSettings.builder().tcp(0, Framing.parse(framing)).build());
        int total = 32 << 20;
        byte[] pattern = new byte[total];
        new Random(3).nextBytes(pattern);
        if (framing.equals("line")) { // lines of 64 bytes: the whole-line reads take the line decoder's shortcut
            for (int i = 0; i < total; i++) {
                pattern[i] = i % 64 == 63 ? (byte) '\n' : (byte) ('a' + (pattern[i] & 15));
            }
        }
        Socket s = connect(address, "127.0.0.1");
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                OutputStream out = s.getOutputStream();
                for (int i = 0; i < total; i += 65536) {
                    out.write(pattern, i, Math.min(65536, total - i));
                }
            } catch (Throwable e) {
                writerFailure.set(e);
            }
        });
        writer.start();
        // the server stops reading once its echoes are not taken...
        await().atMost(Duration.ofSeconds(10)).until(() -> connection() != null && !connection().config().isAutoRead());
        Channel ch = connection();
        long pending = ch.unsafe().outboundBuffer() == null ? 0 : ch.unsafe().outboundBuffer().totalPendingWriteBytes();
        StreamMeters meters = server.tcpMeters().get(0);
        long read = (long) meters.bytesIn.count();
        // ...holding at most the high water mark plus one read of queued echoes
        assertThat(pending).isLessThanOrEqualTo(2L * StreamListener.WATER_MARK.high());
        assertThat(read).as("bytes read while the peer took none").isLessThan(total);
        assertThat(writer.isAlive()).as("the writer is blocked by TCP flow control").isTrue();

        // once the peer reads, everything comes back, in order
        byte[] echoed = s.getInputStream().readNBytes(total);
        writer.join();
        assertThat(writerFailure.get()).isNull();
        assertThat(Arrays.equals(echoed, pattern)).as("echo intact after backpressure").isTrue();
    }

    private Channel connection() {
        return server.connections().stream().findFirst().orElse(null);
    }

    @Test
    void udpUsesOneSocketPerIoThreadOnNativeTransportsAndEchoesFromEverySource() throws Exception {
        server = new EchoServer(ServerSettings.builder().udp(0).ioThreads(2).build()).start();
        InetSocketAddress address = server.udpAddresses().get(0);
        int expected = server.transport().isNative() ? 2 : 1;
        assertThat(server.udpListeners().get(0).socketCount()).isEqualTo(expected);
        for (int i = 0; i < 20; i++) {
            try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                client.setSoTimeout(2000);
                byte[] payload = ("from source " + i).getBytes(StandardCharsets.US_ASCII);
                client.send(new DatagramPacket(payload, payload.length, address));
                DatagramPacket reply = new DatagramPacket(new byte[100], 100);
                client.receive(reply);
                assertThat(Arrays.copyOf(reply.getData(), reply.getLength())).isEqualTo(payload);
            }
        }
    }

    @Test
    void aDatagramOfAnySizeComesBackWholeAndNoLarger() throws Exception {
        server = new EchoServer(ServerSettings.builder().udp(0).build()).start();
        InetSocketAddress address = server.udpAddresses().get(0);
        Random random = new Random(5);
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            client.setSoTimeout(2000);
            client.setReceiveBufferSize(1 << 20);
            for (int size : new int[] {1, 2048, 2049, 9000, 65_507}) {
                byte[] payload = new byte[size];
                random.nextBytes(payload);
                client.send(new DatagramPacket(payload, payload.length, address));
                DatagramPacket reply = new DatagramPacket(new byte[70_000], 70_000);
                client.receive(reply);
                assertThat(reply.getLength()).as("reply to %d bytes", size).isEqualTo(size);
                assertThat(Arrays.copyOf(reply.getData(), reply.getLength())).isEqualTo(payload);
            }
        }
    }

    /**
     * Empty datagrams between two others, sent at once so that the server reads and echoes them as one batch
     * (epoll's sendmmsg, where Netty used to send "x" once for each empty datagram before it).
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void emptyDatagramsGetNoReplyAndDoNotAlterTheOthers(Transport transport) throws Exception {
        assumeTrue(transport.unavailabilityCause() == null, transport.label() + " is not available here");
        server = new EchoServer(ServerSettings.builder().transport(transport.label()).udp(0).build()).start();
        InetSocketAddress address = server.udpAddresses().get(0);
        DatagramMeters meters = server.udpMeters().get(0);
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            client.setSoTimeout(2000);
            client.send(new DatagramPacket(new byte[] {'a'}, 1, address));
            for (int i = 0; i < 3; i++) {
                client.send(new DatagramPacket(new byte[0], 0, address));
            }
            client.send(new DatagramPacket(new byte[] {'x'}, 1, address));
            await().atMost(Duration.ofSeconds(5)).until(() -> meters.datagramsIn.count() == 5);
            assertThat(meters.dropped(DatagramMeters.Drop.EMPTY).count()).isEqualTo(3);
            assertThat(meters.datagramsOut.count()).isEqualTo(2);
            List<String> replies = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                DatagramPacket reply = new DatagramPacket(new byte[16], 16);
                client.receive(reply);
                replies.add(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.US_ASCII));
            }
            assertThat(replies).containsExactly("a", "x");
            // nothing more is on its way: a probe sent now is the very next reply
            client.send(new DatagramPacket(new byte[] {'p'}, 1, address));
            DatagramPacket next = new DatagramPacket(new byte[16], 16);
            client.receive(next);
            assertThat(new String(next.getData(), 0, next.getLength(), StandardCharsets.US_ASCII)).isEqualTo("p");
        }
    }

    @Test
    void aUdpSourceOverItsRateIsCutToItsBucketAndCounted() throws Exception {
        server = new EchoServer(ServerSettings.builder().udp(0)
                .udpGuard(new ServerSettings.UdpGuard(1024, 10, 100)).build()).start();
        InetSocketAddress address = server.udpAddresses().get(0);
        DatagramMeters meters = server.udpMeters().get(0);
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            long start = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                client.send(new DatagramPacket(new byte[] {(byte) i}, 1, address));
            }
            await().until(() -> meters.datagramsIn.count() == 100);
            double seconds = (System.nanoTime() - start) / 1e9;
            client.setSoTimeout(200);
            int replies = 0;
            try {
                while (true) {
                    client.receive(new DatagramPacket(new byte[10], 10));
                    replies++;
                }
            } catch (SocketTimeoutException drained) {
                // no more replies
            }
            assertThat(replies).isLessThanOrEqualTo(10 + (int) Math.ceil(10 * seconds)).isGreaterThanOrEqualTo(10);
            assertThat(meters.datagramsOut.count()).isEqualTo(replies);
            assertThat(meters.dropped(DatagramMeters.Drop.RATE).count()).isEqualTo(100 - replies);
        }
    }

    private static String get(InetSocketAddress admin, String path) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(admin, 2000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void adminServesMetricsAndHealthAndTurns503WhileDraining() throws Exception {
        InetSocketAddress address = start(settings().udp(0)
                .admin(new ServerSettings.Admin("127.0.0.1", 0)).build());
        InetSocketAddress admin = server.adminAddress();
        Socket s = connect(address, "127.0.0.1");
        assertEchoes(s, "counted");
        String metrics = get(admin, "/metrics");
        assertThat(metrics).startsWith("HTTP/1.1 200 OK")
                .contains("inetkit_connections_active{listener=\"tcp/" + address.getPort() + "\"} 1")
                .contains("inetkit_received_bytes_total{listener=\"tcp/" + address.getPort() + "\"} 8")
                .contains("inetkit_udp_dropped_datagrams_total{listener=\"udp/")
                .contains("netty_allocator_memory_used")
                .contains("jvm_memory_used_bytes");
        assertThat(get(admin, "/health")).startsWith("HTTP/1.1 200 OK").endsWith("serving\n");

        Thread stopper = new Thread(() -> server.stop());
        stopper.start();
        // our connection holds the drain open (the server waits for our close): health says so
        await().until(() -> get(admin, "/health").startsWith("HTTP/1.1 503"));
        assertThat(s.getInputStream().read()).as("the server half-closed").isEqualTo(-1);
        s.close();
        stopper.join(5000);
        assertThat(stopper.isAlive()).isFalse();
        assertThat(server.isServing()).isFalse();
    }

    @Test
    void anAdminPortInUseIsOneClearError() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            EchoServer s = new EchoServer(settings().admin(new ServerSettings.Admin("127.0.0.1", taken.getLocalPort())).build());
            org.assertj.core.api.Assertions.assertThatThrownBy(s::start)
                    .isInstanceOf(ServerStartException.class)
                    .hasMessage("cannot listen on admin http 127.0.0.1:" + taken.getLocalPort()
                            + ": address already in use (--admin off disables it)");
        }
    }

    @Test
    void aUdpPortTakenIsAnErrorEvenWithReusePort() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            EchoServer s = new EchoServer(ServerSettings.builder().udp(taken.getLocalPort()).ioThreads(2).build());
            org.assertj.core.api.Assertions.assertThatThrownBy(s::start)
                    .isInstanceOf(ServerStartException.class)
                    .hasMessage("cannot listen on udp 127.0.0.1:" + taken.getLocalPort() + ": address already in use");
        }
    }
}
