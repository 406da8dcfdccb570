package io.inetkit.it.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ContainerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.ContainerState;
import org.testcontainers.containers.DockerComposeContainer;
import org.testcontainers.containers.output.ToStringConsumer;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The demo of {@code docker/compose.yaml} as {@code docker-compose up --scale load=3} runs it (the local
 * docker-compose v1 binary, {@code --build}), reached from the host through Testcontainers' socat ambassador.
 * One run of the demo serves every test here (it takes the load's 20 s); the tests read what each service did.
 * {@code compose.override.yaml} (host ports for people) is not used: the tests must not need free host ports.
 * ({@code DockerComposeContainer}, not {@code ComposeContainer}: Debian 12 has no Compose v2 plugin.)
 */
@Testcontainers(disabledWithoutDocker = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeDemoIT {

    private static final int LOAD_GENERATORS = 3;
    private static final Duration ONE_SHOT_TIMEOUT = Duration.ofSeconds(120);

    private static DockerComposeContainer<?> demo;
    private static final Map<String, ToStringConsumer> logs = new HashMap<>();
    private static Path out;
    private static Duration upToFirstEcho;

    @BeforeAll
    static void upWithThreeLoadGenerators() throws Exception {
        boolean composeFound = composeAnswers();
        if (!"1".equals(System.getenv("INETKIT_REQUIRE_DOCKER"))) {
            assumeTrue(composeFound, "no docker-compose on the PATH (apt-get install docker-compose): ComposeDemoIT skipped");
        }
        assertThat(composeFound).as("INETKIT_REQUIRE_DOCKER=1 but `docker-compose version` fails").isTrue();
        LocalImages.inetkit(); // stages docker/lib and makes sure every image is local
        out = LocalImages.root().resolve("integration-tests/target/compose-demo-out");
        deleteRecursively(out);
        Files.createDirectories(out);

        List<String> services = new ArrayList<>(List.of("server_1", "client_1", "http_1", "sniffer_1"));
        for (int i = 1; i <= LOAD_GENERATORS; i++) {
            services.add("load_" + i);
        }
        File compose = LocalImages.dockerDir().resolve("compose.yaml").toFile();
        demo = new DockerComposeContainer<>("inetkitit", compose)
                .withEnv("INETKIT_BASE_IMAGE", LocalImages.baseImage())
                .withEnv("INETKIT_DEMO_OUT", out.toString())
                .withBuild(true)
                .withPull(false) // every image is local; a pull attempt would retry for minutes
                // every service (naming one, as withScaledService does, would start only it and its dependencies)
                .withServices("server", "sniffer", "client", "http", "out-dir", "load")
                .withScaledService("load", LOAD_GENERATORS)
                .withExposedService("server", 5006)
                .withExposedService("server", 9505);
        for (String s : services) {
            ToStringConsumer consumer = new ToStringConsumer();
            logs.put(s, consumer);
            demo.withLogConsumer(s, consumer);
        }
        long start = System.nanoTime();
        demo.start();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> log("client_1").contains("Hello, World!"));
        upToFirstEcho = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf("compose demo: docker-compose up to the client's first echo: %.1f s%n",
                upToFirstEcho.toMillis() / 1000.0);
    }

    private static boolean composeAnswers() {
        try {
            Process p = new ProcessBuilder("docker-compose", "version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @AfterAll
    static void down() {
        if (demo != null) {
            demo.stop();
        }
    }

    private static String log(String service) {
        return logs.get(service).toUtf8String();
    }

    /** Waits for a one-shot service's container to exit and returns its exit code. */
    private static long exitCode(String service) {
        ContainerState state = demo.getContainerByServiceName(service).orElseThrow(
                () -> new AssertionError("no container for " + service));
        DockerClient docker = DockerClientFactory.lazyClient();
        InspectContainerResponse.ContainerState[] last = new InspectContainerResponse.ContainerState[1];
        await().atMost(ONE_SHOT_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
            last[0] = docker.inspectContainerCmd(state.getContainerId()).exec().getState();
            return !Boolean.TRUE.equals(last[0].getRunning());
        });
        return last[0].getExitCodeLong();
    }

    @Test
    @Order(1)
    void theServerEchoesToTheHostThroughTheDemoNetwork() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(demo.getServiceHost("server", 5006), demo.getServicePort("server", 5006)), 5000);
            s.setSoTimeout(10_000);
            byte[] line = "Hello, World!\n".getBytes(StandardCharsets.US_ASCII);
            OutputStream o = s.getOutputStream();
            o.write(line);
            o.flush();
            InputStream in = s.getInputStream();
            assertThat(in.readNBytes(line.length)).isEqualTo(line);
        }
        assertThat(upToFirstEcho).isLessThan(Duration.ofSeconds(60));
    }

    @Test
    @Order(2)
    void theClientPrintsTheEchoOfEveryFramingAndUdp() {
        assertThat(exitCode("client_1")).as("client exit code; its log:%n%s", log("client_1")).isZero();
        String client = log("client_1");
        assertThat(client).contains("connected to server:5005 (raw)", "connected to server:5006 (line",
                "connected to server:5007 (fixed:20)", "connected to server:5008 (length:4",
                "sending datagrams to server:5005");
        assertThat(Pattern.compile("^Hello, World!$", Pattern.MULTILINE).matcher(client).results().count())
                .as("one echo per framing and one over UDP; log:%n%s", client).isEqualTo(5);
    }

    @Test
    @Order(3)
    void theHttpServicePrintsItsOriginFromTheServersHttpEcho() {
        assertThat(exitCode("http_1")).as("http exit code; its log:%n%s", log("http_1")).isZero();
        assertThat(log("http_1")).contains("HTTP/1.1 200").contains("\"origin\"");
    }

    @Test
    @Order(4)
    void everyLoadGeneratorExitsZeroWithZeroErrorsAndTheirLogsMerge() throws Exception {
        for (int i = 1; i <= LOAD_GENERATORS; i++) {
            String load = "load_" + i;
            assertThat(exitCode(load)).as("%s exit code; its log:%n%s", load, log(load)).isZero();
        }
        ObjectMapper json = new ObjectMapper();
        List<Path> reports = list(out, ".json");
        assertThat(reports).hasSize(LOAD_GENERATORS);
        for (Path report : reports) {
            assertNoErrors(json.readTree(report.toFile()), report.toString());
        }
        assertThat(list(out, ".html")).hasSize(LOAD_GENERATORS)
                .allSatisfy(html -> assertThat(Files.readString(html)).contains("<html"));
        List<Path> hdrLogs = list(out, ".hlog");
        assertThat(hdrLogs).hasSize(LOAD_GENERATORS);

        // inetkit load merge, on the host, over the three generators' hdr logs
        Path merged = out.resolve("merged.json");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                LocalImages.root().resolve("client/target/inetkit-client.jar").toString(), "load", "merge"));
        hdrLogs.forEach(p -> command.add(p.toString()));
        command.addAll(List.of("--json", merged.toString()));
        Process merge = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(out.resolve("merge.txt").toFile()).start();
        assertThat(merge.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(merge.exitValue()).as("merge: %s", Files.readString(out.resolve("merge.txt"))).isZero();
        JsonNode all = json.readTree(merged.toFile());
        assertNoErrors(all, "merged");
        long messages = 0;
        int connections = 0;
        for (Path report : reports) {
            JsonNode one = json.readTree(report.toFile());
            messages += one.path("messages").asLong();
            connections += one.path("connections").path("up").asInt();
        }
        assertThat(all.path("messages").asLong()).isEqualTo(messages);
        assertThat(all.path("connections").path("up").asInt()).isEqualTo(connections).isPositive();

        // the server's own count, from its admin endpoint: every measured message (and the warm-up's) was a frame
        String metrics = get("http://" + demo.getServiceHost("server", 9505) + ":" + demo.getServicePort("server", 9505)
                + "/metrics");
        Matcher frames = Pattern.compile("(?m)^inetkit_received_frames_total\\{listener=\"tcp/5008\"} (\\S+)$")
                .matcher(metrics);
        assertThat(frames.find()).as("/metrics:%n%s", metrics).isTrue();
        assertThat((long) Double.parseDouble(frames.group(1))).isGreaterThanOrEqualTo(messages);
        assertThat(metrics).contains("inetkit_connections_accepted_total{listener=\"tcp/5008\"} " + (connections + 1) + ".0");
    }

    private static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s", url).isEqualTo(200);
        return r.body();
    }

    private static void assertNoErrors(JsonNode report, String what) {
        assertThat(report.path("messages").asLong()).as("%s messages", what).isPositive();
        JsonNode errors = report.path("errors");
        assertThat(errors.size()).as("%s error kinds", what).isPositive();
        errors.fields().forEachRemaining(e ->
                assertThat(e.getValue().asLong()).as("%s errors %s", what, e.getKey()).isZero());
    }

    @Test
    @Order(5)
    void theSnifferSeesArpBetweenTheDemosContainers() {
        ContainerState server = demo.getContainerByServiceName("server_1").orElseThrow();
        ContainerNetwork net = server.getContainerInfo().getNetworkSettings().getNetworks().values().iterator().next();
        String serverIp = net.getIpAddress();
        String gateway = net.getGateway();
        String prefix = serverIp.substring(0, serverIp.indexOf('.', serverIp.indexOf('.') + 1) + 1); // e.g. 172.18.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<String> arp = log("sniffer_1").lines()
                    .filter(l -> l.contains(serverIp))
                    .filter(l -> l.toLowerCase().contains("arp") || l.contains("who-has") || l.contains("is-at"))
                    .toList();
            assertThat(arp).as("ARP lines about the server %s; sniffer log:%n%s", serverIp, log("sniffer_1"))
                    .anySatisfy(l -> assertThat(otherDemoAddresses(l, prefix, serverIp, gateway)).isNotEmpty());
        });
    }

    /** IPv4 addresses of the demo network in a line, other than the server's and the host's gateway. */
    private static List<String> otherDemoAddresses(String line, String prefix, String serverIp, String gateway) {
        return Pattern.compile("\\b(\\d{1,3}(?:\\.\\d{1,3}){3})\\b").matcher(line).results()
                .map(m -> m.group(1))
                .filter(ip -> ip.startsWith(prefix) && !ip.equals(serverIp) && !ip.equals(gateway))
                .toList();
    }

    private static List<Path> list(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("load-")
                    && p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
