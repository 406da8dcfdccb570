package io.inetkit.server;

import io.inetkit.server.stream.StreamMeters;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.inetkit.common.framing.Framing;
import io.inetkit.common.transport.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The echo server over real loopback sockets, port 0, one listener per framing. */
class EchoServerSocketTest {

    private static final long SEED = Long.getLong("test.seed", System.nanoTime());
    private EchoServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private InetSocketAddress start(String framing) {
        server = new EchoServer(ServerSettings.builder().tcp(0, Framing.parse(framing))
                .drainTimeout(Duration.ofSeconds(2)).build()).start();
        return server.tcpAddresses().get(0);
    }

    private static Socket connect(InetSocketAddress address) throws IOException {
        Socket s = new Socket();
        s.connect(address, 2000);
        s.setSoTimeout(5000);
        return s;
    }

    /** Wire bytes of {@code count} random frames of {@code framing}. */
    private static byte[] frames(Framing framing, int count, Random random) {
        return frames(framing, count, random, 200);
    }

    private static byte[] frames(Framing framing, int count, Random random, int maxPayload) {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            int size = framing instanceof Framing.Fixed f ? f.size() : random.nextInt(maxPayload);
            byte[] payload = new byte[size];
            for (int j = 0; j < size; j++) {
                payload[j] = (byte) ('a' + random.nextInt(26));
            }
            var buf = framing.frame(io.netty.buffer.ByteBufAllocator.DEFAULT, io.netty.buffer.Unpooled.wrappedBuffer(payload));
            byte[] b = new byte[buf.readableBytes()];
            buf.readBytes(b);
            buf.release();
            wire.writeBytes(b);
        }
        return wire.toByteArray();
    }

    private static void writeInRandomChunks(OutputStream out, byte[] bytes, Random random) throws IOException {
        int i = 0;
        while (i < bytes.length) {
            int n = Math.min(bytes.length - i, 1 + random.nextInt(300));
            out.write(bytes, i, n);
            out.flush();
            i += n;
        }
    }

    private static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        assertThat(b).as("bytes read before EOF").hasSize(n);
        return b;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"raw", "fixed:20", "line", "delimiter:\\r\\n", "delimiter:\\0:300", "length:1", "length:2", "length:4", "length:8:65536"})
    void echoesEveryFrameOfEveryFraming(String spec) throws Exception {
        Framing framing = Framing.parse(spec);
        Random random = new Random(SEED);
        byte[] wire = frames(framing, 300, random);
        try (Socket s = connect(start(spec))) {
            Thread writer = new Thread(() -> {
                try {
                    writeInRandomChunks(s.getOutputStream(), wire, random);
                    s.shutdownOutput();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            writer.start();
            byte[] echoed = readExactly(s.getInputStream(), wire.length);
            writer.join();
            assertThat(echoed).as("seed %d", SEED).isEqualTo(wire);
            assertThat(s.getInputStream().read()).as("EOF after the peer's EOF").isEqualTo(-1);
        }
        await().until(() -> server.activeConnections() == 0);
        StreamMeters meters = server.tcpMeters().get(0);
        assertThat(meters.bytesOut.count()).isEqualTo(wire.length);
        assertThat(meters.frameErrorCount()).isZero();
    }

    @Test
    void echoesUdpDatagrams() throws Exception {
        server = new EchoServer(ServerSettings.builder().udp(0).build()).start();
        InetSocketAddress address = server.udpAddresses().get(0);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(2000);
            Random random = new Random(SEED);
            for (int i = 0; i < 50; i++) {
                byte[] payload = new byte[1 + random.nextInt(1400)];
                random.nextBytes(payload);
                socket.send(new DatagramPacket(payload, payload.length, address));
                DatagramPacket reply = new DatagramPacket(new byte[2048], 2048);
                socket.receive(reply);
                assertThat(Arrays.copyOf(reply.getData(), reply.getLength())).isEqualTo(payload);
            }
        }
    }

    @Test
    void aLineOverMaxGetsAnErrAndAClosedConnectionAndOthersGoOn() throws Exception {
        InetSocketAddress address = start("line:64");
        try (Socket good = connect(address); Socket bad = connect(address)) {
            good.getOutputStream().write("before\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(readExactly(good.getInputStream(), 7), StandardCharsets.US_ASCII)).isEqualTo("before\n");

            bad.getOutputStream().write("x".repeat(100).getBytes(StandardCharsets.US_ASCII));
            String reply = new String(bad.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(reply).startsWith("ERR frame rejected").contains("64").endsWith("\n");

            good.getOutputStream().write("after\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(readExactly(good.getInputStream(), 6), StandardCharsets.US_ASCII)).isEqualTo("after\n");
        }
        assertThat(server.tcpMeters().get(0).frameErrors(StreamMeters.FrameError.TOO_LONG).count()).isEqualTo(1);
    }

    @Test
    void aLengthFieldOfTwoToTheSixtySecondIsRefusedWithAFramedErr() throws Exception {
        try (Socket s = connect(start("length:8"))) {
            var out = new java.io.DataOutputStream(s.getOutputStream());
            out.writeLong(1L << 62);
            out.write(new byte[100]);
            var in = new java.io.DataInputStream(s.getInputStream());
            long length = in.readLong();
            byte[] text = readExactly(in, (int) length);
            assertThat(new String(text, StandardCharsets.US_ASCII)).startsWith("ERR frame rejected")
                    .contains(String.valueOf(1L << 62)).contains("8192");
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void theLecturesTrapIsReportedNotSilentlyDropped() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger("io.inetkit.server.tcp.FrameErrorHandler");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try (Socket s = connect(start("fixed:20"))) {
            s.getOutputStream().write("Hello, World!".getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            assertThat(s.getInputStream().readAllBytes()).isEmpty();
            await().until(() -> appender.list.stream().anyMatch(e -> e.getFormattedMessage()
                    .contains("13 bytes of an incomplete 20-byte frame discarded")));
        } finally {
            logger.detachAppender(appender);
        }
        assertThat(server.tcpMeters().get(0).discardedBytes.count()).isEqualTo(13);
        assertThat(server.tcpMeters().get(0).frameErrors(StreamMeters.FrameError.INCOMPLETE).count()).isEqualTo(1);
        assertThat(appender.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("/127.0.0.1:"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fixed:20", "line:128", "delimiter:\\0:128", "length:2:128", "length:8:128"})
    void randomBytesNeverHurtTheServer(String spec) throws Exception {
        InetSocketAddress address = start(spec);
        Random random = new Random(SEED);
        for (int i = 0; i < 5; i++) {
            try (Socket s = connect(address)) {
                byte[] junk = new byte[5000];
                random.nextBytes(junk);
                try {
                    s.getOutputStream().write(junk);
                    s.shutdownOutput();
                    s.getInputStream().readAllBytes(); // the server echoes whole frames or refuses, then closes
                } catch (IOException reset) {
                    // a refused stream may be cut short; the point is what the server does next
                }
            }
        }
        try (Socket s = connect(address)) {
            byte[] wire = frames(Framing.parse(spec), 3, random, 100);
            s.getOutputStream().write(wire);
            assertThat(readExactly(s.getInputStream(), wire.length)).isEqualTo(wire);
        }
    }

    @Test
    void stopEchoesWhatWasReceivedThenClosesCleanly() throws Exception {
        InetSocketAddress address = start("line");
        byte[] wire = frames(Framing.parse("line"), 2000, new Random(SEED));
        try (Socket s = connect(address)) {
            s.getOutputStream().write(wire, 0, wire.length / 2);
            await().until(() -> server.tcpMeters().get(0).bytesIn.count() > 0);
            Thread stopper = new Thread(() -> server.stop());
            stopper.start();
            ByteArrayOutputStream echoed = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                echoed.write(buf, 0, n);
            }
            stopper.join();
            byte[] got = echoed.toByteArray();
            StreamMeters meters = server.tcpMeters().get(0);
            assertThat((double) got.length).as("every frame the server read came back").isEqualTo(meters.bytesIn.count());
            assertThat(got).isEqualTo(Arrays.copyOf(wire, got.length));
            assertThat(got.length == 0 || got[got.length - 1] == '\n').as("ends on a frame boundary").isTrue();
        }
    }

    /** The reason comes from the errno on the native transports and from the facts on NIO: the same words. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aBusyPortIsOneClearError(Transport transport) {
        assumeTrue(transport.unavailabilityCause() == null, transport.label() + " is not available here");
        InetSocketAddress address = start("raw");
        assertThatThrownBy(() -> new EchoServer(ServerSettings.builder().transport(transport.label())
                .tcp(address.getPort(), new Framing.Raw()).build()).start())
                .isInstanceOf(ServerStartException.class)
                .hasMessage("cannot listen on tcp 127.0.0.1:" + address.getPort() + ": address already in use");
    }

    /** 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of this host, and binding it sends nothing. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void anAddressThatIsNotThisHostsIsOneClearError(Transport transport) {
        assumeTrue(transport.unavailabilityCause() == null, transport.label() + " is not available here");
        assertThatThrownBy(() -> new EchoServer(ServerSettings.builder().transport(transport.label()).bind("192.0.2.1")
                .tcp(5005, new Framing.Raw()).build()).start())
                .isInstanceOf(ServerStartException.class)
                .hasMessage("cannot listen on tcp 192.0.2.1:5005: no such local address");
    }
}
