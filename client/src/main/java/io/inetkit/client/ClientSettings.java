package io.inetkit.client;

import io.inetkit.common.framing.Framing;

import java.time.Duration;
import java.util.Objects;

/**
 * What one {@code inetkit client} run does. Immutable.
 *
 * @param host      the server's host name or address
 * @param port      the server's port
 * @param framing   the server's framing (TCP); ignored for UDP, where a datagram is a message
 * @param message   the one-shot message, or null for interactive mode
 * @param count     how many times the one-shot message is sent, each after the previous echo
 * @param timeout   how long to wait for a connection and for each echo
 * @param udp       datagrams instead of a TCP connection
 * @param retries   UDP: how many times a datagram is sent again when no echo comes within the timeout
 * @param transport {@code auto}, {@code io_uring}, {@code epoll} or {@code nio}
 */
record ClientSettings(String host, int port, Framing framing, byte[] message, int count, Duration timeout,
                      boolean udp, int retries, String transport) {

    ClientSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(framing, "framing");
        Objects.requireNonNull(timeout, "timeout");
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535: " + port);
        }
        if (count <= 0) {
            throw new IllegalArgumentException("--count must be > 0: " + count);
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("--timeout must be > 0: " + timeout);
        }
        if (retries < 0) {
            throw new IllegalArgumentException("--retries must be >= 0: " + retries);
        }
    }

    boolean interactive() {
        return message == null;
    }
}
