package io.inetkit.server.udp;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per source address, {@code ratePerSecond} tokens a second, holding at most one second's
 * worth; a datagram takes a token. The buckets live in an LRU map of at most {@code maxSources} entries:
 * under a flood from many (spoofed) sources the least recently seen are forgotten, so memory stays bounded.
 * A forgotten source comes back with a full bucket.
 *
 * <pre>
 *   tokens(t) = min(rate, tokens(t0) + rate * (t - t0))     a datagram passes when tokens >= 1, and takes one
 * </pre>
 *
 * Thread-safe (one lock): the SO_REUSEPORT sockets of a listener share it, so a source sending from many
 * ports, which the kernel spreads over the sockets, still has one bucket.
 */
final class SourceRateLimiter {

    private static final class Bucket {
        double tokens;
        long lastNanos;
    }

    private final int ratePerSecond;
    private final Map<InetAddress, Bucket> buckets;

    /** @param ratePerSecond 0 for unlimited */
    SourceRateLimiter(int ratePerSecond, int maxSources) {
        this.ratePerSecond = ratePerSecond;
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<InetAddress, Bucket> eldest) {
                return size() > maxSources;
            }
        };
    }

    /** Takes a token of {@code source}'s bucket at time {@code nowNanos}; false when it has none. */
    synchronized boolean tryAcquire(InetAddress source, long nowNanos) {
        if (ratePerSecond == 0) {
            return true;
        }
        Bucket b = buckets.get(source);
        if (b == null) {
            b = new Bucket();
            b.tokens = ratePerSecond;
            b.lastNanos = nowNanos;
            buckets.put(source, b);
        } else {
            double refill = (nowNanos - b.lastNanos) * (ratePerSecond / 1e9);
            b.tokens = Math.min(ratePerSecond, b.tokens + refill);
            b.lastNanos = nowNanos;
        }
        if (b.tokens >= 1) {
            b.tokens -= 1;
            return true;
        }
        return false;
    }

    /** Sources remembered now. */
    synchronized int size() {
        return buckets.size();
    }
}
