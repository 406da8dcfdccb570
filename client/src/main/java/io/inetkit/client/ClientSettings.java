package io.inetkit.client;

import io.inetkit.common.cli.DurationConverter;
import io.inetkit.common.framing.Framing;

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
 */
record ClientSettings(String host, int port, Framing framing, byte[] message, int count, Duration interval,
                      Duration timeout, boolean udp, int retries, String transport) {

    static final int DEFAULT_COUNT = 1;
    static final String DEFAULT_TIMEOUT_TEXT = "5s";
    static final Duration DEFAULT_TIMEOUT = DurationConverter.parse(DEFAULT_TIMEOUT_TEXT);
    static final int DEFAULT_RETRIES = 2;
    static final String DEFAULT_INTERVAL_TEXT = "0s";
    static final Duration DEFAULT_INTERVAL = DurationConverter.parse(DEFAULT_INTERVAL_TEXT);

    ClientSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(framing, "framing");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(transport, "transport");
        if (port <= 0 || port > 65535) {
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
    }

    boolean interactive() {
        return message == null;
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

        ClientSettings build() {
            return new ClientSettings(host, port, framing, message, count, interval, timeout, udp, retries, transport);
        }
    }
}
