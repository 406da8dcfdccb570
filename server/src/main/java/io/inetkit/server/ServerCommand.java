package io.inetkit.server;

import io.inetkit.common.cli.ConfigFileOption;
import io.inetkit.common.cli.Cli;
import io.inetkit.common.cli.DurationConverter;
import io.inetkit.common.cli.Logging;
import io.inetkit.common.cli.StandardHelp;
import io.inetkit.common.cli.StopSignals;
import io.inetkit.common.cli.UserException;
import io.inetkit.common.net.Cidr;
import io.inetkit.server.http.HttpEchoSettings;
import io.inetkit.server.tls.Tls;
import io.inetkit.server.tls.TlsSettings;
import io.inetkit.common.cli.ReloadSignal;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** {@code inetkit server}: the echo server as a program. */
@Command(name = "inetkit server",
        description = {
                "Echo server: TCP echo over a framing of your choice, and UDP echo.",
                "With no --tcp and no --udp it serves TCP (raw) and UDP on 127.0.0.1:5005.",
                "SIGTERM or Ctrl-C drains: /health turns 503, stops accepting, echoes what was received,",
                "closes, exits 0. A second one while it drains stops it at once (exit 130, or 143 for SIGTERM).",
                "SIGHUP reloads the TLS certificates: new handshakes use them, open connections stay."},
        footer = {"",
                "FRAMING: raw | fixed:N | line[:MAX] | delimiter:SEQ[:MAX] | length:W[:MAX]",
                "  SEQ escapes: \\0 \\r \\n \\t \\\\ \\xHH; W is 1, 2, 4 or 8; MAX defaults to 8192.",
                "DURATION: 500ms, 5s, 2m, 1h (0 disables the idle timeout). CIDR: 10.0.0.0/8, ::1/128, 192.0.2.7.",
                "Admin endpoints: GET /metrics (Prometheus text), GET /health (200 serving, 503 draining).",
                "Every option can also come from the environment (INETKIT_SERVER_IO_THREADS=2) or from",
                "--config FILE (io-threads = 2; repeatable ones comma-separated: tcp = 5005,5006:line).",
                "Exit codes: 0 stopped cleanly, 1 runtime failure (e.g. port in use), 2 usage error,",
                "130 a second Ctrl-C during the drain.",
                "",
                "Examples:",
                "  inetkit server                                  TCP and UDP echo on 127.0.0.1:5005",
                "  inetkit server --tcp 5005 --tcp 5006:line --tcp 5007:length:4 --udp 5005",
                "  inetkit server --http 8080 --ws 8081 --ws 8444:/echo:tls --tls self-signed   httpbin, ws, wss",
                "  inetkit server --bind 0.0.0.0 --max-connections 500 --idle-timeout 1m"})
// Over 300 lines on purpose: one @Option per flag of the daemon, with its help; grouping them in mixins
// would scatter the --help order and the defaults' one place (ServerSettings) for no less text.
public final class ServerCommand implements Callable<Integer> {

    @Option(names = "--tcp", paramLabel = "PORT[:FRAMING][:proxy][:tls]", split = ",", converter = TcpConverter.class,
            description = "TCP echo listener; repeatable. Default framing raw; :proxy: each connection starts with"
                    + " a PROXY protocol header (v1 or v2) from a --proxy-trusted balancer; :tls: TLS (after the"
                    + " PROXY header), with the --tls options.")
    List<ServerSettings.TcpListener> tcp = new ArrayList<>();

    @Option(names = "--udp", paramLabel = "PORT", split = ",", converter = UdpConverter.class,
            description = "UDP echo listener; repeatable.")
    List<ServerSettings.UdpListener> udp = new ArrayList<>();

    @Option(names = "--http", paramLabel = "PORT[:proxy]", split = ",",
            description = "HTTP echo listener, httpbin-style (/ip, /get, /status/{code}, ...): HTTP/1.1 and h2c;"
                    + " repeatable; :proxy as for --tcp.")
    List<String> http = new ArrayList<>();

    @Option(names = "--https", paramLabel = "PORT[:proxy]", split = ",",
            description = "HTTPS echo listener: HTTP/1.1 and HTTP/2 by ALPN; needs --tls self-signed or"
                    + " --tls-cert and --tls-key; repeatable; :proxy: the PROXY header comes before the TLS handshake.")
    List<String> https = new ArrayList<>();

    @Option(names = "--ws", paramLabel = "PORT[:PATH][:proxy][:tls]", split = ",",
            description = "WebSocket echo listener (RFC 6455): each text or binary message comes back as the same;"
                    + " the upgrade on PATH and below it (default /: every path); :tls makes it wss, with the --tls"
                    + " options; repeatable.")
    List<String> ws = new ArrayList<>();

    @Option(names = "--ws-max-message", paramLabel = "BYTES",
            defaultValue = ServerSettings.WsListener.DEFAULT_MAX_MESSAGE_TEXT, converter = BytesConverter.class,
            description = "WebSocket listeners and /ws of the HTTP ones: the largest message, fragments reassembled and permessage-deflate"
                    + " inflated; a larger one is closed with 1009 (default: ${DEFAULT-VALUE}).")
    long wsMaxMessage;

    @Option(names = "--proxy-trusted", paramLabel = "CIDR", split = ",",
            description = "Balancers whose PROXY headers the :proxy listeners believe; others are refused at"
                    + " accept; repeatable (default: " + ServerSettings.ProxyProtocol.DEFAULT_TRUSTED_TEXT + ").")
    List<String> proxyTrusted = new ArrayList<>();

    @Option(names = "--proxy-header-timeout", paramLabel = "DURATION",
            defaultValue = ServerSettings.ProxyProtocol.DEFAULT_HEADER_TIMEOUT_TEXT, converter = DurationConverter.class,
            description = ":proxy listeners: close a connection whose PROXY header is not whole this long after it"
                    + " opened (default: ${DEFAULT-VALUE}).")
    Duration proxyHeaderTimeout;

    @Option(names = "--tls", paramLabel = "self-signed",
            description = "Certificate of the TLS listeners (:tls, --https): self-signed makes one for localhost at start.")
    String tlsMode;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "PEM certificate chain of the TLS listeners (server certificate first); repeatable with"
                    + " --tls-key in pairs: the first pair is the default, the others are chosen by SNI"
                    + " (their DNS names).")
    List<Path> tlsCert = new ArrayList<>();

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key (unencrypted) of each --tls-cert.")
    List<Path> tlsKey = new ArrayList<>();

    @Option(names = "--tls-client-ca", paramLabel = "FILE",
            description = "Mutual TLS: PEM CA certificates that client certificates must chain to.")
    Path tlsClientCa;

    @Option(names = "--tls-client-auth", paramLabel = "none|optional|require",
            description = "Ask for a client certificate: require refuses clients without a valid one, optional"
                    + " serves them (default: require with --tls-client-ca, else none).")
    String tlsClientAuth;

    @Option(names = "--tls-provider", paramLabel = "jdk|openssl|auto", defaultValue = TlsSettings.DEFAULT_PROVIDER_TEXT,
            description = "TLS implementation: the JDK's, or OpenSSL's (BoringSSL, faster); auto: OpenSSL when it"
                    + " loads (default: ${DEFAULT-VALUE}).")
    String tlsProvider;

    @Option(names = "--tls-handshake-timeout", paramLabel = "DURATION",
            defaultValue = TlsSettings.DEFAULT_HANDSHAKE_TIMEOUT_TEXT, converter = DurationConverter.class,
            description = "Close a TLS connection whose handshake is not done this long after it opened"
                    + " (default: ${DEFAULT-VALUE}).")
    Duration tlsHandshakeTimeout;

    @Option(names = "--tls-reload-check", paramLabel = "DURATION",
            defaultValue = TlsSettings.DEFAULT_RELOAD_CHECK_TEXT, converter = DurationConverter.class,
            description = "How often the certificate files are checked for a change, which reloads them (as"
                    + " SIGHUP does); 0: only on SIGHUP (default: ${DEFAULT-VALUE}).")
    Duration tlsReloadCheck;

    @Option(names = "--http-header-timeout", paramLabel = "DURATION",
            defaultValue = HttpEchoSettings.DEFAULT_HEADER_TIMEOUT_TEXT, converter = DurationConverter.class,
            description = "HTTP/1.1 listeners: close a connection whose next request head is not whole this long"
                    + " after it opened or after the last answer (slowloris); 0: never (default: ${DEFAULT-VALUE}).")
    Duration httpHeaderTimeout;

    @Option(names = "--http-min-body-rate", paramLabel = "BYTES_PER_SECOND",
            defaultValue = "" + HttpEchoSettings.DEFAULT_MIN_BODY_RATE,
            description = "HTTP/1.1 listeners: answer 408 and close when a request body arrives slower than this on"
                    + " average, after 5 s; 0: never (default: ${DEFAULT-VALUE}).")
    long httpMinBodyRate;
    @Option(names = "--http-body-budget", paramLabel = "BYTES",
            defaultValue = "" + HttpEchoSettings.DEFAULT_BODY_BUDGET,
            description = "HTTP listeners: bytes of request bodies each listener buffers at once; a body that does"
                    + " not fit gets 503 (default: ${DEFAULT-VALUE}, 64 MiB).")
    long httpBodyBudget;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = ServerSettings.DEFAULT_BIND,
            description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 or :: for all).")
    String bind;

    @Option(names = "--transport", paramLabel = "auto|io_uring|epoll|nio", defaultValue = ServerSettings.DEFAULT_TRANSPORT,
            description = "I/O transport (default: ${DEFAULT-VALUE}, the best available).")
    String transport;

    @Option(names = "--io-threads", paramLabel = "N",
            description = "Event loop threads (default: one per core).")
    Integer ioThreads;

    @Option(names = "--drain-timeout", paramLabel = "DURATION", defaultValue = ServerSettings.DEFAULT_DRAIN_TIMEOUT_TEXT,
            converter = DurationConverter.class,
            description = "How long a stop waits for connections to finish (default: ${DEFAULT-VALUE}).")
    Duration drainTimeout;

    @Option(names = "--max-connections", paramLabel = "N",
            defaultValue = "" + ServerSettings.Limits.DEFAULT_MAX_CONNECTIONS,
            description = "Open TCP connections over all listeners; more are refused (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--max-connections-per-ip", paramLabel = "N",
            defaultValue = "" + ServerSettings.Limits.DEFAULT_MAX_CONNECTIONS_PER_IP,
            description = "Open TCP connections from one address (default: ${DEFAULT-VALUE}).")
    int maxConnectionsPerIp;

    @Option(names = "--max-buffered", paramLabel = "BYTES", defaultValue = ServerSettings.Limits.DEFAULT_MAX_BUFFERED_TEXT,
            converter = BytesConverter.class,
            description = "Bytes all connections may hold in buffers (echoes a peer has not read, unfinished frames); "
                    + "past it the ones holding the most are closed. 64k, 128m, 1g (default: ${DEFAULT-VALUE}).")
    long maxBuffered;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = ServerSettings.Limits.DEFAULT_IDLE_TIMEOUT_TEXT,
            converter = DurationConverter.class,
            description = "Close a TCP connection silent this long; 0: never (default: ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(names = "--allow", paramLabel = "CIDR", split = ",",
            description = "Serve only TCP peers in these networks; repeatable, IPv4 and IPv6 (default: all).")
    List<String> allow = new ArrayList<>();

    @Option(names = "--deny", paramLabel = "CIDR", split = ",",
            description = "Refuse TCP peers in these networks, even when allowed; repeatable.")
    List<String> deny = new ArrayList<>();

    @Option(names = "--udp-min-source-port", paramLabel = "PORT",
            defaultValue = "" + ServerSettings.UdpGuard.DEFAULT_MIN_SOURCE_PORT,
            description = "No UDP reply to lower source ports (7 echo, 19 chargen...); 0: reply to all "
                    + "(default: ${DEFAULT-VALUE}).")
    int udpMinSourcePort;

    @Option(names = "--udp-rate-per-source", paramLabel = "N",
            defaultValue = "" + ServerSettings.UdpGuard.DEFAULT_RATE_PER_SOURCE,
            description = "UDP replies per second to one source address (a token bucket of one second); "
                    + "0: unlimited (default: ${DEFAULT-VALUE}).")
    int udpRatePerSource;

    @Option(names = "--udp-max-sources", paramLabel = "N",
            defaultValue = "" + ServerSettings.UdpGuard.DEFAULT_MAX_SOURCES,
            description = "Source addresses whose rate is tracked, least recent forgotten first "
                    + "(default: ${DEFAULT-VALUE}).")
    int udpMaxSources;

    @Option(names = "--admin", paramLabel = "HOST:PORT|off",
            defaultValue = ServerSettings.Admin.DEFAULT_HOST + ":" + ServerSettings.Admin.DEFAULT_PORT,
            description = "Admin HTTP listener for /metrics and /health, or off (default: ${DEFAULT-VALUE}).")
    String admin;

    @Mixin
    ConfigFileOption config;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "info",
            description = "trace, debug, info, warn, error or off (default: ${DEFAULT-VALUE}).")
    String logLevel;

    @Option(names = "--log-format", paramLabel = "text|json", defaultValue = "text",
            description = "Log lines as text or as JSON objects, one per line (default: ${DEFAULT-VALUE}).")
    String logFormat;

    @Option(names = "--log-file", paramLabel = "FILE",
            description = "Log to this file instead of stderr; rolls daily and at " + Logging.ROLL_SIZE
                    + ", keeps " + Logging.KEEP_DAYS + " days gzipped.")
    Path logFile;

    @Mixin // last: picocli lists -h and -V where it is declared
    StandardHelp help;

    private static final Logger log = LoggerFactory.getLogger(ServerCommand.class);

    /** The settings this command line asks for. */
    ServerSettings settings() {
        List<Cidr> allowed = cidrs("--allow", allow);
        List<Cidr> denied = cidrs("--deny", deny);
        ServerSettings.Admin adminEndpoint = adminEndpoint();
        List<Cidr> trusted = proxyTrusted.isEmpty() ? ServerSettings.ProxyProtocol.DEFAULT_TRUSTED
                : cidrs("--proxy-trusted", proxyTrusted);
        ServerSettings.Builder b = ServerSettings.builder()
                .bind(bind)
                .transport(transport)
                .drainTimeout(drainTimeout)
                .limits(valid(() -> new ServerSettings.Limits(maxConnections, maxConnectionsPerIp, idleTimeout,
                        allowed, denied, maxBuffered)))
                .udpGuard(valid(() -> new ServerSettings.UdpGuard(udpMinSourcePort, udpRatePerSource, udpMaxSources)))
                .admin(adminEndpoint)
                .proxyProtocol(valid(() -> new ServerSettings.ProxyProtocol(trusted, proxyHeaderTimeout)));
        if (ioThreads != null) {
            b.ioThreads(ioThreads);
        }
        if (tcp.isEmpty() && udp.isEmpty() && http.isEmpty() && https.isEmpty() && ws.isEmpty()) {
            b.tcp(ServerSettings.TcpListener.parse(String.valueOf(ServerSettings.DEFAULT_PORT)));
            b.udp(ServerSettings.DEFAULT_PORT);
        }
        tcp.forEach(b::tcp);
        udp.forEach(b::udp);
        return valid(() -> {
            int maxMessage = (int) Math.min(Integer.MAX_VALUE, wsMaxMessage);
            HttpEchoSettings echo = HttpEchoSettings.builder().headerTimeout(httpHeaderTimeout)
                    .minBodyRate(httpMinBodyRate).bodyBudget(httpBodyBudget).wsMaxMessage(maxMessage).build();
            http.forEach(spec -> b.http(ServerSettings.HttpListener.parse(spec, false, echo)));
            https.forEach(spec -> b.http(ServerSettings.HttpListener.parse(spec, true, echo)));
            ws.forEach(spec -> b.ws(ServerSettings.WsListener.parse(spec, maxMessage)));
            ServerSettings partial = b.tls(null).build0();
            boolean anyTls = partial.tcp().stream().anyMatch(ServerSettings.TcpListener::tls)
                    || partial.http().stream().anyMatch(ServerSettings.HttpListener::isTls)
                    || partial.ws().stream().anyMatch(ServerSettings.WsListener::tls);
            return b.tls(tlsSettings(anyTls)).build();
        });
    }

    /**
     * A settings record, built: the records check their values, and their {@link IllegalArgumentException}
     * (which names the bad value, {@code maxConnections must be > 0: 0}) is a usage error.
     */
    private static <T> T valid(Supplier<T> record) {
        try {
            return record.get();
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage(), Cli.EXIT_USAGE);
        }
    }

    /** The TLS of the TLS listeners; null when there are none. */
    private TlsSettings tlsSettings(boolean anyTls) {
        boolean given = tlsMode != null || !tlsCert.isEmpty() || !tlsKey.isEmpty() || tlsClientCa != null
                || tlsClientAuth != null;
        if (!anyTls) {
            if (given) {
                throw new IllegalArgumentException("the --tls options apply to TLS listeners: give --tcp PORT:FRAMING:tls,"
                        + " --https PORT or --ws PORT:PATH:tls");
            }
            return null;
        }
        List<Tls> certificates = TlsSettings.certificates(tlsMode, tlsCert, tlsKey);
        if (certificates.get(0) instanceof Tls.None) {
            throw new IllegalArgumentException("TLS listeners need --tls self-signed, or --tls-cert FILE and --tls-key FILE");
        }
        TlsSettings.ClientAuth auth = tlsClientAuth != null ? TlsSettings.ClientAuth.parse(tlsClientAuth)
                : tlsClientCa != null ? TlsSettings.ClientAuth.REQUIRE : TlsSettings.ClientAuth.NONE;
        return TlsSettings.of(certificates.get(0))
                .withSni(certificates.subList(1, certificates.size()).stream().map(t -> (Tls.PemFiles) t).toList())
                .withClientAuth(tlsClientCa, auth)
                .withProvider(TlsSettings.Provider.parse(tlsProvider))
                .withHandshakeTimeout(tlsHandshakeTimeout)
                .withReloadCheck(tlsReloadCheck);
    }

    private ServerSettings.Admin adminEndpoint() {
        if (admin.trim().equalsIgnoreCase("off")) {
            return null;
        }
        try {
            return ServerSettings.Admin.parse(admin);
        } catch (IllegalArgumentException e) {
            throw new UserException("--admin: " + e.getMessage(), Cli.EXIT_USAGE);
        }
    }

    private static List<Cidr> cidrs(String option, List<String> texts) {
        List<Cidr> result = new ArrayList<>();
        for (String text : texts) {
            try {
                result.add(Cidr.parse(text));
            } catch (IllegalArgumentException e) {
                throw new UserException(option + ": " + e.getMessage(), Cli.EXIT_USAGE);
            }
        }
        return result;
    }

    @Override
    public Integer call() {
        try {
            Logging.configure(Logging.parseLevel(logLevel), Logging.Format.parse(logFormat), logFile);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage(), Cli.EXIT_USAGE);
        }
        EchoServer server = new EchoServer(settings());
        try {
            server.start();
        } catch (ServerStartException e) {
            throw new UserException(e.getMessage(), Cli.EXIT_RUNTIME, e);
        }
        CountDownLatch stop = new CountDownLatch(1);
        try (StopSignals signals = StopSignals.install(signal -> stop.countDown());
             ReloadSignal reload = ReloadSignal.install(server::reloadTls)) {
            try {
                stop.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            log.info("stopping: draining connections (a second Ctrl-C stops at once)");
            server.stop(); // within the try: a second signal during the drain still halts
        }
        return Cli.EXIT_OK;
    }

    static final class TcpConverter implements ITypeConverter<ServerSettings.TcpListener> {
        @Override
        public ServerSettings.TcpListener convert(String value) {
            try {
                return ServerSettings.TcpListener.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class UdpConverter implements ITypeConverter<ServerSettings.UdpListener> {
        @Override
        public ServerSettings.UdpListener convert(String value) {
            try {
                return ServerSettings.UdpListener.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class BytesConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return ServerSettings.Limits.parseBytes(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
