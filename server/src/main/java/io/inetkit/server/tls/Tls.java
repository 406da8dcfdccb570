package io.inetkit.server.tls;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

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
     * {@code ::1} and the bind address, valid for a year, made when the listener starts.
     */
    static Tls selfSigned() {
        return new SelfSigned();
    }

    /**
     * A certificate chain and its private key, both PEM: the chain server certificate first; the key
     * PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or SEC1
     * ({@code BEGIN EC PRIVATE KEY}), unencrypted. Read when the listener starts.
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
