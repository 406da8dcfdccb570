package io.inetkit.server.http;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * What an {@link HttpEchoServer} listens on and how far it lets a client push it.
 *
 * <pre>{@code
 * HttpEchoSettings http  = HttpEchoSettings.of(8080);                                   // HTTP/1.1 + h2c
 * HttpEchoSettings https = HttpEchoSettings.of(8443).withTls(Tls.selfSigned());          // HTTP/1.1 + h2 (ALPN)
 * HttpEchoSettings files = HttpEchoSettings.of(8443).withTls(Tls.pemFiles(cert, key));
 * HttpEchoSettings any   = HttpEchoSettings.of(0).withBindAddress(InetAddress.getByName("0.0.0.0"));
 * }</pre>
 *
 * @param bindAddress    local address to listen on (default {@link #DEFAULT_BIND_ADDRESS}, loopback)
 * @param port           TCP port; 0 takes any free port ({@link HttpEchoServer#port()} tells which)
 * @param tls            {@link Tls#none()} for cleartext HTTP/1.1 and h2c, otherwise HTTPS with HTTP/2 by ALPN
 * @param maxRequestSize largest request body accepted, in bytes; a larger one gets 413
 *                       (default {@link #DEFAULT_MAX_REQUEST_SIZE}, 1 MiB)
 * @param maxHeaderSize  largest request line and largest header block, in bytes; beyond it the request gets 400
 *                       (HTTP/2: 431) (default {@link #DEFAULT_MAX_HEADER_SIZE}, 8 KiB)
 * @param maxDelay       longest {@code /delay/{s}} (default {@link #DEFAULT_MAX_DELAY}, 10 s)
 * @param maxBytes       largest {@code /bytes/{n}} (default {@link #DEFAULT_MAX_BYTES}, 100 MiB)
 * @param maxStreamLines most lines of {@code /stream/{n}} (default {@link #DEFAULT_MAX_STREAM_LINES})
 * @param idleTimeout    a connection with no traffic for this long is closed (default {@link #DEFAULT_IDLE_TIMEOUT})
 */
public record HttpEchoSettings(InetAddress bindAddress, int port, Tls tls, int maxRequestSize, int maxHeaderSize,
                               Duration maxDelay, long maxBytes, int maxStreamLines, Duration idleTimeout) {

    public static final InetAddress DEFAULT_BIND_ADDRESS = InetAddress.getLoopbackAddress();
    public static final int DEFAULT_MAX_REQUEST_SIZE = 1024 * 1024;
    public static final int DEFAULT_MAX_HEADER_SIZE = 8 * 1024;
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(10);
    public static final long DEFAULT_MAX_BYTES = 100L * 1024 * 1024;
    public static final int DEFAULT_MAX_STREAM_LINES = 1000;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

    public HttpEchoSettings {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535: " + port);
        }
        if (maxRequestSize < 0) {
            throw new IllegalArgumentException("maxRequestSize must be >= 0: " + maxRequestSize);
        }
        if (maxHeaderSize < 256) {
            throw new IllegalArgumentException("maxHeaderSize must be >= 256: " + maxHeaderSize);
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
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be > 0: " + idleTimeout);
        }
        if (maxDelay.compareTo(idleTimeout) >= 0) {
            throw new IllegalArgumentException("maxDelay (" + maxDelay + ") must be shorter than idleTimeout ("
                    + idleTimeout + ")");
        }
    }

    /** Cleartext on {@code port} (0: any free port) of the loopback address, every limit at its default. */
    public static HttpEchoSettings of(int port) {
        return new HttpEchoSettings(DEFAULT_BIND_ADDRESS, port, Tls.none(), DEFAULT_MAX_REQUEST_SIZE,
                DEFAULT_MAX_HEADER_SIZE, DEFAULT_MAX_DELAY, DEFAULT_MAX_BYTES, DEFAULT_MAX_STREAM_LINES,
                DEFAULT_IDLE_TIMEOUT);
    }

    public HttpEchoSettings withBindAddress(InetAddress value) {
        return new HttpEchoSettings(value, port, tls, maxRequestSize, maxHeaderSize, maxDelay, maxBytes,
                maxStreamLines, idleTimeout);
    }

    public HttpEchoSettings withPort(int value) {
        return new HttpEchoSettings(bindAddress, value, tls, maxRequestSize, maxHeaderSize, maxDelay, maxBytes,
                maxStreamLines, idleTimeout);
    }

    public HttpEchoSettings withTls(Tls value) {
        return new HttpEchoSettings(bindAddress, port, value, maxRequestSize, maxHeaderSize, maxDelay, maxBytes,
                maxStreamLines, idleTimeout);
    }

    public HttpEchoSettings withMaxRequestSize(int value) {
        return new HttpEchoSettings(bindAddress, port, tls, value, maxHeaderSize, maxDelay, maxBytes,
                maxStreamLines, idleTimeout);
    }

    public HttpEchoSettings withMaxHeaderSize(int value) {
        return new HttpEchoSettings(bindAddress, port, tls, maxRequestSize, value, maxDelay, maxBytes,
                maxStreamLines, idleTimeout);
    }

    public HttpEchoSettings withMaxDelay(Duration value) {
        return new HttpEchoSettings(bindAddress, port, tls, maxRequestSize, maxHeaderSize, value, maxBytes,
                maxStreamLines, idleTimeout);
    }

    public HttpEchoSettings withMaxBytes(long value) {
        return new HttpEchoSettings(bindAddress, port, tls, maxRequestSize, maxHeaderSize, maxDelay, value,
                maxStreamLines, idleTimeout);
    }

    public HttpEchoSettings withMaxStreamLines(int value) {
        return new HttpEchoSettings(bindAddress, port, tls, maxRequestSize, maxHeaderSize, maxDelay, maxBytes,
                value, idleTimeout);
    }

    public HttpEchoSettings withIdleTimeout(Duration value) {
        return new HttpEchoSettings(bindAddress, port, tls, maxRequestSize, maxHeaderSize, maxDelay, maxBytes,
                maxStreamLines, value);
    }

    /** True when this listener speaks HTTPS. */
    public boolean isTls() {
        return !(tls instanceof Tls.None);
    }

    /**
     * How the listener gets its certificate: none (cleartext), a self-signed one made at start, or PEM files.
     */
    public sealed interface Tls permits Tls.None, Tls.SelfSigned, Tls.PemFiles {

        /** Cleartext: HTTP/1.1, and HTTP/2 by h2c (prior knowledge or {@code Upgrade: h2c}). */
        static Tls none() {
            return new None();
        }

        /**
         * A fresh EC P-256 key and a self-signed certificate for {@code localhost}, {@code 127.0.0.1},
         * {@code ::1} and the bind address, valid for a year, made when the server starts.
         */
        static Tls selfSigned() {
            return new SelfSigned();
        }

        /**
         * A certificate chain and its private key, both PEM: the chain server certificate first; the key
         * PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or SEC1
         * ({@code BEGIN EC PRIVATE KEY}), unencrypted. Read when the server starts.
         */
        static Tls pemFiles(Path certificateChain, Path privateKey) {
            return new PemFiles(certificateChain, privateKey);
        }

        /**
         * The TLS mode of a command line with {@code --tls MODE}, {@code --tls-cert FILE} and
         * {@code --tls-key FILE} (each may be null): {@code --tls self-signed}; {@code --tls-cert} with
         * {@code --tls-key} (and {@code --tls files} or no {@code --tls}); or neither ({@code --tls none}).
         *
         * @throws IllegalArgumentException for a contradictory or incomplete combination, saying which
         */
        static Tls fromOptions(String mode, Path certificateChain, Path privateKey) {
            String m = mode == null ? null : mode.trim().toLowerCase(Locale.ROOT).replace('_', '-');
            boolean files = certificateChain != null || privateKey != null;
            if (m == null) {
                m = files ? "files" : "none";
            }
            switch (m) {
                case "none" -> {
                    if (files) {
                        throw new IllegalArgumentException("--tls none contradicts --tls-cert/--tls-key");
                    }
                    return none();
                }
                case "self-signed", "selfsigned" -> {
                    if (files) {
                        throw new IllegalArgumentException("--tls self-signed contradicts --tls-cert/--tls-key");
                    }
                    return selfSigned();
                }
                case "files", "pem" -> {
                    if (certificateChain == null || privateKey == null) {
                        throw new IllegalArgumentException(certificateChain == null
                                ? "--tls-key needs --tls-cert (the PEM certificate chain)"
                                : "--tls-cert needs --tls-key (the PEM private key)");
                    }
                    return pemFiles(certificateChain, privateKey);
                }
                default -> throw new IllegalArgumentException("unknown --tls mode '" + mode
                        + "'; expected self-signed (or give --tls-cert FILE --tls-key FILE)");
            }
        }

        /** Cleartext. */
        record None() implements Tls {
        }

        /** A self-signed certificate made at start. */
        record SelfSigned() implements Tls {
        }

        /** PEM files read at start. */
        record PemFiles(Path certificateChain, Path privateKey) implements Tls {
            public PemFiles {
                Objects.requireNonNull(certificateChain, "certificateChain");
                Objects.requireNonNull(privateKey, "privateKey");
            }
        }
    }
}
