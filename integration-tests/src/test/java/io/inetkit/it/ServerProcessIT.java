package io.inetkit.it;

import org.junit.jupiter.api.Test;

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
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code inetkit server} as users run it: the packaged jar in its own process. */
class ServerProcessIT {

    private static final String LISTENING_TCP = "listening on tcp 127\\.0\\.0\\.1:(\\d+)";
    private static final String LISTENING_UDP = "listening on udp 127\\.0\\.0\\.1:(\\d+)";

    @Test
    void sigtermDrainsEchoesEverythingReceivedAndExitsZero() throws Exception {
        try (Program server = Program.start("server", "--tcp", "0:line", "--udp", "0", "--drain-timeout", "5s",
                "--admin", "off")) {
            int port = Integer.parseInt(server.awaitStderr(LISTENING_TCP, Duration.ofSeconds(30)));
            int udpPort = Integer.parseInt(server.awaitStderr(LISTENING_UDP, Duration.ofSeconds(5)));

            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                udp.setSoTimeout(5000);
                byte[] hello = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
                udp.send(new DatagramPacket(hello, hello.length, new InetSocketAddress("127.0.0.1", udpPort)));
                DatagramPacket reply = new DatagramPacket(new byte[64], 64);
                udp.receive(reply);
                assertThat(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.US_ASCII))
                        .isEqualTo("Hello, World!");
            }

            byte[] wire = lines(200_000);
            AtomicLong sent = new AtomicLong();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                s.setSoTimeout(15_000);
                Thread writer = new Thread(() -> {
                    try {
                        OutputStream out = s.getOutputStream();
                        for (int i = 0; i < wire.length; i += 1000) {
                            int n = Math.min(1000, wire.length - i);
                            out.write(wire, i, n);
                            sent.addAndGet(n);
                        }
                    } catch (IOException stoppedByTheServer) {
                        // expected: the server half-closes and then closes while we are still sending
                    }
                });
                writer.start();
                InputStream in = s.getInputStream();
                ByteArrayOutputStream echoed = new ByteArrayOutputStream();
                byte[] buf = new byte[16384];
                while (echoed.size() < 100_000) {
                    int n = in.read(buf);
                    assertThat(n).as("echoes before the signal").isPositive();
                    echoed.write(buf, 0, n);
                }
                server.sigterm();
                for (int n; (n = in.read(buf)) > 0; ) {
                    echoed.write(buf, 0, n);
                }
                writer.join(10_000);

                assertThat(server.awaitExit(Duration.ofSeconds(10))).isZero();
                byte[] got = echoed.toByteArray();
                assertThat(got).isEqualTo(Arrays.copyOf(wire, got.length));
                assertThat(got[got.length - 1]).as("ends on a frame boundary").isEqualTo((byte) '\n');
                // the server's own account: what it read is what it wrote, and what we got
                String summary = server.awaitStderr("(tcp/\\d+ line:8192: .*)", Duration.ofSeconds(2));
                assertThat(summary).contains(got.length + " bytes in").contains(got.length + " bytes out");
            }
            assertThat(server.stderr()).noneMatch(line -> line.startsWith("\tat ") || line.contains("Exception"));
        }
    }

    @Test
    void aBusyPortIsOneLineAndExitOne() throws Exception {
        try (Program first = Program.start("server", "--tcp", "0", "--admin", "127.0.0.1:0")) {
            int port = Integer.parseInt(first.awaitStderr(LISTENING_TCP, Duration.ofSeconds(30)));
            try (Program second = Program.start("server", "--tcp", String.valueOf(port), "--admin", "127.0.0.1:0")) {
                assertThat(second.awaitExit(Duration.ofSeconds(30))).isEqualTo(1);
                await().until(() -> second.stderr().stream().anyMatch(l -> l.contains("address already in use")));
                assertThat(second.stderr()).filteredOn(l -> l.startsWith("inetkit server:"))
                        .containsExactly("inetkit server: cannot listen on tcp 127.0.0.1:" + port + ": address already in use");
                assertThat(second.stderr()).noneMatch(line -> line.startsWith("\tat "));
            }
        }
    }

    @Test
    void aBadFramingIsAUsageErrorExitTwo() throws Exception {
        try (Program server = Program.start("server", "--tcp", "5005:fixed:0")) {
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            await().until(() -> !server.stderr().isEmpty());
            assertThat(server.stderr().get(0)).startsWith("inetkit server: ").contains("fixed frame size must be > 0: 0");
            assertThat(server.stderr()).noneMatch(line -> line.startsWith("\tat "));
        }
    }

    private static byte[] lines(int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            sb.append("frame ").append(i).append(" of the drain test\n");
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
