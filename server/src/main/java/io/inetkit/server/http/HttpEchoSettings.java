package io.inetkit.server.http;

import io.inetkit.common.cli.DurationConverter;

import java.time.Duration;
import java.util.Objects;

/**
 * How far the HTTP echo lets a client push it. Where it listens (bind address, port, TLS) is the server's
 * ({@code ServerSettings.HttpListener}); the connection limits and the idle timeout are the
 * server's {@code Limits}, as for every TCP listener.
 *
 * <pre>{@code
 * HttpEchoSettings s = HttpEchoSettings.builder().maxRequestSize(100).build();
 * }</pre>
 *
 * @param maxRequestSize largest request body accepted, in bytes; a larger one gets 413
 *                       (default {@value #DEFAULT_MAX_REQUEST_SIZE}, 1 MiB)
 * @param maxHeaderSize  largest request line and largest header block, in bytes; beyond it the request gets 400
 *                       (HTTP/2: 431) (default {@value #DEFAULT_MAX_HEADER_SIZE}, 8 KiB)
 * @param maxDelay       longest {@code /delay/{s}} (default {@value #DEFAULT_MAX_DELAY_TEXT})
 * @param maxBytes       largest {@code /bytes/{n}} (default {@value #DEFAULT_MAX_BYTES}, 100 MiB)
 * @param maxStreamLines most lines of {@code /stream/{n}} (default {@value #DEFAULT_MAX_STREAM_LINES})
 * @param headerTimeout  HTTP/1.1: how long the head of the next request may take to arrive whole, counted from
 *                       the connection's start and from the end of each response; past it the connection is
 *                       closed without an answer, as nginx does (default {@value #DEFAULT_HEADER_TIMEOUT_TEXT};
 *                       zero: none)
 * @param minBodyRate    HTTP/1.1: the slowest average a request body may arrive at, in bytes a second, judged after
 *                       {@link #BODY_RATE_GRACE}; slower gets 408 and a close, as Kestrel does (default
 *                       {@value #DEFAULT_MIN_BODY_RATE}; zero: none)
 * @param bodyBudget     bytes of request bodies one listener buffers at once, over all its connections and HTTP/2
 *                       streams; a body that does not fit gets 503 with {@code Retry-After} (default
 *                       {@value #DEFAULT_BODY_BUDGET}, 64 MiB; at least maxRequestSize, so every body that may be
 *                       sent can fit). Only {@code /post}, {@code /anything} and {@code /delay} buffer a body.
 * @param wsMaxMessage   the largest WebSocket message on {@code /ws} (the server's {@code --ws-max-message}: default
 *                       {@code ServerSettings.WsListener.DEFAULT_MAX_MESSAGE}, 1 MiB)
 */
public record HttpEchoSettings(int maxRequestSize, int maxHeaderSize, Duration maxDelay, long maxBytes,
                               int maxStreamLines, Duration headerTimeout, long minBodyRate, long bodyBudget,
                               int wsMaxMessage) {

    public static final int DEFAULT_MAX_REQUEST_SIZE = 1024 * 1024;
    public static final int DEFAULT_MAX_HEADER_SIZE = 8 * 1024;
    public static final String DEFAULT_MAX_DELAY_TEXT = "10s";
    public static final Duration DEFAULT_MAX_DELAY = DurationConverter.parse(DEFAULT_MAX_DELAY_TEXT);
    public static final long DEFAULT_MAX_BYTES = 100L * 1024 * 1024;
    public static final int DEFAULT_MAX_STREAM_LINES = 1000;
    /**
     * Apache's {@code mod_reqtimeout} default ({@code header=20}); nginx's {@code client_header_timeout} is 60 s.
     * A head is a few hundred bytes: a client that needs 20 s for one is a slowloris or lost.
     */
    public static final String DEFAULT_HEADER_TIMEOUT_TEXT = "20s";
    public static final Duration DEFAULT_HEADER_TIMEOUT = DurationConverter.parse(DEFAULT_HEADER_TIMEOUT_TEXT);
    /** Kestrel's {@code MinRequestBodyDataRate}: 240 bytes a second, after a grace of 5 s. */
    public static final long DEFAULT_MIN_BODY_RATE = 240;
    public static final Duration BODY_RATE_GRACE = Duration.ofSeconds(5);
    /**
     * A quarter of the 256 MiB of heap or direct memory a small server is given, so a flood of bodies leaves room
     * for everything else (reading sockets, answering, the other listeners); 64 bodies of the largest size.
     */
    public static final long DEFAULT_BODY_BUDGET = 64L * 1024 * 1024;
    /** The smallest {@code maxHeaderSize}: a request line and a {@code Host} header must fit. */
    public static final int MIN_HEADER_SIZE = 256;

    /** Every limit at its default. */
    public static final HttpEchoSettings DEFAULT = builder().build();

    public HttpEchoSettings {
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(headerTimeout, "headerTimeout");
        if (maxRequestSize < 0) {
            throw new IllegalArgumentException("maxRequestSize must be >= 0: " + maxRequestSize);
        }
        if (maxHeaderSize < MIN_HEADER_SIZE) {
            throw new IllegalArgumentException("maxHeaderSize must be >= " + MIN_HEADER_SIZE + ": " + maxHeaderSize);
        }
        if (maxDelay.isNegative()) {
            throw new IllegalArgumentException("maxDelay must not be negative: " + maxDelay);
        }
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0: " + maxBytes);
        }
        if (maxStreamLines < 0) {
            throw new IllegalArgumentException("maxStreamLines must be >= 0: " + maxStreamLines);
        }
        if (headerTimeout.isNegative()) {
            throw new IllegalArgumentException("headerTimeout must not be negative: " + DurationConverter.format(headerTimeout));
        }
        if (minBodyRate < 0) {
            throw new IllegalArgumentException("minBodyRate must be >= 0: " + minBodyRate);
        }
        if (bodyBudget < maxRequestSize) {
            throw new IllegalArgumentException("bodyBudget must be >= maxRequestSize (" + maxRequestSize + "): "
                    + bodyBudget);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link HttpEchoSettings}; every limit starts at its default. */
    public static final class Builder {
        private int maxRequestSize = DEFAULT_MAX_REQUEST_SIZE;
        private int maxHeaderSize = DEFAULT_MAX_HEADER_SIZE;
        private Duration maxDelay = DEFAULT_MAX_DELAY;
        private long maxBytes = DEFAULT_MAX_BYTES;
        private int maxStreamLines = DEFAULT_MAX_STREAM_LINES;
        private Duration headerTimeout = DEFAULT_HEADER_TIMEOUT;
        private long minBodyRate = DEFAULT_MIN_BODY_RATE;
        private long bodyBudget = DEFAULT_BODY_BUDGET;
        private int wsMaxMessage = io.inetkit.server.ServerSettings.WsListener.DEFAULT_MAX_MESSAGE;

        private Builder() {
        }

        public Builder maxRequestSize(int maxRequestSize) {
            this.maxRequestSize = maxRequestSize;
            return this;
        }

        public Builder maxHeaderSize(int maxHeaderSize) {
            this.maxHeaderSize = maxHeaderSize;
            return this;
        }

        public Builder maxDelay(Duration maxDelay) {
            this.maxDelay = maxDelay;
            return this;
        }

        public Builder maxBytes(long maxBytes) {
            this.maxBytes = maxBytes;
            return this;
        }

        public Builder maxStreamLines(int maxStreamLines) {
            this.maxStreamLines = maxStreamLines;
            return this;
        }

        public Builder headerTimeout(Duration headerTimeout) {
            this.headerTimeout = headerTimeout;
            return this;
        }

        public Builder minBodyRate(long minBodyRate) {
            this.minBodyRate = minBodyRate;
            return this;
        }

        public Builder bodyBudget(long bodyBudget) {
            this.bodyBudget = bodyBudget;
            return this;
        }

        public Builder wsMaxMessage(int wsMaxMessage) {
            this.wsMaxMessage = wsMaxMessage;
            return this;
        }

        public HttpEchoSettings build() {
            return new HttpEchoSettings(maxRequestSize, maxHeaderSize, maxDelay, maxBytes, maxStreamLines,
                    headerTimeout, minBodyRate, bodyBudget, wsMaxMessage);
        }
    }
}
