package io.inetkit.server;


import io.inetkit.common.cli.DurationConverter;
import io.inetkit.common.framing.Framing;
import io.inetkit.common.transport.Transport;
import io.inetkit.common.net.Cidr;

import io.inetkit.server.http.HttpEchoSettings;
import io.inetkit.server.tls.Tls;
import io.inetkit.server.tls.TlsSettings;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What an {@link EchoServer} listens on and how it runs. Immutable; build with {@link #builder()}.
 *
 * <p>Defaults: bind {@value #DEFAULT_BIND}, no listeners (the command line adds TCP and UDP on
 * {@value #DEFAULT_PORT} when none is given), transport {@value #DEFAULT_TRANSPORT}, one I/O thread per core, a
 * drain timeout of {@value #DEFAULT_DRAIN_TIMEOUT_TEXT}, the {@linkplain Limits#DEFAULT default limits}, the {@linkplain UdpGuard#DEFAULT default
 * UDP guard}, and no admin listener (the command line opens one on {@code 127.0.0.1:9505}).
 *
 * <p>Over 300 lines on purpose: every setting of the server, its default and its check live here, in the
 * nested records (listeners, {@link Limits}, {@link UdpGuard}, {@link Admin}) and the {@link Builder}; most
 * of the length is their javadoc.
 *
 * @param bind         the address every echo listener binds
 * @param tcp          TCP echo listeners, each with its framing
 * @param udp          UDP echo listeners
 * @param transport    {@code auto}, {@code io_uring}, {@code epoll} or {@code nio}
 * @param ioThreads    event loop threads (and UDP sockets per UDP listener on epoll and io_uring)
 * @param drainTimeout how long {@link EchoServer#stop()} waits for connections to finish
 * @param limits       what a TCP connection must pass to be served
 * @param udpGuard     what a datagram must pass to be echoed
 * @param admin        the admin HTTP listener ({@code /metrics}, {@code /health}), or null for none
 * @param http         httpbin-style HTTP echo listeners, each cleartext or TLS; under the same limits as tcp
 * @param proxyProtocol whom the listeners that require a PROXY header trust, and how long they wait for it
 * @param tls          the certificates and TLS options of every TLS listener ({@code :tls}, {@code --https}); null
 *                     when there is none
 * @param ws           WebSocket echo listeners, each ws or wss; under the same limits as tcp
 */
public record ServerSettings(String bind, List<TcpListener> tcp, List<UdpListener> udp, String transport,
                             int ioThreads, Duration drainTimeout, Limits limits, UdpGuard udpGuard, Admin admin,
                             List<HttpListener> http, ProxyProtocol proxyProtocol, TlsSettings tls,
                             List<WsListener> ws) {

    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 5005;
    public static final String DEFAULT_TRANSPORT = "auto";
    public static final String DEFAULT_DRAIN_TIMEOUT_TEXT = "5s";
    public static final Duration DEFAULT_DRAIN_TIMEOUT = DurationConverter.parse(DEFAULT_DRAIN_TIMEOUT_TEXT);

    public ServerSettings {
        Objects.requireNonNull(bind, "bind");
        tcp = List.copyOf(tcp);
        udp = List.copyOf(udp);
        http = List.copyOf(http);
        ws = List.copyOf(ws);
        Transport.requireKnown(transport);
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(udpGuard, "udpGuard");
        Objects.requireNonNull(proxyProtocol, "proxyProtocol");
        if (ioThreads <= 0) {
            throw new IllegalArgumentException("ioThreads must be > 0: " + ioThreads);
        }
        if (drainTimeout.isNegative()) {
            throw new IllegalArgumentException("drainTimeout must not be negative: " + DurationConverter.format(drainTimeout));
        }
        if (tcp.isEmpty() && udp.isEmpty() && http.isEmpty() && ws.isEmpty()) {
            throw new IllegalArgumentException("no listener: give at least one TCP, UDP, HTTP or WebSocket port");
        }
        if (tls == null && (tcp.stream().anyMatch(TcpListener::tls) || http.stream().anyMatch(HttpListener::isTls)
                || ws.stream().anyMatch(WsListener::tls))) {
            throw new IllegalArgumentException("TLS listeners need --tls self-signed, or --tls-cert FILE and --tls-key FILE");
        }
    }

    /**
     * What a TCP connection must pass to be served. A refused connection is closed at once, counted in
     * {@code inetkit_connections_rejected_total{reason}} and logged at a rate-limited level.
     *
     * @param maxConnections      open connections over all TCP listeners (default {@value #DEFAULT_MAX_CONNECTIONS});
     *                            reason {@code max_connections}
     * @param maxConnectionsPerIp open connections from one peer address (default
     *                            {@value #DEFAULT_MAX_CONNECTIONS_PER_IP}); reason {@code max_connections_per_ip}
     * @param idleTimeout         a connection that neither reads nor writes this long is closed (default
     *                            {@value #DEFAULT_IDLE_TIMEOUT_TEXT}; zero: never)
     * @param allow               when not empty, only peers inside one of these networks are served; reason
     *                            {@code denied}
     * @param deny                peers inside one of these networks are refused, even when allowed; reason
     *                            {@code denied}
     * @param maxBuffered         bytes every connection together may hold in Netty buffers: echoes queued for a
     *                            peer that does not read them and decoders' unfinished frames (default
     *                            {@value #DEFAULT_MAX_BUFFERED_TEXT}); past it the connections holding the most
     *                            are closed, counted in {@code inetkit_connections_budget_closed_total}
     */
    public record Limits(int maxConnections, int maxConnectionsPerIp, Duration idleTimeout, List<Cidr> allow,
                         List<Cidr> deny, long maxBuffered) {

        public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
        public static final int DEFAULT_MAX_CONNECTIONS_PER_IP = 1_000;
        public static final String DEFAULT_IDLE_TIMEOUT_TEXT = "5m";
        public static final Duration DEFAULT_IDLE_TIMEOUT = DurationConverter.parse(DEFAULT_IDLE_TIMEOUT_TEXT);
        /**
         * Half of a 256 MiB direct memory: 1,000 peers that never read took 33 to 84 MiB of Netty memory
         * ({@code SlowReaderIT}), so the budget acts on more of them, or on frames far over the default MAX.
         */
        public static final String DEFAULT_MAX_BUFFERED_TEXT = "128m";
        public static final long DEFAULT_MAX_BUFFERED = parseBytes(DEFAULT_MAX_BUFFERED_TEXT);
        public static final Limits DEFAULT = new Limits(DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS_PER_IP,
                DEFAULT_IDLE_TIMEOUT, List.of(), List.of(), DEFAULT_MAX_BUFFERED);

        public Limits {
            if (maxConnections <= 0) {
                throw new IllegalArgumentException("maxConnections must be > 0: " + maxConnections);
            }
            if (maxConnectionsPerIp <= 0) {
                throw new IllegalArgumentException("maxConnectionsPerIp must be > 0: " + maxConnectionsPerIp);
            }
            if (idleTimeout.isNegative()) {
                throw new IllegalArgumentException("idleTimeout must not be negative: " + DurationConverter.format(idleTimeout));
            }
            allow = List.copyOf(allow);
            deny = List.copyOf(deny);
            if (maxBuffered <= 0) {
                throw new IllegalArgumentException("maxBuffered must be > 0: " + maxBuffered);
            }
        }

        /** The limits with the {@linkplain #DEFAULT_MAX_BUFFERED default buffer budget}. */
        public Limits(int maxConnections, int maxConnectionsPerIp, Duration idleTimeout, List<Cidr> allow,
                      List<Cidr> deny) {
            this(maxConnections, maxConnectionsPerIp, idleTimeout, allow, deny, DEFAULT_MAX_BUFFERED);
        }

        /**
         * Reads a byte count the way people type one: {@code 65536}, {@code 64k}, {@code 128m}, {@code 1g}
         * (binary units: k is 1024).
         *
         * @throws IllegalArgumentException naming the text
         */
        public static long parseBytes(String text) {
            String t = text.trim().toLowerCase(java.util.Locale.ROOT);
            int shift = switch (t.isEmpty() ? ' ' : t.charAt(t.length() - 1)) {
                case 'k' -> 10;
                case 'm' -> 20;
                case 'g' -> 30;
                default -> 0;
            };
            String number = shift == 0 ? t : t.substring(0, t.length() - 1).trim();
            try {
                long n = Long.parseLong(number);
                if (n < 0 || n > Long.MAX_VALUE >> shift) {
                    throw new NumberFormatException();
                }
                return n << shift;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad byte count '" + text + "': expected e.g. 65536, 64k, 128m, 1g");
            }
        }
    }

    /**
     * What a datagram must pass to be echoed: UDP echo is a classic reflection and amplification vector
     * (CERT CA-1996-01: spoofed echo ↔ chargen loops). A dropped datagram is counted in
     * {@code inetkit_udp_dropped_datagrams_total{reason}}. A reply is always the request's own bytes, so it is
     * never larger than the request.
     *
     * @param minSourcePort    datagrams from a lower source port get no reply (default {@value #DEFAULT_MIN_SOURCE_PORT},
     *                         which covers echo 7, chargen 19, daytime 13, qotd 17; 0: every port); reason
     *                         {@code source_port}
     * @param ratePerSource    datagrams per second echoed to one source address, a token bucket that holds one
     *                         second's worth (default {@value #DEFAULT_RATE_PER_SOURCE}; 0: unlimited); reason
     *                         {@code rate}
     * @param maxSources       source addresses whose buckets are remembered, least recently seen forgotten first
     *                         (default {@value #DEFAULT_MAX_SOURCES}): memory stays bounded under spoofed floods
     */
    public record UdpGuard(int minSourcePort, int ratePerSource, int maxSources) {

        public static final int DEFAULT_MIN_SOURCE_PORT = 1024;
        public static final int DEFAULT_RATE_PER_SOURCE = 1_000;
        public static final int DEFAULT_MAX_SOURCES = 65_536;
        public static final UdpGuard DEFAULT = new UdpGuard(DEFAULT_MIN_SOURCE_PORT, DEFAULT_RATE_PER_SOURCE,
                DEFAULT_MAX_SOURCES);

        public UdpGuard {
            if (minSourcePort < 0 || minSourcePort > 65535) {
                throw new IllegalArgumentException("minSourcePort must be 0..65535: " + minSourcePort);
            }
            if (ratePerSource < 0) {
                throw new IllegalArgumentException("ratePerSource must be >= 0: " + ratePerSource);
            }
            if (maxSources <= 0) {
                throw new IllegalArgumentException("maxSources must be > 0: " + maxSources);
            }
        }
    }

    /**
     * What a listener that requires a PROXY protocol header ({@code --tcp 5005:line:proxy},
     * {@code --http 8080:proxy}) expects of its peers: a load balancer inside {@code trusted} sends the header
     * (v1 text or v2 binary, "The PROXY protocol", haproxy.org) first on every connection, within
     * {@code headerTimeout}. Listeners without {@code :proxy} ignore this.
     *
     * @param trusted       balancers whose headers are believed (default {@link #DEFAULT_TRUSTED}: loopback); a
     *                      connection from elsewhere is refused at accept, reason {@code untrusted_proxy}
     * @param headerTimeout how long a connection may take to send its whole header (default
     *                      {@value #DEFAULT_HEADER_TIMEOUT_TEXT}); reason {@code proxy_header_timeout}
     */
    public record ProxyProtocol(List<Cidr> trusted, Duration headerTimeout) {

        /** Loopback only: a balancer on another host must be named, or anyone could claim any address. */
        public static final String DEFAULT_TRUSTED_TEXT = "127.0.0.0/8,::1/128";
        public static final List<Cidr> DEFAULT_TRUSTED = Arrays.stream(DEFAULT_TRUSTED_TEXT.split(","))
                .map(Cidr::parse).toList();
        /** A balancer sends the header with its first bytes; a client that has not in 5 s is not a balancer. */
        public static final String DEFAULT_HEADER_TIMEOUT_TEXT = "5s";
        public static final Duration DEFAULT_HEADER_TIMEOUT = DurationConverter.parse(DEFAULT_HEADER_TIMEOUT_TEXT);
        public static final ProxyProtocol DEFAULT = new ProxyProtocol(DEFAULT_TRUSTED, DEFAULT_HEADER_TIMEOUT);

        public ProxyProtocol {
            trusted = List.copyOf(trusted);
            if (trusted.isEmpty()) {
                throw new IllegalArgumentException("trusted must name at least one network: no balancer could connect");
            }
            if (headerTimeout.isNegative() || headerTimeout.isZero()) {
                throw new IllegalArgumentException("--proxy-header-timeout must be > 0: " + DurationConverter.format(headerTimeout));
            }
        }

        /** True when {@code balancer} may send a PROXY header. */
        public boolean trusts(InetAddress balancer) {
            return trusted.stream().anyMatch(c -> c.contains(balancer));
        }
    }

    /**
     * Where the admin HTTP listener binds: {@code 127.0.0.1:9505} by default on the command line (loopback:
     * metrics are for the operator, not the world).
     */
    public record Admin(String host, int port) {

        public static final String DEFAULT_HOST = "127.0.0.1";
        public static final int DEFAULT_PORT = 9505;

        public Admin {
            Objects.requireNonNull(host, "host");
            checkPort(port);
        }

        /** Parses {@code HOST:PORT}, {@code [IPV6]:PORT} or {@code PORT} (on {@value #DEFAULT_HOST}). */
        public static Admin parse(String text) {
            String t = text.trim();
            int colon = t.lastIndexOf(':');
            if (colon < 0) {
                return new Admin(DEFAULT_HOST, parsePort(t, text));
            }
            String host = t.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            } else if (host.contains(":")) {
                throw new IllegalArgumentException("bad admin address '" + text + "': write IPv6 as [ADDR]:PORT");
            }
            if (host.isEmpty()) {
                throw new IllegalArgumentException("bad admin address '" + text + "': expected HOST:PORT or off");
            }
            return new Admin(host, parsePort(t.substring(colon + 1), text));
        }

        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A TCP echo listener: a port (0 for any free one), the framing of its frames, whether each connection
     * starts with a PROXY protocol header ({@link ProxyProtocol}), and whether it speaks TLS (after the PROXY
     * header, before the framing: {@link ServerSettings#tls()}).
     */
    public record TcpListener(int port, Framing framing, boolean proxy, boolean tls) {
        public TcpListener {
            checkPort(port);
            Objects.requireNonNull(framing, "framing");
        }

        /** A listener without PROXY header. */
        public TcpListener(int port, Framing framing) {
            this(port, framing, false, false);
        }

        /**
         * Parses {@code PORT[:FRAMING][:proxy][:tls]}, e.g. {@code 5005}, {@code 5006:line}, {@code 5008:length:4:65536},
         * {@code 5006:line:proxy}, {@code 5005:proxy} (raw), {@code 5443:line:tls}, {@code 5443:tls} (raw over TLS),
         * {@code 5443:line:proxy:tls}.
         */
        public static TcpListener parse(String text) {
            Suffixes suffixes = Suffixes.of(text);
            String spec = suffixes.rest();
            int colon = spec.indexOf(':');
            String port = colon < 0 ? spec : spec.substring(0, colon);
            Framing framing = colon < 0 ? new Framing.Raw() : Framing.parse(spec.substring(colon + 1));
            return new TcpListener(parsePort(port, text), framing, suffixes.proxy(), suffixes.tls());
        }

        @Override
        public String toString() {
            return port + ":" + framing.spec() + (proxy ? PROXY_SUFFIX : "") + (tls ? TLS_SUFFIX : "");
        }
    }

    /** What a listener's spec ends with when it speaks TLS: {@code --tcp 5443:line:tls}; last, or before :proxy. */
    public static final String TLS_SUFFIX = ":tls";

    /** The {@code :proxy} and {@code :tls} that end a listener's spec, in either order, and what comes before. */
    private record Suffixes(String rest, boolean proxy, boolean tls) {
        static Suffixes of(String text) {
            String rest = text.trim();
            boolean proxy = false;
            boolean tls = false;
            for (int i = 0; i < 2; i++) {
                if (!proxy && endsWith(rest, PROXY_SUFFIX)) {
                    proxy = true;
                    rest = rest.substring(0, rest.length() - PROXY_SUFFIX.length());
                } else if (!tls && endsWith(rest, TLS_SUFFIX)) {
                    tls = true;
                    rest = rest.substring(0, rest.length() - TLS_SUFFIX.length());
                }
            }
            return new Suffixes(rest, proxy, tls);
        }

        private static boolean endsWith(String text, String suffix) {
            return text.regionMatches(true, Math.max(0, text.length() - suffix.length()), suffix, 0, suffix.length());
        }
    }

    /**
     * What a listener's spec ends with when it requires a PROXY header: {@code --tcp 5005:line:proxy},
     * {@code --http 8080:proxy}, {@code --https 8443:proxy}. Always the last part, so a framing's own parts
     * are never mistaken for it (a delimiter spelled {@code proxy} needs its MAX: {@code delimiter:proxy:8192}).
     */
    public static final String PROXY_SUFFIX = ":proxy";

    /** A UDP echo listener on a port (0 for any free one). */
    public record UdpListener(int port) {
        public UdpListener {
            checkPort(port);
        }

        public static UdpListener parse(String text) {
            return new UdpListener(parsePort(text, text));
        }
    }

    private static int parsePort(String port, String whole) {
        try {
            return Integer.parseInt(port.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port '" + port + "' in '" + whole + "'");
        }
    }

    private static void checkPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
    }

    /**
     * An httpbin-style HTTP echo listener ({@code /ip}, {@code /get}, {@code /status/418}, ...): cleartext
     * HTTP/1.1 and h2c, or with TLS HTTPS and HTTP/2 by ALPN. Its connections pass the same {@link Limits} as
     * the TCP echo's; {@code echo} bounds what one request may ask for.
     *
     * @param port a port, 0 for any free one
     * @param tls  HTTPS (with the server's {@link ServerSettings#tls()}); false for cleartext
     * @param echo the request limits (default {@link HttpEchoSettings#DEFAULT})
     * @param proxy each connection starts with a PROXY protocol header ({@link ProxyProtocol}), before TLS
     */
    public record HttpListener(int port, boolean tls, HttpEchoSettings echo, boolean proxy) {
        public HttpListener {
            checkPort(port);
            Objects.requireNonNull(echo, "echo");
        }

        /** The listener without PROXY header. */
        public HttpListener(int port, boolean tls, HttpEchoSettings echo) {
            this(port, tls, echo, false);
        }

        /** Parses {@code PORT[:proxy][:tls]}: {@code 8080}, {@code 8080:proxy}; {@code :tls} (or {@code tls}) makes it HTTPS. */
        public static HttpListener parse(String text, boolean tls, HttpEchoSettings echo) {
            Suffixes suffixes = Suffixes.of(text);
            return new HttpListener(parsePort(suffixes.rest(), text), tls || suffixes.tls(), echo, suffixes.proxy());
        }

        /** The listener on {@code port} with every request limit at its default. */
        public HttpListener(int port, boolean tls) {
            this(port, tls, HttpEchoSettings.DEFAULT);
        }

        public boolean isTls() {
            return tls;
        }
    }

    /**
     * A WebSocket echo listener (RFC 6455): every text and binary message comes back as a message of the same
     * type and bytes ({@code server.ws.WebSocketProtocol}).
     *
     * @param port       a port, 0 for any free one
     * @param path       where the upgrade is taken, and below it ({@value #DEFAULT_PATH} takes every path)
     * @param maxMessage the largest message, fragments reassembled and permessage-deflate inflated, in bytes
     *                   (default {@value #DEFAULT_MAX_MESSAGE_TEXT}); a larger one is closed with 1009
     * @param proxy      each connection starts with a PROXY protocol header ({@link ProxyProtocol}), before TLS
     * @param tls        wss (with the server's {@link ServerSettings#tls()}); false for ws
     */
    public record WsListener(int port, String path, int maxMessage, boolean proxy, boolean tls) {

        public static final String DEFAULT_PATH = "/";
        public static final String DEFAULT_MAX_MESSAGE_TEXT = "1m";
        public static final int DEFAULT_MAX_MESSAGE = (int) Limits.parseBytes(DEFAULT_MAX_MESSAGE_TEXT);

        public WsListener {
            checkPort(port);
            Objects.requireNonNull(path, "path");
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("a WebSocket path starts with /: '" + path + "'");
            }
            if (maxMessage < 126) {
                // 125 bytes is the largest control frame; a message limit below it would refuse pings' echoes
                throw new IllegalArgumentException("--ws-max-message must be >= 126: " + maxMessage);
            }
        }

        /**
         * Parses {@code PORT[:PATH][:proxy][:tls]}: {@code 8080}, {@code 8080:/echo}, {@code 8443:/echo:tls},
         * {@code 8080:proxy}; {@code maxMessage} is the server's {@code --ws-max-message}.
         */
        public static WsListener parse(String text, int maxMessage) {
            Suffixes suffixes = Suffixes.of(text);
            String spec = suffixes.rest();
            int colon = spec.indexOf(':');
            String port = colon < 0 ? spec : spec.substring(0, colon);
            String path = colon < 0 ? DEFAULT_PATH : spec.substring(colon + 1);
            return new WsListener(parsePort(port, text), path, maxMessage, suffixes.proxy(), suffixes.tls());
        }

        /** A ws listener on {@code port} taking every path, with the default message limit. */
        public WsListener(int port) {
            this(port, DEFAULT_PATH, DEFAULT_MAX_MESSAGE, false, false);
        }
    }

    /** Builds {@link ServerSettings}; every setting starts at its default. */
    public static final class Builder {
        private String bind = DEFAULT_BIND;
        private final List<TcpListener> tcp = new ArrayList<>();
        private final List<UdpListener> udp = new ArrayList<>();
        private final List<HttpListener> http = new ArrayList<>();
        private final List<WsListener> ws = new ArrayList<>();
        private String transport = DEFAULT_TRANSPORT;
        private int ioThreads = Runtime.getRuntime().availableProcessors();
        private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;
        private Limits limits = Limits.DEFAULT;
        private UdpGuard udpGuard = UdpGuard.DEFAULT;
        private Admin admin;
        private ProxyProtocol proxyProtocol = ProxyProtocol.DEFAULT;
        private TlsSettings tls;

        private Builder() {
        }

        public Builder bind(String bind) {
            this.bind = bind;
            return this;
        }

        public Builder tcp(int port, Framing framing) {
            return tcp(new TcpListener(port, framing));
        }

        public Builder tcp(TcpListener listener) {
            tcp.add(listener);
            return this;
        }

        public Builder udp(int port) {
            return udp(new UdpListener(port));
        }

        public Builder udp(UdpListener listener) {
            udp.add(listener);
            return this;
        }

        /**
         * An httpbin-style HTTP echo listener: cleartext ({@code Tls.none()}) or HTTPS, whose certificate
         * becomes the server's {@link #tls} unless one was set.
         */
        public Builder http(int port, Tls tls) {
            if (!(tls instanceof Tls.None) && this.tls == null) {
                this.tls = TlsSettings.of(tls);
            }
            return http(new HttpListener(port, !(tls instanceof Tls.None)));
        }

        /** The TLS of every TLS listener; null (the default) for none. */
        public Builder tls(TlsSettings tls) {
            this.tls = tls;
            return this;
        }

        public Builder http(HttpListener listener) {
            http.add(listener);
            return this;
        }

        public Builder ws(WsListener listener) {
            ws.add(listener);
            return this;
        }

        public Builder transport(String transport) {
            this.transport = transport;
            return this;
        }

        public Builder ioThreads(int ioThreads) {
            this.ioThreads = ioThreads;
            return this;
        }

        public Builder drainTimeout(Duration drainTimeout) {
            this.drainTimeout = drainTimeout;
            return this;
        }

        public Builder limits(Limits limits) {
            this.limits = limits;
            return this;
        }

        public Builder udpGuard(UdpGuard udpGuard) {
            this.udpGuard = udpGuard;
            return this;
        }

        /** The admin HTTP listener; null (the default here) for none. */
        public Builder admin(Admin admin) {
            this.admin = admin;
            return this;
        }

        public Builder proxyProtocol(ProxyProtocol proxyProtocol) {
            this.proxyProtocol = proxyProtocol;
            return this;
        }

        /** The settings without the TLS check (every TLS listener needs {@link #tls}): what the command line inspects. */
        public ServerSettings build0() {
            TlsSettings saved = tls;
            tls = saved != null ? saved : TlsSettings.of(Tls.selfSigned());
            try {
                return build();
            } finally {
                tls = saved;
            }
        }

        public ServerSettings build() {
            return new ServerSettings(bind, tcp, udp, transport, ioThreads, drainTimeout, limits, udpGuard, admin, http,
                    proxyProtocol, tls, ws);
        }
    }
}
