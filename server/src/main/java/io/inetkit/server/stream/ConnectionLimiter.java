package io.inetkit.server.stream;

import io.inetkit.common.net.Cidr;
import io.inetkit.server.ServerSettings;

import io.inetkit.server.stream.StreamMeters.Rejection;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admission of TCP connections over all listeners of a server: allow/deny networks, then the per-address
 * limit, then the overall limit. A connection that passes holds a slot until {@link #release}.
 *
 * <p>Thread-safe: listeners accept on different event loops. The per-address map holds only addresses
 * with open connections, so it is bounded by {@code maxConnections}.
 */
public final class ConnectionLimiter {

    private final ServerSettings.Limits limits;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    private volatile boolean draining;

    public ConnectionLimiter(ServerSettings.Limits limits) {
        this.limits = limits;
    }

    /**
     * Takes a slot for a connection from {@code peer}.
     *
     * @return null when admitted (call {@link #release} when it closes), else why not
     */
    Rejection tryAdmit(InetAddress peer) {
        if (draining) {
            return Rejection.DRAINING;
        }
        Rejection refused = tryAdmitClient(peer);
        if (refused != null) {
            return refused;
        }
        if (!takeSlot()) {
            releaseAddress(peer);
            return Rejection.MAX_CONNECTIONS;
        }
        return null;
    }

    /** One of the {@code maxConnections} slots, if one is free. */
    private boolean takeSlot() {
        while (true) {
            int n = open.get();
            if (n >= limits.maxConnections()) {
                return false;
            }
            if (open.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Gives back the slot of an admitted connection from {@code peer}. */
    void release(InetAddress peer) {
        open.decrementAndGet();
        releaseAddress(peer);
    }

    /**
     * A connection's first half on a PROXY listener, at accept: the balancer must be trusted and the overall
     * limit must allow one more. Its client is not known until the header ({@link #tryAdmitClient}).
     *
     * @return null when admitted (call {@link #releaseConnection} when it closes), else why not
     */
    Rejection tryAdmitConnection(InetAddress balancer, ServerSettings.ProxyProtocol proxy) {
        if (draining) {
            return Rejection.DRAINING;
        }
        if (!proxy.trusts(balancer)) {
            return Rejection.UNTRUSTED_PROXY;
        }
        return takeSlot() ? null : Rejection.MAX_CONNECTIONS;
    }

    /** Gives back the overall slot of {@link #tryAdmitConnection}. */
    void releaseConnection() {
        open.decrementAndGet();
    }

    /**
     * A connection's second half on a PROXY listener, once the header named its client: allow/deny and the
     * per-address limit, against that client.
     *
     * @return null when admitted (call {@link #releaseClient} when it closes), else why not
     */
    Rejection tryAdmitClient(InetAddress client) {
        if (!allowed(client)) {
            return Rejection.DENIED;
        }
        boolean[] admitted = {false};
        perAddress.compute(client, (k, n) -> {
            int count = n == null ? 0 : n;
            if (count >= limits.maxConnectionsPerIp()) {
                return n;
            }
            admitted[0] = true;
            return count + 1;
        });
        return admitted[0] ? null : Rejection.MAX_CONNECTIONS_PER_IP;
    }

    /** Gives back the per-address slot of {@link #tryAdmitClient}. */
    void releaseClient(InetAddress client) {
        releaseAddress(client);
    }

    private void releaseAddress(InetAddress peer) {
        perAddress.computeIfPresent(peer, (k, n) -> n <= 1 ? null : n - 1);
    }

    boolean allowed(InetAddress peer) {
        List<Cidr> allow = limits.allow();
        if (!allow.isEmpty() && allow.stream().noneMatch(c -> c.contains(peer))) {
            return false;
        }
        return limits.deny().stream().noneMatch(c -> c.contains(peer));
    }

    /** True once {@link #drain()} was called. */
    boolean draining() {
        return draining;
    }

    /** From now on every connection is refused (reason {@code draining}): the server is stopping. */
    public void drain() {
        draining = true;
    }

    /** Connections holding a slot. */
    int open() {
        return open.get();
    }

    /** Open connections from {@code peer}. */
    int open(InetAddress peer) {
        return perAddress.getOrDefault(peer, 0);
    }
}
