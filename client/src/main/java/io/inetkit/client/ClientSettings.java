package io.inetkit.client;

import io.inetkit.common.cli.DurationConverter;
import io.inetkit.common.framing.Framing;

import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * What one {@code inetkit client} run does. Immutable; built with {@link #builder(String, int)}, every
 * other setting starting at its default.
 *
 * @param host      the server's host name or address
 * @param port      the server's port, 1..65535
 * @param framing   the server's framing (TCP; default raw); ignored for UDP, where a datagram is a message
 * @param message   the one-shot message, or null for interactive mode
 * @param count     how many times the one-shot message is sent, each after the previous echo (default 1)
 * @param interval  the one-shot's wait after an echo before the next send, as ping's {@code -i} (default 0s)
 * @param timeout   how long to wait for a connection and for each echo (default 5s)
 * @param udp       datagrams instead of a TCP connection
 * @param retries   UDP: how many times a datagram is sent again when no echo comes within the timeout (default 2)
 * @param transport {@code auto} (default), {@code io_uring}, {@code epoll} or {@code nio}
 * @param mode      talk to a server (default), only check that its port is open, or listen as one
 * @param idleTimeout interactive and listen modes: close a connection this long without traffic either way;
 *                  zero (the default): never
 * @param hex       show what comes back as a hex dump instead of as it is
 * @param verbose   connection details on stderr
 * @param keepOpen  listen mode: take connection after connection, instead of ending after the first
 * @param echoBack  listen mode: echo what arrives, besides printing it
 * @param proxyProtocol TCP: a PROXY header of this version first, or null (default) for none
 * @param proxySource   the client that header names (with {@code proxyProtocol})
 * @param tls       TCP: the TLS client context, or null (default) for cleartext
 * @param serverName with TLS: the name sent by SNI and verified, or null (an IP address: verified as such)
 * @param webSocket  a {@code ws://} or {@code wss://} URL instead of HOST PORT: messages over a WebSocket; or null
 */
record ClientSettings(String host, int port, Framing framing, byte[] message, int count, Duration interval,
                      Duration timeout, boolean udp, int retries, String transport, Mode mode,
                      Duration idleTimeout, boolean hex, boolean verbose, boolean keepOpen, boolean echoBack,
                      HAProxyProtocolVersion proxyProtocol, InetSocketAddress proxySource,
                      io.netty.handler.ssl.SslContext tls, String serverName, WebSocket webSocket) {

    /**
     * A WebSocket run ({@code inetkit client ws://HOST:PORT/PATH}).
     *
     * @param url        where
     * @param binary     send binary messages; else text ones (a --file that is not UTF-8 goes as binary anyway)
     * @param deflate    offer permessage-deflate (RFC 7692)
     * @param maxMessage the largest message taken from the server, in bytes
     */
    record WebSocket(io.inetkit.client.ws.WsUrl url, boolean binary, boolean deflate, int maxMessage) {
        /** The server's own default limit (--ws-max-message 1m): what it echoes at most. */
        static final int DEFAULT_MAX_MESSAGE = 1 << 20;

        WebSocket {
            Objects.requireNonNull(url, "url");
            if (maxMessage < 1) {
                throw new IllegalArgumentException("--max-message must be > 0: " + maxMessage);
            }
        }
    }

    /** What a run does: nc's default, {@code -z} and {@code -l}. */
    enum Mode { CONNECT, CHECK_PORT, LISTEN }

    static final int DEFAULT_COUNT = 1;
    static final String DEFAULT_TIMEOUT_TEXT = "5s";
    static final Duration DEFAULT_TIMEOUT = DurationConverter.parse(DEFAULT_TIMEOUT_TEXT);
    static final int DEFAULT_RETRIES = 2;
    static final String DEFAULT_INTERVAL_TEXT = "0s";
    static final String DEFAULT_IDLE_TIMEOUT_TEXT = "0s";
    static final Duration DEFAULT_IDLE_TIMEOUT = DurationConverter.parse(DEFAULT_IDLE_TIMEOUT_TEXT);
    /** Listen mode without a HOST: loopback, as the server's own default. */
    static final String DEFAULT_LISTEN_HOST = "127.0.0.1";
    static final Duration DEFAULT_INTERVAL = DurationConverter.parse(DEFAULT_INTERVAL_TEXT);

    ClientSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(framing, "framing");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (idleTimeout.isNegative()) {
            throw new IllegalArgumentException("-w must not be negative: " + DurationConverter.format(idleTimeout));
        }
        if (mode != Mode.CONNECT && message != null) {
            throw new IllegalArgumentException(mode == Mode.LISTEN ? "-l listens: it sends no --message or --file"
                    : "-z only checks the port: it sends no --message or --file");
        }
        if (mode != Mode.LISTEN && (keepOpen || echoBack)) {
            throw new IllegalArgumentException((keepOpen ? "-k" : "--echo") + " goes with -l");
        }
        Objects.requireNonNull(transport, "transport");
        if (port < (mode == Mode.LISTEN ? 0 : 1) || port > 65535) { // -l 0: any free port, printed
            throw new IllegalArgumentException("PORT must be 1..65535: " + port);
        }
        if (count <= 0) {
            throw new IllegalArgumentException("--count must be > 0: " + count);
        }
        if (interval.isNegative()) {
            throw new IllegalArgumentException("--interval must not be negative: " + DurationConverter.format(interval));
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("--timeout must be > 0: " + DurationConverter.format(timeout));
        }
        if (retries < 0) {
            throw new IllegalArgumentException("--retries must be >= 0: " + retries);
        }
        if ((proxyProtocol == null) != (proxySource == null)) {
            throw new IllegalArgumentException("--proxy-protocol and --proxy-source go together: the header names a source");
        }
        if (webSocket != null && (udp || mode != Mode.CONNECT || proxyProtocol != null)) {
            throw new IllegalArgumentException("a ws:// URL is a TCP connection of its own: not with -u, -z, -l or "
                    + "--proxy-protocol");
        }
        if (proxyProtocol != null && udp) {
            throw new IllegalArgumentException("--proxy-protocol is for TCP: a PROXY header starts a connection");
        }
    }

    /** The PROXY header to send first, or null. */
    ProxyHeaderSender proxyHeader() {
        return proxyProtocol == null ? null : new ProxyHeaderSender(proxyProtocol, proxySource);
    }

    boolean interactive() {
        return message == null;
    }

    boolean hasIdleTimeout() {
        return !idleTimeout.isZero();
    }

    static Builder builder(String host, int port) {
        return new Builder(host, port);
    }

    /** Builds {@link ClientSettings}; every setting starts at its default. */
    static final class Builder {
        private final String host;
        private final int port;
        private Framing framing = new Framing.Raw();
        private byte[] message;
        private int count = DEFAULT_COUNT;
        private Duration interval = DEFAULT_INTERVAL;
        private Duration timeout = DEFAULT_TIMEOUT;
        private boolean udp;
        private int retries = DEFAULT_RETRIES;
        private String transport = RunOptions.DEFAULT_TRANSPORT;
        private Mode mode = Mode.CONNECT;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private boolean hex;
        private boolean verbose;
        private boolean keepOpen;
        private boolean echoBack;
        private HAProxyProtocolVersion proxyProtocol;
        private InetSocketAddress proxySource;

        private Builder(String host, int port) {
            this.host = host;
            this.port = port;
        }

        Builder framing(Framing v) {
            framing = v;
            return this;
        }

        Builder message(byte[] v) {
            message = v;
            return this;
        }

        Builder count(int v) {
            count = v;
            return this;
        }

        Builder interval(Duration v) {
            interval = v;
            return this;
        }

        Builder timeout(Duration v) {
            timeout = v;
            return this;
        }

        Builder udp(boolean v) {
            udp = v;
            return this;
        }

        Builder retries(int v) {
            retries = v;
            return this;
        }

        Builder transport(String v) {
            transport = v;
            return this;
        }

        Builder mode(Mode v) {
            mode = v;
            return this;
        }

        Builder idleTimeout(Duration v) {
            idleTimeout = v;
            return this;
        }

        Builder hex(boolean v) {
            hex = v;
            return this;
        }

        Builder verbose(boolean v) {
            verbose = v;
            return this;
        }

        Builder keepOpen(boolean v) {
            keepOpen = v;
            return this;
        }

        private io.netty.handler.ssl.SslContext tls;
        private String serverName;

        Builder echoBack(boolean v) {
            echoBack = v;
            return this;
        }

        /** A PROXY header of {@code version} naming {@code source} first; null, null (the default) for none. */
        Builder proxy(HAProxyProtocolVersion version, InetSocketAddress source) {
            proxyProtocol = version;
            proxySource = source;
            return this;
        }

        /** TLS with {@code context}, sending and verifying {@code name}; null, null (the default) for cleartext. */
        Builder tls(io.netty.handler.ssl.SslContext context, String name) {
            tls = context;
            serverName = name;
            return this;
        }

        /** A WebSocket run; null (the default) for HOST PORT. */
        Builder webSocket(WebSocket v) {
            webSocket = v;
            return this;
        }

        private WebSocket webSocket;

        ClientSettings build() {
            return new ClientSettings(host, port, framing, message, count, interval, timeout, udp, retries, transport,
                    mode, idleTimeout, hex, verbose, keepOpen, echoBack, proxyProtocol, proxySource, tls, serverName,
                    webSocket);
        }
    }
}
