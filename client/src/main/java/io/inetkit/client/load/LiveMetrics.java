package io.inetkit.client.load;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.inetkit.common.cli.Cli;
import io.inetkit.common.cli.UserException;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code inetkit load --metrics-port [HOST:]PORT}: the run's live figures in the Prometheus text format at
 * {@code http://HOST:PORT/metrics} while it runs, so that a scraper can watch many generators (a Kubernetes
 * Indexed Job) as one. Without HOST it listens on every interface, as exporters do.
 *
 * <pre>
 * inetkit_load_echoes_total 48210.0                                  verified echoes, warm-up included
 * inetkit_load_errors_total{kind="mismatch"} 0.0                     one series per error kind of the report
 * inetkit_load_connections_open 10.0                                 at the last reporting tick
 * inetkit_load_connections_target 10.0
 * inetkit_load_target_rate 2000.0                                    --rate (0: closed loop)
 * inetkit_load_measuring 1.0                                         1 inside the measured window
 * inetkit_load_latency_seconds_count 40000.0                         the measured window so far
 * inetkit_load_latency_seconds_sum 3.91
 * inetkit_load_interval_latency_seconds{percentile="99"} 2.1E-4      the last second's: 50, 90, 99, 99.9, 100
 * </pre>
 *
 * The workers' counters are atomics read at scrape time; the latencies are what the reporting loop took from
 * the workers at its last tick ({@link #tick}), published through volatile fields.
 */
final class LiveMetrics implements AutoCloseable {

    /** Percentiles of the last second; "quantile" is a label promtool keeps for summaries. */
    private static final double[] PERCENTILES = {50, 90, 99, 99.9, 100};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HttpServer http;

    private volatile long latencyCount;
    private volatile double latencySumSeconds;
    private volatile double[] intervalSeconds = new double[PERCENTILES.length];
    private volatile int open;
    private volatile boolean measuring;

    private LiveMetrics(HttpServer http) {
        this.http = http;
    }

    /** Binds {@code [HOST:]PORT} and serves {@code /metrics} until {@link #close}. */
    static LiveMetrics start(String spec) {
        InetSocketAddress address = parse(spec);
        HttpServer http;
        try {
            http = HttpServer.create(address, 16);
        } catch (IOException e) {
            throw new UserException("--metrics-port " + spec + ": cannot listen: " + e.getMessage(), Cli.EXIT_USAGE);
        }
        LiveMetrics m = new LiveMetrics(http);
        http.createContext("/", m::serve);
        http.start();
        return m;
    }

    /**
     * For {@code inetkit load}: null without {@code --metrics-port}; else the started endpoint, announced on
     * {@code err} and handed to the generator.
     */
    static LiveMetrics startIf(String spec, LoadGenerator generator, java.io.PrintWriter err) {
        if (spec == null) {
            return null;
        }
        LiveMetrics m = start(spec);
        InetSocketAddress a = m.address();
        err.println("inetkit load: metrics on http://" + io.netty.util.NetUtil.toSocketAddressString(a) + "/metrics");
        err.flush();
        generator.publishTo(m);
        return m;
    }

    static InetSocketAddress parse(String spec) {
        int colon = spec.lastIndexOf(':');
        String host = colon < 0 ? null : spec.substring(0, colon).replaceAll("^\\[|]$", "");
        String portText = spec.substring(colon + 1);
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new UserException("--metrics-port must be PORT or HOST:PORT with PORT 0-65535: " + spec,
                    Cli.EXIT_USAGE);
        }
        return host == null || host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }

    /** Where it listens (the port chosen when 0 was asked). */
    InetSocketAddress address() {
        return http.getAddress();
    }

    /** The meters of a run that is about to start. */
    void watch(LoadSettings s, List<Worker> workers, ErrorCounts errors) {
        FunctionCounter.builder("inetkit.load.echoes", workers, ws -> {
                    long n = 0;
                    for (Worker w : ws) {
                        n += w.recorder().completed();
                    }
                    return n;
                }).description("Echoes received and verified, warm-up included").register(registry);
        for (ErrorKind kind : ErrorKind.values()) {
            FunctionCounter.builder("inetkit.load.errors", errors, e -> e.get(kind)).tag("kind", kind.label())
                    .description("Errors by kind, as the report counts them").register(registry);
        }
        Gauge.builder("inetkit.load.connections.open", this, m -> m.open)
                .description("Connections alive at the last reporting tick").register(registry);
        Gauge.builder("inetkit.load.connections.target", s, LoadSettings::connections)
                .description("--connections").register(registry);
        Gauge.builder("inetkit.load.target.rate", s, LoadSettings::rate)
                .description("--rate, messages per second in all (0: closed loop)").register(registry);
        Gauge.builder("inetkit.load.measuring", this, m -> m.measuring ? 1 : 0)
                .description("1 inside the measured window, 0 in the warm-up and after").register(registry);
        FunctionTimer.builder("inetkit.load.latency", this, m -> m.latencyCount, m -> m.latencySumSeconds,
                        TimeUnit.SECONDS)
                .description("Round-trip latency of the measured window so far (from the intended send time "
                        + "in an open-loop run)").register(registry);
        for (int i = 0; i < PERCENTILES.length; i++) {
            int q = i;
            Gauge.builder("inetkit.load.interval.latency", this, m -> m.intervalSeconds[q])
                    .tag("percentile", label(PERCENTILES[q])).baseUnit("seconds")
                    .description("Round-trip latency percentiles of the last second of the measured window")
                    .register(registry);
        }
    }

    private static String label(double percentile) {
        return percentile == Math.rint(percentile) ? String.valueOf((long) percentile) : String.valueOf(percentile);
    }

    /** The reporting loop's tick (its thread): the last second's latencies and the window's so far, in ns. */
    void tick(Histogram interval, Histogram total, int openConnections, boolean inWindow) {
        if (interval.getTotalCount() > 0) {
            double[] q = new double[PERCENTILES.length];
            for (int i = 0; i < q.length; i++) {
                q[i] = interval.getValueAtPercentile(PERCENTILES[i]) / 1e9;
            }
            intervalSeconds = q;
        }
        latencySumSeconds = total.getMean() * total.getTotalCount() / 1e9;
        latencyCount = total.getTotalCount();
        open = openConnections;
        measuring = inWindow;
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals("/metrics")) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        http.stop(0);
        registry.close();
    }
}
