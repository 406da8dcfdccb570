package io.inetkit.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code inetkit load --metrics-port}: while the run goes on, {@code /metrics} shows its echoes, errors,
 * connections and latency growing, in a form promtool accepts; when the run ends, the port closes with it.
 */
class LoadMetricsIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void liveCountersAndLatencyWhileTheRunGoesOn() throws Exception {
        try (ServerProcess server = ServerProcess.start("--tcp", "0:length:4");
             Program load = Program.start("load", "127.0.0.1", String.valueOf(server.tcpPort()), "--framing", "length:4",
                     "--connections", "4", "--rate", "400", "--warmup", "1s", "--duration", "30s", "--quiet",
                     "--metrics-port", "127.0.0.1:0")) {
            int port = Integer.parseInt(load.awaitStderr("metrics on http://127\\.0\\.0\\.1:(\\d+)/metrics",
                    Duration.ofSeconds(30)));

            AtomicReference<PrometheusText> seen = new AtomicReference<>();
            AtomicReference<String> text = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(25)).pollInterval(Duration.ofMillis(250)).until(() -> {
                HttpResponse<String> r = get(port, "/metrics");
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                        v -> assertThat(v).startsWith("text/plain; version=0.0.4"));
                PrometheusText m = PrometheusText.parse(r.body());
                seen.set(m);
                text.set(r.body());
                if (m.samples("inetkit_load_measuring").isEmpty()) {
                    return false; // still connecting: the run's meters come with its start
                }
                return m.value("inetkit_load_measuring") == 1 && m.value("inetkit_load_latency_seconds_count") > 100;
            });
            assertThat(load.process.isAlive()).as("the figures are live: the run is still going").isTrue();
            PrometheusText m = seen.get();
            assertThat(m.value("inetkit_load_echoes_total")).isGreaterThanOrEqualTo(m.value("inetkit_load_latency_seconds_count"));
            assertThat(m.value("inetkit_load_connections_open")).isEqualTo(4);
            assertThat(m.value("inetkit_load_connections_target")).isEqualTo(4);
            assertThat(m.value("inetkit_load_target_rate")).isEqualTo(400);
            assertThat(m.sum("inetkit_load_errors_total")).isZero();
            assertThat(m.samples("inetkit_load_errors_total")).extracting(s -> s.labels().get("kind")).contains("mismatch");
            double p50 = m.value("inetkit_load_interval_latency_seconds", "percentile", "50");
            double max = m.value("inetkit_load_interval_latency_seconds", "percentile", "100");
            assertThat(p50).isPositive().isLessThanOrEqualTo(max);
            assertThat(m.value("inetkit_load_latency_seconds_sum")).isPositive();
            // the count keeps growing between two scrapes: these are live counters, not the final report
            double before = m.value("inetkit_load_echoes_total");
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).until(
                    () -> PrometheusText.parse(get(port, "/metrics").body()).value("inetkit_load_echoes_total") > before);
            assertThat(get(port, "/other").statusCode()).isEqualTo(404);
            MetricsConventionsIT.assertPromtoolAccepts(text.get());

            load.sigterm();
            load.awaitExit(Duration.ofSeconds(30));
            assertThatThrownBy(() -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                }
            }).as("the metrics port closes with the run").isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void aBadMetricsPortIsAUsageError() throws Exception {
        try (Program load = Program.start("load", "127.0.0.1", "1", "--metrics-port", "70000")) {
            assertThat(load.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(load.stderr()).anySatisfy(l -> assertThat(l).contains("--metrics-port must be PORT or HOST:PORT"));
        }
    }
}
