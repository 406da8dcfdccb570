package io.inetkit.server.http;

import io.inetkit.server.RateLimitedLog;

import io.micrometer.core.instrument.Counter;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of request bodies one HTTP listener holds at once, over all its connections and HTTP/2 streams: a
 * body an endpoint needs whole is buffered only if it fits ({@link BodyBudgetHandler} reserves it), so a flood
 * of large bodies costs at most the budget, not {@code connections × maxRequestSize}.
 *
 * <pre>
 *   limit 64 MiB:  [ 999,999 | 999,999 | ... 67 bodies ... |  free  ]  the 68th: 503, Retry-After: 1
 * </pre>
 *
 * Thread-safe: the listener's event loops share one.
 */
final class BodyBudget {

    private final long limit;
    private final AtomicLong used = new AtomicLong();
    private final Counter refused;
    private final RateLimitedLog log;

    /**
     * @param refused where each refused body is counted
     * @param log     where each refusal is said, a few lines a second at most
     */
    BodyBudget(long limit, Counter refused, RateLimitedLog log) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0: " + limit);
        }
        this.limit = limit;
        this.refused = refused;
        this.log = log;
    }

    /** Takes {@code bytes} from the budget if they fit; false, and nothing taken, if they do not. */
    boolean tryReserve(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0: " + bytes);
        }
        long now;
        do {
            now = used.get();
            if (bytes > limit - now) {
                return false;
            }
        } while (!used.compareAndSet(now, now + bytes));
        return true;
    }

    /** Gives back what {@link #tryReserve} took. */
    void release(long bytes) {
        used.addAndGet(-bytes);
    }

    /** Counts and logs a body refused because it did not fit. */
    void refused(Object channel, String request, long bytes) {
        refused.increment();
        log.warn("503 on {}: {} needs {} more bytes of the request body budget, {} of {} in use", channel, request,
                bytes, used.get(), limit);
    }

    long used() {
        return used.get();
    }

    long limit() {
        return limit;
    }

    /** Why a request got 503: the decoder result the aggregated request carries to the router. */
    static final class Exhausted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Exhausted(long limit) {
            // no stack trace: a flood makes thousands of these, and the message says all
            super("the server is buffering as many request bodies as it may (" + limit
                    + " bytes); try again later", null, false, false);
        }
    }
}
