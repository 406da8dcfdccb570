package io.inetkit.it.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.DockerComposeContainer;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The compose demo's {@code prometheus} profile: the server and Prometheus (the image built from Debian's
 * package), an echo sent to the server from the host, and Prometheus's HTTP API asked for
 * {@code inetkit_received_frames_total} until the scrape shows that frame.
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposePrometheusIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode api(String base, String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s: %s", pathAndQuery, r.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("status").asText()).isEqualTo("success");
        return body.path("data");
    }

    @Test
    void prometheusScrapesTheServersReceivedFrames() throws Exception {
        boolean compose = composeAnswers();
        if (!"1".equals(System.getenv("INETKIT_REQUIRE_DOCKER"))) {
            assumeTrue(compose, "no docker-compose on the PATH (apt-get install docker-compose): skipped");
        }
        assertThat(compose).as("INETKIT_REQUIRE_DOCKER=1 but `docker-compose version` fails").isTrue();
        LocalImages.inetkit();
        LocalImages.prometheus();
        File file = LocalImages.dockerDir().resolve("compose.yaml").toFile();
        try (DockerComposeContainer<?> demo = new DockerComposeContainer<>("inetkitprom", file)
                .withEnv("INETKIT_BASE_IMAGE", LocalImages.baseImage())
                .withEnv("COMPOSE_PROFILES", "prometheus")
                .withBuild(true)
                .withPull(false)
                .withServices("server", "prometheus")
                .withExposedService("server", 5006)
                .withExposedService("prometheus", 9090)) {
            demo.start();
            String base = "http://" + demo.getServiceHost("prometheus", 9090) + ":"
                    + demo.getServicePort("prometheus", 9090);

            // one line-framed echo from the host
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
                try (Socket s = new Socket(demo.getServiceHost("server", 5006), demo.getServicePort("server", 5006))) {
                    s.setSoTimeout(5000);
                    s.getOutputStream().write("Hello, World!\n".getBytes(StandardCharsets.US_ASCII));
                    return new String(s.getInputStream().readNBytes(14), StandardCharsets.US_ASCII).equals("Hello, World!\n");
                }
            });

            String query = "/api/v1/query?query=" + URLEncoder.encode(
                    "inetkit_received_frames_total{listener=\"tcp/5006\"}", StandardCharsets.UTF_8);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
                JsonNode result = api(base, query).path("result");
                return result.size() == 1 && result.get(0).path("value").get(1).asDouble() >= 1;
            });
            JsonNode series = api(base, query).path("result").get(0).path("metric");
            assertThat(series.path("job").asText()).isEqualTo("inetkit-server");
            assertThat(series.path("instance").asText()).isEqualTo("server:9505");

            JsonNode targets = api(base, "/api/v1/targets?state=active").path("activeTargets");
            assertThat(targets).anySatisfy(t -> {
                assertThat(t.path("labels").path("job").asText()).isEqualTo("inetkit-server");
                assertThat(t.path("health").asText()).isEqualTo("up");
            });
        }
    }

    private static boolean composeAnswers() {
        try {
            Process p = new ProcessBuilder("docker-compose", "version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
