package io.inetkit.server;

import io.inetkit.common.framing.Framing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What an {@link EchoServer} listens on and how it runs. Immutable; build with {@link #builder()}.
 *
 * <p>Defaults: bind {@value #DEFAULT_BIND}, no listeners (the command line adds TCP and UDP on
 * {@value #DEFAULT_PORT} when none is given), transport {@code auto}, one I/O thread per core, and a
 * drain timeout of 5 s.
 *
 * @param bind         the address every listener binds
 * @param tcp          TCP echo listeners, each with its framing
 * @param udp          UDP echo listeners
 * @param transport    {@code auto}, {@code io_uring}, {@code epoll} or {@code nio}
 * @param ioThreads    event loop threads
 * @param drainTimeout how long {@link EchoServer#stop()} waits for connections to finish
 */
public record ServerSettings(String bind, List<TcpListener> tcp, List<UdpListener> udp, String transport,
                             int ioThreads, Duration drainTimeout) {

    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 5005;
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(5);

    public ServerSettings {
        Objects.requireNonNull(bind, "bind");
        tcp = List.copyOf(tcp);
        udp = List.copyOf(udp);
        Objects.requireNonNull(transport, "transport");
        if (ioThreads <= 0) {
            throw new IllegalArgumentException("ioThreads must be > 0: " + ioThreads);
        }
        if (drainTimeout.isNegative()) {
            throw new IllegalArgumentException("drainTimeout must not be negative: " + drainTimeout);
        }
        if (tcp.isEmpty() && udp.isEmpty()) {
            throw new IllegalArgumentException("no listener: give at least one TCP or UDP port");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A TCP echo listener: a port (0 for any free one) and the framing of its frames. */
    public record TcpListener(int port, Framing framing) {
        public TcpListener {
            checkPort(port);
            Objects.requireNonNull(framing, "framing");
        }

        /** Parses {@code PORT[:FRAMING]}, e.g. {@code 5005}, {@code 5006:line}, {@code 5008:length:4:65536}. */
        public static TcpListener parse(String text) {
            int colon = text.indexOf(':');
            String port = colon < 0 ? text : text.substring(0, colon);
            Framing framing = colon < 0 ? new Framing.Raw() : Framing.parse(text.substring(colon + 1));
            return new TcpListener(parsePort(port, text), framing);
        }

        @Override
        public String toString() {
            return port + ":" + framing.spec();
        }
    }

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

    /** Builds {@link ServerSettings}; every setting starts at its default. */
    public static final class Builder {
        private String bind = DEFAULT_BIND;
        private final List<TcpListener> tcp = new ArrayList<>();
        private final List<UdpListener> udp = new ArrayList<>();
        private String transport = "auto";
        private int ioThreads = Runtime.getRuntime().availableProcessors();
        private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;

        private Builder() {
        }

        public Builder bind(String bind) {
            this.bind = bind;
            return this;
        }

        public Builder tcp(int port, Framing framing) {
            tcp.add(new TcpListener(port, framing));
            return this;
        }

        public Builder tcp(TcpListener listener) {
            tcp.add(listener);
            return this;
        }

        public Builder udp(int port) {
            udp.add(new UdpListener(port));
            return this;
        }

        public Builder udp(UdpListener listener) {
            udp.add(listener);
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

        public ServerSettings build() {
            return new ServerSettings(bind, tcp, udp, transport, ioThreads, drainTimeout);
        }
    }
}
