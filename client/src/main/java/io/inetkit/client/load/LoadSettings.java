package io.inetkit.client.load;

import io.inetkit.client.EndpointOptions;
import io.inetkit.client.ProxyHeaderSender;
import io.inetkit.client.RunOptions;
import io.inetkit.common.cli.DurationConverter;
import io.inetkit.common.framing.Framing;
import io.inetkit.common.net.Cidr;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.util.NetUtil;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What one load run does. Immutable; built by {@link LoadCommand} or with {@link #builder(InetSocketAddress)}.
 *
 * <p>Closed loop when {@code rate} is 0 (each connection keeps {@code pipeline} messages in flight);
 * open loop otherwise ({@code rate} messages/s in total, on a fixed schedule).
 *
 * @param target         the server
 * @param connections    TCP connections, or connected UDP sockets (default 10)
 * @param connectRate    new connections per second, 0 for as fast as possible (at most 256 connects in flight)
 * @param sourceIps      local addresses the connections spread over, round-robin; empty for the kernel's choice
 * @param pipeline       closed loop: messages in flight per connection (default 1)
 * @param rate           open loop: messages per second in total; 0 for closed loop
 * @param duration       the measured time (default 10 s)
 * @param warmup         load before measuring (default 1 s)
 * @param size           payload bytes per message (default 64); ignored with {@code message}
 * @param message        a fixed payload, or null for the generated, sequence-tagged pattern
 * @param framing        the server's framing (default raw)
 * @param udp            datagrams instead of TCP
 * @param threads        event loop threads (default: one per core)
 * @param timeout        TCP: an echo later than this is a timeout error; UDP: a datagram is lost after this
 * @param connectTimeout how long a connect may take
 * @param pass           what the run must show for exit 0: errors, echo rate, UDP loss
 * @param transport      {@code auto}, {@code io_uring}, {@code epoll} or {@code nio}
 * @param progress       print live progress once a second
 * @param progressInPlace rewrite one progress line in place (stderr is a terminal) instead of a line a second
 * @param hdrLog         HdrHistogram interval log to write, or null
 * @param proxyProtocol  TCP: each connection sends a PROXY header of this version first; null (default) for none
 * @param proxySources   the network the headers' synthetic clients come from, one address per connection in
 *                       turn (with {@code proxyProtocol}); nothing is sent to them
 * @param tls            TCP: the TLS client context, or null (default) for cleartext
 * @param serverName     with TLS: the SNI name sent and verified, or null
 * @param tlsResume      with TLS: offer the last session again on a new connection (tickets or IDs)
 * @param reconnect      TCP: a connection closes and a new one (a new handshake) takes its place every this many
 *                       messages; 0 (default) for never. In the open loop the messages that fall due meanwhile
 *                       wait for the new connection, and their latency, from the intended send time, shows it
 * @param webSocket      a {@code ws://} or {@code wss://} target: each message is one WebSocket message; or null
 * @param http           an {@code http://} or {@code https://} target: each message is one request; or null
 */
record LoadSettings(InetSocketAddress target, int connections, double connectRate, List<InetAddress> sourceIps,
                    int pipeline, double rate, Duration duration, Duration warmup, int size, byte[] message,
                    Framing framing, boolean udp, int threads, Duration timeout, Duration connectTimeout,
                    PassCriteria pass, String transport, boolean progress, boolean progressInPlace,
                    Path hdrLog, HAProxyProtocolVersion proxyProtocol, Cidr proxySources,
                    io.netty.handler.ssl.SslContext tls, String serverName, boolean tlsResume, int reconnect,
                    WebSocket webSocket, HttpLoad http) {

    /**
     * A WebSocket run ({@code inetkit load ws://HOST:PORT/PATH}): a connection is up once its upgrade is done, and
     * every message is one frame, its payload the run's message, and its echo a message of the same type.
     *
     * @param url     where (the target is its host and port)
     * @param text    text messages (the generated payload is ASCII); else binary (default)
     * @param deflate offer permessage-deflate (RFC 7692) in the upgrade
     */
    record WebSocket(io.inetkit.client.ws.WsUrl url, boolean text, boolean deflate) {
        WebSocket {
            Objects.requireNonNull(url, "url");
        }
    }

    static final int DEFAULT_CONNECTIONS = 10;
    static final int DEFAULT_CONNECT_RATE = 0;
    static final int DEFAULT_PIPELINE = 1;
    static final int DEFAULT_RATE = 0;
    static final String DEFAULT_DURATION_TEXT = "10s";
    static final Duration DEFAULT_DURATION = DurationConverter.parse(DEFAULT_DURATION_TEXT);
    static final String DEFAULT_WARMUP_TEXT = "1s";
    static final Duration DEFAULT_WARMUP = DurationConverter.parse(DEFAULT_WARMUP_TEXT);
    static final int DEFAULT_SIZE = 64;
    static final String DEFAULT_TCP_TIMEOUT_TEXT = "5s";
    static final Duration DEFAULT_TCP_TIMEOUT = DurationConverter.parse(DEFAULT_TCP_TIMEOUT_TEXT);
    static final String DEFAULT_UDP_TIMEOUT_TEXT = "200ms";
    static final Duration DEFAULT_UDP_TIMEOUT = DurationConverter.parse(DEFAULT_UDP_TIMEOUT_TEXT);
    static final String DEFAULT_CONNECT_TIMEOUT_TEXT = "5s";
    static final Duration DEFAULT_CONNECT_TIMEOUT = DurationConverter.parse(DEFAULT_CONNECT_TIMEOUT_TEXT);

    LoadSettings {
        Objects.requireNonNull(target, "target");
        sourceIps = List.copyOf(sourceIps);
        Objects.requireNonNull(framing, "framing");
        check(connections > 0, "--connections must be > 0: " + connections);
        check(connectRate >= 0, "--connect-rate must be >= 0: " + connectRate);
        check(pipeline > 0, "--pipeline must be > 0: " + pipeline);
        check(rate >= 0, "--rate must be >= 0: " + rate);
        check(!duration.isNegative() && !duration.isZero(), "--duration must be > 0: " + DurationConverter.format(duration));
        check(!warmup.isNegative(), "--warmup must not be negative: " + DurationConverter.format(warmup));
        check(message != null || size > 0, "--size must be > 0: " + size);
        check(threads > 0, "--threads must be > 0: " + threads);
        check(!timeout.isNegative() && !timeout.isZero(), "--timeout must be > 0: " + DurationConverter.format(timeout));
        check(!connectTimeout.isNegative() && !connectTimeout.isZero(),
                "--connect-timeout must be > 0: " + DurationConverter.format(connectTimeout));
        Objects.requireNonNull(pass, "pass");
        check((proxyProtocol == null) == (proxySources == null),
                "--proxy-protocol and --proxy-sources go together: the headers name sources from that network");
        check(proxyProtocol == null || !udp, "--proxy-protocol is for TCP: a PROXY header starts a connection");
        check(reconnect >= 0, "--reconnect N must be >= 1: " + reconnect);
        check(reconnect == 0 || !udp, "--reconnect is for TCP: UDP has no connection (and no handshake) to renew");
        check(tls == null || !udp, "--tls is for TCP: not with --udp");
        check(webSocket == null || !udp, "a ws:// URL is a TCP connection: not with --udp");
        check(http == null || !udp, "an http:// URL is a TCP connection: not with --udp");
        check(http == null || framing instanceof Framing.Raw, "--framing is for HOST PORT: HTTP frames its own messages");
        check(http == null || http.secure() == (tls != null),
                "--tls with an http:// URL: use https:// for HTTP over TLS");
        check(http == null || message == null, "--message is for echo servers: an HTTP request's body is --data");
        check(webSocket == null || framing instanceof Framing.Raw,
                "--framing is for HOST PORT: a WebSocket frames its own messages");
        check(webSocket == null || webSocket.url().secure() == (tls != null),
                "--tls with a ws:// URL: use wss:// for WebSocket over TLS");
        check(proxySources == null || (proxySources.network() instanceof Inet4Address) == (target.getAddress()
                instanceof Inet4Address), "--proxy-sources " + proxySources + " and the server "
                + NetUtil.toAddressString(target.getAddress()) + " are not of one address family: a PROXY header has one");
        if (udp) {
            int s = message != null ? message.length : size;
            check(s <= 65507, "a UDP datagram carries at most 65507 bytes: --size " + s);
            check(message != null || size >= 8, "--udp needs --size of at least 8 (the tag that matches echoes)");
        }
        if (threads > connections) {
            threads = connections;
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The first port of the synthetic clients; the ports below are the well-known and registered few. */
    static final int PROXY_FIRST_PORT = 1024;

    /**
     * The PROXY header of connection {@code index}, or null: the {@code index}-th address of {@code proxySources}
     * (so up to the network's size, every connection is another client) and a port counting up from
     * {@value #PROXY_FIRST_PORT}.
     */
    ProxyHeaderSender proxyHeader(int index) {
        if (proxyProtocol == null) {
            return null;
        }
        int port = PROXY_FIRST_PORT + index % (65536 - PROXY_FIRST_PORT);
        return new ProxyHeaderSender(proxyProtocol, new InetSocketAddress(proxySources.address(index), port));
    }

    boolean openLoop() {
        return rate > 0;
    }

    String mode() {
        return (udp ? "udp" : webSocket != null ? "ws" : http != null ? "http" : "tcp") + (openLoop() ? "-open" : "-closed");
    }

    static Builder builder(InetSocketAddress target) {
        return new Builder(target);
    }

    /** Builds {@link LoadSettings}; every setting starts at its default. */
    static final class Builder {
        private final InetSocketAddress target;
        private int connections = DEFAULT_CONNECTIONS;
        private double connectRate = DEFAULT_CONNECT_RATE;
        private List<InetAddress> sourceIps = List.of();
        private int pipeline = DEFAULT_PIPELINE;
        private double rate = DEFAULT_RATE;
        private Duration duration = DEFAULT_DURATION;
        private Duration warmup = DEFAULT_WARMUP;
        private int size = DEFAULT_SIZE;
        private byte[] message;
        private Framing framing = Framing.parse(EndpointOptions.DEFAULT_FRAMING);
        private boolean udp;
        private int threads = Runtime.getRuntime().availableProcessors();
        private Duration timeout;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private PassCriteria pass = PassCriteria.DEFAULT;
        private String transport = RunOptions.DEFAULT_TRANSPORT;
        private boolean progress = true;
        private boolean progressInPlace;
        private Path hdrLog;
        private HAProxyProtocolVersion proxyProtocol;
        private Cidr proxySources;
        private io.netty.handler.ssl.SslContext tls;
        private String serverName;
        private boolean tlsResume;
        private int reconnect;

        private Builder(InetSocketAddress target) {
            this.target = target;
        }

        Builder connections(int v) { connections = v; return this; }
        Builder connectRate(double v) { connectRate = v; return this; }
        Builder sourceIps(List<InetAddress> v) { sourceIps = v; return this; }
        Builder pipeline(int v) { pipeline = v; return this; }
        Builder rate(double v) { rate = v; return this; }
        Builder duration(Duration v) { duration = v; return this; }
        Builder warmup(Duration v) { warmup = v; return this; }
        Builder size(int v) { size = v; return this; }
        Builder message(byte[] v) { message = v; return this; }
        Builder framing(Framing v) { framing = v; return this; }
        Builder udp(boolean v) { udp = v; return this; }
        Builder threads(int v) { threads = v; return this; }
        Builder timeout(Duration v) { timeout = v; return this; }
        Builder connectTimeout(Duration v) { connectTimeout = v; return this; }
        Builder pass(PassCriteria v) { pass = v; return this; }
        Builder transport(String v) { transport = v; return this; }
        Builder progress(boolean v) { progress = v; return this; }
        Builder progressInPlace(boolean v) { progressInPlace = v; return this; }
        Builder hdrLog(Path v) { hdrLog = v; return this; }
        Builder proxy(HAProxyProtocolVersion version, Cidr sources) { proxyProtocol = version; proxySources = sources; return this; }
        Builder tls(io.netty.handler.ssl.SslContext context, String name, boolean resume) { tls = context; serverName = name; tlsResume = resume; return this; }
        Builder reconnect(int v) { reconnect = v; return this; }
        Builder webSocket(WebSocket v) { webSocket = v; return this; }
        private WebSocket webSocket;
        Builder http(HttpLoad v) { http = v; return this; }
        private HttpLoad http;

        LoadSettings build() {
            Duration t = timeout != null ? timeout : udp ? DEFAULT_UDP_TIMEOUT : DEFAULT_TCP_TIMEOUT;
            return new LoadSettings(target, connections, connectRate, sourceIps, pipeline, rate, duration, warmup,
                    size, message, framing, udp, threads, t, connectTimeout, pass, transport, progress, progressInPlace, hdrLog,
                    proxyProtocol, proxySources, tls, serverName, tlsResume, reconnect, webSocket, http);
        }
    }
}
