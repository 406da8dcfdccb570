package io.inetkit.client.load;

import io.inetkit.client.ClientCommand;
import io.inetkit.client.EndpointOptions;
import io.inetkit.client.ProxyHeaderSender;
import io.inetkit.client.TlsOptions;
import io.inetkit.client.RunOptions;
import io.inetkit.common.cli.ConfigFileOption;
import io.inetkit.common.cli.Cli;
import io.inetkit.common.cli.DurationConverter;
import io.inetkit.common.cli.StandardHelp;
import io.inetkit.common.cli.StopSignals;
import io.inetkit.common.cli.UserException;
import io.inetkit.common.framing.Framing;
import io.inetkit.common.net.Cidr;
import io.netty.util.ResourceLeakDetector;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code inetkit load HOST PORT}: many connections, every echoed byte verified, latency without coordinated omission. */
@Command(name = "inetkit load",
        description = {
                "Load generator for echo servers over TCP (every framing), UDP or WebSocket (HOST is then a",
                "ws:// or wss:// URL: a message is a WebSocket message), and for HTTP servers (an http:// or",
                "https:// URL: a message is a request, its status and body checked). Every echoed byte is",
                "checked against what was sent; mismatches, connect failures, resets, closes and timeouts",
                "are counted by kind. Closed loop by default (--pipeline messages in flight per",
                "connection); --rate makes it open loop, with latency measured from each message's",
                "intended send time (no coordinated omission). Progress on stderr (one line rewritten in",
                "place on a terminal, a line a second into a pipe), a table at the end on stdout."},
        footer = {"",
                "Short flags as wrk, wrk2 and tcpkali spell them: -c connections, -d (or -T) duration,",
                "-t threads, -R rate, -m message; -P pipeline as in redis-benchmark (it was -d before).",
                "Also: inetkit load merge A.hlog B.hlog ...   one report from several generators' --hdr-log files.",
                "Before connecting, a pre-flight check makes sure the connections fit the open-file limit",
                "and the local port range (x --source-ips), and names the fix when they do not.",
                "FRAMING: raw | fixed:N | line[:MAX] | delimiter:SEQ[:MAX] | length:W[:MAX]",
                "Ctrl-C ends the window there: the table, --json, --hdr-log and --html cover the time measured.",
                "Exit codes: 0 ok, 1 a mismatch, errors over --max-errors, no connection at all, no echo or",
                "under --min-rate, UDP loss over --max-loss,",
                "2 usage error or a run that cannot fit, " + ClientCommand.EXIT_INTERRUPTED + " ended by Ctrl-C.",
                "",
                "Examples:",
                "  inetkit load 127.0.0.1 5006 --framing line -c 100 -P 4 -d 10s    closed loop, 4 in flight each",
                "  inetkit load 127.0.0.1 5005 -c 1000 -R 50000 -d 30s --html r.html open loop at 50,000 msgs/s",
                "  inetkit load ws://127.0.0.1:5008/ -c 100 -s 64 -d 4s              WebSocket echo, binary messages",
                "  inetkit load http://127.0.0.1:8080/get --http2-prior-knowledge -c 10 -P 10   h2c, 10 streams each"})
public final class LoadCommand implements Callable<Integer> {

    @Mixin
    EndpointOptions endpoint;

    @Option(names = {"-c", "--connections"}, paramLabel = "N", defaultValue = "" + LoadSettings.DEFAULT_CONNECTIONS,
            description = "Connections (UDP: connected sockets); -c as in wrk and tcpkali (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--connect-rate", paramLabel = "R", defaultValue = "" + LoadSettings.DEFAULT_CONNECT_RATE,
            description = "New connections per second; 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
    double connectRate;

    @Option(names = "--source-ips", paramLabel = "LIST",
            description = "Local addresses to spread connections over, e.g. 127.0.0.2-127.0.0.40 (each adds a "
                    + "local port range).")
    String sourceIps;

    @Option(names = "--proxy-protocol", paramLabel = "v1|v2",
            description = "Each connection sends a PROXY protocol header first, as a load balancer would, naming a"
                    + " synthetic client from --proxy-sources.")
    String proxyProtocol;

    @Option(names = "--proxy-sources", paramLabel = "CIDR",
            description = "The network of the synthetic clients, one address per connection in turn, e.g."
                    + " 10.0.0.0/16; they exist only inside the headers: nothing is sent to them.")
    String proxySources;

    @Option(names = {"-P", "--pipeline"}, paramLabel = "D", defaultValue = "" + LoadSettings.DEFAULT_PIPELINE,
            description = "Closed loop: messages in flight per connection; -P as in redis-benchmark "
                    + "(default: ${DEFAULT-VALUE}).")
    int pipeline;

    @Option(names = {"-R", "-r", "--rate"}, paramLabel = "R", defaultValue = "" + LoadSettings.DEFAULT_RATE,
            description = "Open loop: R messages/s in total, evenly spread over the connections; -R as in wrk2.")
    double rate;

    @Option(names = {"-d", "-T", "--duration"}, paramLabel = "DURATION", defaultValue = LoadSettings.DEFAULT_DURATION_TEXT,
            converter = DurationConverter.class,
            description = "Measured time; -d as in wrk, -T as in tcpkali (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = {"-w", "--warmup"}, paramLabel = "DURATION", defaultValue = LoadSettings.DEFAULT_WARMUP_TEXT,
            converter = DurationConverter.class, description = "Load before measuring (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @ArgGroup(exclusive = true)
    Payload payload;

    static final class Payload {
        @Option(names = {"-s", "--size"}, paramLabel = "S",
                description = "Payload bytes per message, framing excluded (default: " + LoadSettings.DEFAULT_SIZE
                        + "; fixed:N: N). Payloads "
                        + "carry the connection and sequence number so that any wrong byte is caught.")
        Integer size;

        @Option(names = {"-m", "--message"}, paramLabel = "TEXT",
                description = "Send TEXT as every payload instead; -m as in tcpkali.")
        String message;
    }

    @Option(names = "--udp", description = "UDP datagrams: reports loss and late echoes.")
    boolean udp;

    @Option(names = {"-t", "--threads"}, paramLabel = "N",
            description = "Event loop threads; -t as in wrk (default: one per core).")
    Integer threads;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "TCP: an echo later than this is a timeout error (default " + LoadSettings.DEFAULT_TCP_TIMEOUT_TEXT
                    + "). UDP: a datagram without echo after this is lost (default " + LoadSettings.DEFAULT_UDP_TIMEOUT_TEXT
                    + ").")
    Duration timeout;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = LoadSettings.DEFAULT_CONNECT_TIMEOUT_TEXT,
            converter = DurationConverter.class, description = "Connect timeout (default: ${DEFAULT-VALUE}).")
    Duration connectTimeout;

    @Mixin
    PassOptions pass;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the report as JSON.")
    Path json;

    @Option(names = "--hdr-log", paramLabel = "FILE",
            description = "Write an HdrHistogram interval log (latency in ns, one interval per second).")
    Path hdrLog;

    @Option(names = "--html", paramLabel = "FILE",
            description = "Write a self-contained HTML report with latency and throughput charts.")
    Path html;

    @Option(names = "--metrics-port", paramLabel = "[HOST:]PORT",
            description = "Serve the run's live counters and latency at http://HOST:PORT/metrics (Prometheus text) "
                    + "while it runs; without HOST on every interface.")
    String metricsPort;

    @Option(names = {"-q", "--quiet"}, description = "No progress lines on stderr.")
    boolean quiet;

    @Option(names = {"-X", "--request"}, paramLabel = "METHOD",
            description = "HTTP: the request method (default GET, POST with --data), as curl's -X.")
    String method;

    @Option(names = {"-H", "--header"}, paramLabel = "'NAME: VALUE'",
            description = "HTTP: a request header, as curl's -H; one of a default's name (Host, User-Agent, Accept) "
                    + "replaces it, 'Name:' removes it, 'Name;' sends it empty. Repeatable.")
    List<String> headers;

    @Option(names = "--data", paramLabel = "TEXT", description = "HTTP: the request body, TEXT as it is (POST).")
    String data;

    @Option(names = "--data-binary", paramLabel = "@FILE|TEXT",
            description = "HTTP: the request body, the bytes of FILE (or TEXT), as curl's --data-binary (POST).")
    String dataBinary;

    @Option(names = "--http1.1", description = "HTTP: HTTP/1.1 (the default).")
    boolean http11;

    @Option(names = "--http2", description = "HTTP: HTTP/2 over TLS (https://, ALPN h2).")
    boolean http2;

    @Option(names = "--http2-prior-knowledge", description = "HTTP: HTTP/2 from the first byte (h2c for http://).")
    boolean http2PriorKnowledge;

    @Option(names = "-k", description = "HTTP: curl's short form of --insecure (no check of the server's "
            + "certificate or name).")
    boolean insecureShort;

    @Option(names = "--urls", paramLabel = "FILE",
            description = "HTTP: more URLs (or paths) of the same origin, one a line; the requests rotate through them.")
    Path urls;

    @Option(names = "--ok-status", paramLabel = "LIST", defaultValue = HttpLoad.DEFAULT_OK,
            description = "HTTP: the statuses that count as success, e.g. 2xx,304 or 200-299,404; others are "
                    + "http-status errors (default: ${DEFAULT-VALUE}).")
    String okStatus;

    @Option(names = "--verify", paramLabel = "length:N|sha256:HEX|first",
            description = "HTTP: check every response body: its length, its SHA-256, or that it equals the first's.")
    String verify;

    @Option(names = "--text", description = "WebSocket: send text messages (the generated payload is ASCII) "
            + "instead of binary ones.")
    boolean text;

    @Option(names = "--no-deflate", negatable = false,
            description = "WebSocket: do not offer permessage-deflate (RFC 7692) in the upgrade.")
    boolean noDeflate;

    @Mixin
    TlsOptions tlsOptions;

    @Option(names = "--tls-provider", paramLabel = "jdk|openssl|auto", defaultValue = TlsOptions.DEFAULT_PROVIDER,
            description = "With --tls: the JDK's TLS or OpenSSL's (BoringSSL); auto: OpenSSL when it loads"
                    + " (default: ${DEFAULT-VALUE}).")
    String tlsProvider;

    @Option(names = "--tls-resume", description = "With --tls: a new connection offers the last session again"
            + " (tickets or IDs): resumed handshakes instead of full ones.")
    boolean tlsResume;

    @Option(names = "--reconnect", paramLabel = "N", arity = "0..1", fallbackValue = "1",
            description = "TCP: a new connection (with --tls, a new handshake) for every message, or every N"
                    + " messages; the report gives handshakes/s. With --rate, what falls due meanwhile waits for it.")
    int reconnect;

    @Mixin
    ConfigFileOption config;

    @Mixin
    RunOptions run;

    @Spec
    CommandSpec spec;

    @Mixin // last: picocli lists -h and -V where it is declared
    StandardHelp help;

    LoadSettings settings() {
        try {
            Framing f = endpoint.framing();
            LoadSettings.WebSocket ws = webSocket();
            HttpLoad http = http();
            tlsOptions.insecure(insecureShort && http != null && http.secure()); // curl ignores -k for http://
            String host = ws != null ? ws.url().host() : http != null ? http.host() : endpoint.host();
            int port = ws != null ? ws.url().port() : http != null ? http.port() : endpoint.port();
            InetAddress address = InetAddress.getByName(host);
            LoadSettings.Builder b = LoadSettings.builder(new InetSocketAddress(address, port))
                    .webSocket(ws)
                    .http(http)
                    .connections(connections)
                    .connectRate(connectRate)
                    .sourceIps(sourceIps == null ? List.of() : SourceIps.parse(sourceIps))
                    .pipeline(pipeline)
                    .rate(rate)
                    .duration(duration)
                    .warmup(warmup)
                    .framing(f)
                    .udp(udp)
                    .timeout(timeout)
                    .connectTimeout(connectTimeout)
                    .pass(pass.criteria())
                    .transport(run.transport())
                    .progress(!quiet)
                    .progressInPlace(ProgressLine.stderrIsTerminal())
                    .hdrLog(hdrLog)
                    .proxy(proxyProtocol == null ? null : ProxyHeaderSender.parseVersion(proxyProtocol),
                            proxySources == null ? null : proxySources("--proxy-sources", proxySources))
                    .tls(tlsOptions.context(tlsProvider, tlsResume, (ws != null && ws.url().secure())
                                    || (http != null && http.secure()),
                                    http != null && http.secure() && http.version() == HttpLoad.Version.HTTP_2
                                            ? List.of("h2") : http != null && http.secure() ? List.of("http/1.1")
                                            : List.of()),
                            tlsOptions.serverName(host), tlsResume)
                    .reconnect(reconnect);
            if (threads != null) {
                b.threads(threads);
            }
            if (payload != null && payload.message != null) {
                b.message(payload.message.getBytes(StandardCharsets.UTF_8));
            } else if (payload != null && payload.size != null) {
                b.size(payload.size);
            } else if (f instanceof Framing.Fixed fixed && !udp) {
                b.size(fixed.size());
            }
            return b.build();
        } catch (UnknownHostException e) {
            throw new UserException("unknown host '" + e.getMessage().replaceFirst(":.*", "") + "'", Cli.EXIT_USAGE);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage(), Cli.EXIT_USAGE);
        }
    }

    /** The HTTP run an http:// or https:// HOST asks for, or null; the HTTP options without one fail. */
    private HttpLoad http() {
        if (!HttpLoad.looksLike(endpoint.typed())) {
            if (method != null || headers != null || data != null || dataBinary != null || http11 || http2 || insecureShort
                    || http2PriorKnowledge || urls != null || verify != null || !HttpLoad.DEFAULT_OK.equals(okStatus)) {
                throw new IllegalArgumentException("-X, -H, -k, --data, --http2, --urls, --ok-status and --verify are "
                        + "for an http:// URL");
            }
            return null;
        }
        endpoint.requireUrlAlone("http", "HTTP");
        java.net.URI first = HttpLoad.parseUrl(endpoint.typed());
        java.net.URI origin = HttpLoad.originOf(first);
        List<String> paths = new java.util.ArrayList<>(List.of(HttpLoad.pathOf(first)));
        if (urls != null) {
            List<String> lines;
            try {
                lines = java.nio.file.Files.readAllLines(urls);
            } catch (IOException e) {
                throw new UserException("cannot read --urls " + urls + ": " + Cli.describeFileError(e), Cli.EXIT_USAGE);
            }
            for (String line : lines) {
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                java.net.URI u = HttpLoad.parseUrl(t.startsWith("/") ? origin + t : t);
                if (!HttpLoad.originOf(u).equals(origin)) {
                    throw new IllegalArgumentException("--urls: '" + t + "' is not on " + origin
                            + ": every request of a run goes to one server");
                }
                paths.add(HttpLoad.pathOf(u));
            }
        }
        boolean secure = origin.getScheme().equals("https");
        if ((http11 ? 1 : 0) + (http2 ? 1 : 0) + (http2PriorKnowledge ? 1 : 0) > 1) {
            throw new IllegalArgumentException("--http1.1, --http2 and --http2-prior-knowledge exclude each other");
        }
        if (http2 && !secure) {
            throw new IllegalArgumentException("--http2 is HTTP/2 by ALPN, over TLS: for http:// use "
                    + "--http2-prior-knowledge (h2c; a load generator does no Upgrade: h2c per connection)");
        }
        if (data != null && dataBinary != null) {
            throw new IllegalArgumentException("--data and --data-binary exclude each other");
        }
        byte[] body = new byte[0];
        if (data != null) {
            body = data.getBytes(StandardCharsets.UTF_8);
        } else if (dataBinary != null) {
            if (dataBinary.startsWith("@")) {
                Path file = Path.of(dataBinary.substring(1));
                try {
                    body = java.nio.file.Files.readAllBytes(file);
                } catch (IOException e) {
                    throw new UserException("cannot read --data-binary " + file + ": " + Cli.describeFileError(e),
                            Cli.EXIT_USAGE);
                }
            } else {
                body = dataBinary.getBytes(StandardCharsets.UTF_8);
            }
        }
        List<String[]> hs = new java.util.ArrayList<>();
        for (String h : headers == null ? List.<String>of() : headers) {
            // curl's forms: "Name: value" sets, "Name:" removes a default header, "Name;" sends it empty
            boolean empty = h.endsWith(";") && h.indexOf(':') < 0;
            int colon = empty ? h.length() - 1 : h.indexOf(':');
            String name = colon > 0 ? h.substring(0, colon).trim() : "";
            if (name.isEmpty() || !name.chars().allMatch(c -> c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
                throw new IllegalArgumentException("bad -H '" + h + "': give 'Name: value' ('Name:' removes it)");
            }
            String value = empty ? "" : h.substring(colon + 1).trim();
            hs.add(new String[] {name, !empty && value.isEmpty() ? null : value});
        }
        String m = method != null ? method.toUpperCase(Locale.ROOT)
                : data != null || dataBinary != null ? "POST" : "GET";
        return new HttpLoad(origin, paths, m, hs, body,
                http2 || http2PriorKnowledge ? HttpLoad.Version.HTTP_2 : HttpLoad.Version.HTTP_1_1,
                HttpLoad.parseOk(okStatus), HttpLoad.Verify.parse(verify));
    }

    /** The WebSocket run a ws:// or wss:// HOST asks for, or null. */
    private LoadSettings.WebSocket webSocket() {
        if (!io.inetkit.client.ws.WsUrl.looksLike(endpoint.typed())) {
            if (text || noDeflate) {
                throw new IllegalArgumentException((text ? "--text" : "--no-deflate") + " is for a ws:// URL");
            }
            return null;
        }
        endpoint.requireUrlAlone("ws", "a WebSocket");
        return new LoadSettings.WebSocket(io.inetkit.client.ws.WsUrl.parse(endpoint.typed()), text, !noDeflate);
    }

    private static Cidr proxySources(String option, String text) {
        try {
            return Cidr.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage());
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        run.configureLogging();
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            // sampling leak tracking costs on the hot path; ask for it with -Dio.netty.leakDetection.level
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        LoadSettings s = settings();
        checkOutputs(json, html);
        OutputFiles.check("--hdr-log", hdrLog);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LoadGenerator generator = new LoadGenerator(s, err, RunInfo.commandLine(spec));
        LoadResult r;
        try (StopSignals ignored = StopSignals.install(signal -> generator.interrupt());
             LiveMetrics live = LiveMetrics.startIf(metricsPort, generator, err)) {
            r = generator.run();
            out.print(Reports.text(r));
            out.flush();
            writeOutputs(r, json, html);
        }
        if (r.interrupted()) {
            // a window cut short is judged by the one who cut it: the table shows what it measured
            err.printf(Locale.ROOT, "inetkit load: interrupted after %.2f s of the window; the report covers them%n",
                    r.durationSeconds());
            err.flush();
            return ClientCommand.EXIT_INTERRUPTED;
        }
        return exitCode(r, s.pass(), err);
    }

    /** Before the run: the report files can be written (see {@link OutputFiles}). */
    static void checkOutputs(Path json, Path html) {
        OutputFiles.check("--json", json);
        OutputFiles.check("--html", html);
    }

    static void writeOutputs(LoadResult r, Path json, Path html) {
        try {
            if (json != null) {
                Reports.writeJson(r, json);
            }
        } catch (IOException e) {
            throw new UserException(OutputFiles.cannotWrite("--json", json, e), Cli.EXIT_RUNTIME);
        }
        try {
            if (html != null) {
                HtmlReport.write(r, html);
            }
        } catch (IOException e) {
            throw new UserException(OutputFiles.cannotWrite("--html", html, e), Cli.EXIT_RUNTIME);
        }
    }

    /** 0, or 1 with the one line that says why the run failed ({@link PassCriteria}). */
    static int exitCode(LoadResult r, PassCriteria pass, PrintWriter err) {
        String failure = pass.failure(r);
        if (failure == null) {
            return Cli.EXIT_OK;
        }
        err.println("inetkit load: FAILED: " + failure);
        err.flush();
        return Cli.EXIT_RUNTIME;
    }
}
