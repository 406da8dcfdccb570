package io.inetkit.it.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.Ports;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.ToStringConsumer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code inetkit} image run as users run it: {@code docker run inetkit} (the default command), reached from
 * the host through published ports.
 */
@Testcontainers(disabledWithoutDocker = true)
class ImageIT {

    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    private static final ExposedPort UDP_5005 = ExposedPort.udp(5005);

    private static String image;

    @BeforeAll
    static void buildImage() throws Exception {
        image = LocalImages.inetkit();
    }

    /** The image's default command, with UDP 5005 published too (Testcontainers maps TCP ports only). */
    private static GenericContainer<?> defaultServer(ToStringConsumer logs) {
        return new GenericContainer<>(image)
                .withExposedPorts(5005, 5006, 5007, 5008, 9505)
                .withCreateContainerCmdModifier(cmd -> {
                    List<ExposedPort> exposed = new ArrayList<>(Arrays.asList(cmd.getExposedPorts()));
                    exposed.add(UDP_5005);
                    cmd.withExposedPorts(exposed);
                    cmd.getHostConfig().getPortBindings().bind(UDP_5005, Ports.Binding.bindIp("127.0.0.1"));
                })
                .withLogConsumer(logs)
                .waitingFor(Wait.forLogMessage(".*listening on udp 0\\.0\\.0\\.0:5005.*", 1)
                        .withStartupTimeout(Duration.ofSeconds(60)));
    }

    @Test
    void defaultCommandEchoesEveryFramingOverTcpAndUdpFromTheHost() throws Exception {
        ToStringConsumer logs = new ToStringConsumer();
        try (GenericContainer<?> server = defaultServer(logs)) {
            server.start();
            String host = server.getHost();

            // raw (RFC 862): the bytes as they come, until we shut down our side
            assertThat(exchange(host, server.getMappedPort(5005), HELLO)).isEqualTo(HELLO);

            // line: each line comes back, terminator included
            byte[] lines = "Hello, World!\nsecond line\r\n".getBytes(StandardCharsets.US_ASCII);
            assertThat(exchange(host, server.getMappedPort(5006), lines)).isEqualTo(lines);

            // fixed:20: exactly 20-byte frames (13 bytes alone would be an incomplete frame, never echoed)
            byte[] fixed = "Hello, World!       ".getBytes(StandardCharsets.US_ASCII);
            assertThat(fixed).hasSize(20);
            assertThat(exchange(host, server.getMappedPort(5007), fixed)).isEqualTo(fixed);

            // length:4: 00 00 00 0d, then the 13 payload bytes
            byte[] framed = ByteBuffer.allocate(4 + HELLO.length).putInt(HELLO.length).put(HELLO).array();
            assertThat(exchange(host, server.getMappedPort(5008), framed)).isEqualTo(framed);

            // UDP 5005: one datagram, one echo
            int udpPort = udpPort(server);
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                udp.setSoTimeout(5000);
                udp.send(new DatagramPacket(HELLO, HELLO.length, new InetSocketAddress("127.0.0.1", udpPort)));
                DatagramPacket reply = new DatagramPacket(new byte[64], 64);
                udp.receive(reply);
                assertThat(Arrays.copyOf(reply.getData(), reply.getLength())).isEqualTo(HELLO);
            }
            // the log consumer gets the container's output on its own thread: wait for it, do not race it
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(logs.toUtf8String())
                    .contains("listening on tcp 0.0.0.0:5005 (raw)", "listening on tcp 0.0.0.0:5006 (line",
                            "listening on tcp 0.0.0.0:5007 (fixed:20)", "listening on tcp 0.0.0.0:5008 (length:4"));
        }
    }

    @Test
    void metricsOfTheAdminEndpointReflectTheTraffic() throws Exception {
        ToStringConsumer logs = new ToStringConsumer();
        try (GenericContainer<?> server = defaultServer(logs)) {
            server.start();
            // the image's INETKIT_SERVER_ADMIN puts the admin endpoint on every interface of the container
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> logs.toUtf8String().contains("admin listening on http 0.0.0.0:9505"));
            String admin = "http://" + server.getHost() + ":" + server.getMappedPort(9505);
            Map<String, Double> before = metrics(admin);
            assertThat(before).containsEntry("inetkit_received_frames_total{listener=\"tcp/5006\"}", 0.0);

            byte[] lines = "Hello, World!\nsecond\nthird\n".getBytes(StandardCharsets.US_ASCII);
            assertThat(exchange(server.getHost(), server.getMappedPort(5006), lines)).isEqualTo(lines);
            byte[] raw = new byte[10_000];
            Arrays.fill(raw, (byte) 'x');
            assertThat(exchange(server.getHost(), server.getMappedPort(5005), raw)).isEqualTo(raw);
            int udpPort = udpPort(server);
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                udp.setSoTimeout(5000);
                for (int i = 0; i < 4; i++) {
                    udp.send(new DatagramPacket(HELLO, HELLO.length, new InetSocketAddress("127.0.0.1", udpPort)));
                    udp.receive(new DatagramPacket(new byte[64], 64));
                }
            }

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(metrics(admin))
                    .containsEntry("inetkit_received_frames_total{listener=\"tcp/5006\"}", 3.0)
                    .containsEntry("inetkit_sent_frames_total{listener=\"tcp/5006\"}", 3.0)
                    .containsEntry("inetkit_received_bytes_total{listener=\"tcp/5006\"}", (double) lines.length)
                    .containsEntry("inetkit_sent_bytes_total{listener=\"tcp/5005\"}", (double) raw.length)
                    .containsEntry("inetkit_connections_accepted_total{listener=\"tcp/5005\"}", 1.0)
                    .containsEntry("inetkit_udp_received_datagrams_total{listener=\"udp/5005\"}", 4.0)
                    .containsEntry("inetkit_udp_sent_datagrams_total{listener=\"udp/5005\"}", 4.0));

            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(admin + "/health")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void theImagesHealthCheckTurnsHealthy() {
        InspectImageResponse inspect = DockerClientFactory.lazyClient().inspectImageCmd(image).exec();
        List<String> test = inspect.getConfig().getHealthcheck().getTest();
        assertThat(test).containsExactly("CMD", "inetkit", "health");
        ToStringConsumer logs = new ToStringConsumer();
        // the image's own check command, asked every second instead of every 15 s to keep the test short
        try (GenericContainer<?> server = defaultServer(logs).withCreateContainerCmdModifier(cmd -> cmd.withHealthcheck(
                new HealthCheck().withTest(test).withInterval(Duration.ofSeconds(1).toNanos())
                        .withTimeout(Duration.ofSeconds(5).toNanos()).withRetries(3)))) {
            server.start();
            DockerClient docker = DockerClientFactory.lazyClient();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() ->
                    "healthy".equals(docker.inspectContainerCmd(server.getContainerId()).exec()
                            .getState().getHealth().getStatus()));
        }
    }

    @Test
    void runsAsAnUnprivilegedUserWithTheLauncherAsEntrypoint() throws Exception {
        InspectImageResponse inspect = DockerClientFactory.lazyClient().inspectImageCmd(image).exec();
        assertThat(inspect.getConfig().getUser()).isEqualTo("10001:10001");
        assertThat(inspect.getConfig().getEntrypoint()).containsExactly("inetkit");
        assertThat(inspect.getConfig().getCmd()).startsWith("server", "--bind", "0.0.0.0");
        assertThat(inspect.getConfig().getHealthcheck().getTest()).containsExactly("CMD", "inetkit", "health");

        ToStringConsumer logs = new ToStringConsumer();
        try (GenericContainer<?> server = defaultServer(logs)) {
            server.start();
            ExecResult id = server.execInContainer("id", "-u");
            assertThat(id.getStdout().trim()).isEqualTo("10001");
            ExecResult unknown = server.execInContainer("inetkit", "bogus");
            assertThat(unknown.getExitCode()).isEqualTo(2);
            assertThat(unknown.getStderr()).contains("inetkit: unknown command 'bogus'");
        }
    }

    @Test
    void dockerStopDrainsAndTheContainerExitsZeroWithinTheDrainTimeout() throws Exception {
        ToStringConsumer logs = new ToStringConsumer();
        try (GenericContainer<?> server = new GenericContainer<>(image)
                .withCommand("server", "--tcp", "5006:line", "--drain-timeout", "2s")
                .withExposedPorts(5006)
                .withLogConsumer(logs)
                .waitingFor(Wait.forLogMessage(".*listening on tcp 0\\.0\\.0\\.0:5006.*", 1)
                        .withStartupTimeout(Duration.ofSeconds(60)))) {
            server.start();
            // bound by the launcher's default, not by a --bind on this command line (the wait strategy saw the
            // line; the log consumer, on its own thread, may not have it yet)
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(logs.toUtf8String()).contains("listening on tcp 0.0.0.0:5006 (line"));

            try (Socket polite = connect(server.getHost(), server.getMappedPort(5006));
                 Socket stubborn = connect(server.getHost(), server.getMappedPort(5006))) {
                byte[] line = "Hello, World!\n".getBytes(StandardCharsets.US_ASCII);
                for (Socket s : List.of(polite, stubborn)) {
                    s.getOutputStream().write(line);
                    assertThat(s.getInputStream().readNBytes(line.length)).isEqualTo(line);
                }
                // a frame in flight when the signal comes: it is still echoed before the server half-closes
                polite.getOutputStream().write(line);

                DockerClient docker = DockerClientFactory.lazyClient();
                long start = System.nanoTime();
                // docker's own grace period (30 s) is far longer than the drain timeout (2 s): a clean exit within
                // the drain timeout is the server's doing, not a SIGKILL
                Thread stopper = new Thread(() -> docker.stopContainerCmd(server.getContainerId()).withTimeout(30).exec());
                stopper.start();

                // the polite peer gets its echo, then EOF (the server's half-close), and closes
                assertThat(readToEof(polite.getInputStream())).isEqualTo(line);
                polite.close();
                // the stubborn peer never closes; the server gives up on it after the drain timeout
                assertThat(readToEof(stubborn.getInputStream())).isEmpty();

                stopper.join(Duration.ofSeconds(40).toMillis());
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                InspectContainerResponse.ContainerState state = docker.inspectContainerCmd(server.getContainerId())
                        .exec().getState();
                assertThat(state.getRunning()).isFalse();
                assertThat(state.getExitCodeLong()).as("exit code; logs:\n%s", logs.toUtf8String()).isZero();
                assertThat(took).as("docker stop took %s", took).isLessThan(Duration.ofSeconds(2 + 5));
                await().atMost(Duration.ofSeconds(10))
                        .untilAsserted(() -> assertThat(logs.toUtf8String()).contains("stopping: draining connections"));
            }
        }
    }

    private static int udpPort(GenericContainer<?> server) {
        return Integer.parseInt(server.getContainerInfo().getNetworkSettings().getPorts()
                .getBindings().get(UDP_5005)[0].getHostPortSpec());
    }

    /** The Prometheus text of {@code /metrics} as series (name and labels, as printed) to value. */
    private static Map<String, Double> metrics(String admin) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(admin + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, Double> series = new HashMap<>();
        for (String line : r.body().split("\n")) {
            int space = line.lastIndexOf(' ');
            if (line.isBlank() || line.startsWith("#") || space < 0) {
                continue;
            }
            series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return series;
    }

    private static Socket connect(String host, int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(host, port), 5000);
        s.setSoTimeout(15_000);
        return s;
    }

    /** Sends {@code bytes}, shuts down our side, and returns everything the server sent until it closed. */
    private static byte[] exchange(String host, int port, byte[] bytes) throws IOException {
        try (Socket s = connect(host, port)) {
            s.getOutputStream().write(bytes);
            s.getOutputStream().flush();
            s.shutdownOutput();
            return readToEof(s.getInputStream());
        }
    }

    private static byte[] readToEof(InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        for (int n; (n = in.read(buf)) > 0; ) {
            got.write(buf, 0, n);
        }
        return got.toByteArray();
    }
}
