package io.inetkit.server.tls;

import io.inetkit.common.cli.DurationConverter;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The TLS of a server's TLS listeners ({@code --tcp 5443:line:tls}, {@code --https 8443}): one set for all of
 * them. Immutable.
 *
 * @param certificate      the default certificate: {@link Tls#selfSigned()} or {@link Tls#pemFiles PEM files};
 *                         also what a client without SNI (or with an unknown name) gets
 * @param sniCertificates  more certificates, each chosen when the client's SNI name is one of its DNS names
 *                         (subject alternative names, or the CN without them; {@code *.example.com} works)
 * @param clientCa         PEM CA certificates a client certificate must chain to; null for none
 * @param clientAuth       whether a client certificate is asked for ({@link ClientAuth#NONE} without clientCa)
 * @param provider         whose TLS implementation ({@value #DEFAULT_PROVIDER_TEXT} by default)
 * @param handshakeTimeout a connection whose handshake is not done this long after it opened is closed
 *                         (default {@value #DEFAULT_HANDSHAKE_TIMEOUT_TEXT}), counted as result {@code timeout}
 * @param reloadCheck      how often the certificate files are checked for a change (default
 *                         {@value #DEFAULT_RELOAD_CHECK_TEXT}; zero: only on SIGHUP)
 */
public record TlsSettings(Tls certificate, List<Tls.PemFiles> sniCertificates, Path clientCa, ClientAuth clientAuth,
                          Provider provider, Duration handshakeTimeout, Duration reloadCheck) {

    public static final String DEFAULT_PROVIDER_TEXT = "auto";
    public static final Provider DEFAULT_PROVIDER = Provider.AUTO;
    /** Long enough for a slow client across the world; short enough that stalled handshakes do not pile up. */
    public static final String DEFAULT_HANDSHAKE_TIMEOUT_TEXT = "10s";
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = DurationConverter.parse(DEFAULT_HANDSHAKE_TIMEOUT_TEXT);
    public static final String DEFAULT_RELOAD_CHECK_TEXT = "2s";
    public static final Duration DEFAULT_RELOAD_CHECK = DurationConverter.parse(DEFAULT_RELOAD_CHECK_TEXT);

    /** Whether, and how strictly, a client certificate is asked for. */
    public enum ClientAuth {
        /** No client certificate is asked for. */
        NONE,
        /** Asked for; a client without one is served, one with a bad one is refused. */
        OPTIONAL,
        /** Required: a client without a valid certificate is refused. */
        REQUIRE;

        public static ClientAuth parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown --tls-client-auth '" + text + "'; expected none, optional or require");
            }
        }
    }

    /** The TLS implementation. */
    public enum Provider {
        /** The JDK's own (SunJSSE). */
        JDK,
        /** OpenSSL's (BoringSSL, through netty-tcnative): faster handshakes and bulk (BENCHMARKS.md). */
        OPENSSL,
        /** OpenSSL when its native library loads here, else the JDK's. */
        AUTO;

        public static Provider parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown --tls-provider '" + text + "'; expected jdk, openssl or auto");
            }
        }
    }

    public TlsSettings {
        Objects.requireNonNull(certificate, "certificate");
        if (certificate instanceof Tls.None) {
            throw new IllegalArgumentException("TLS listeners need --tls self-signed, or --tls-cert FILE and --tls-key FILE");
        }
        sniCertificates = List.copyOf(sniCertificates);
        Objects.requireNonNull(clientAuth, "clientAuth");
        Objects.requireNonNull(provider, "provider");
        if (clientAuth != ClientAuth.NONE && clientCa == null) {
            throw new IllegalArgumentException("--tls-client-auth " + clientAuth.name().toLowerCase(Locale.ROOT)
                    + " needs --tls-client-ca FILE (the CA client certificates must chain to)");
        }
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("--tls-handshake-timeout must be > 0: " + DurationConverter.format(handshakeTimeout));
        }
        if (reloadCheck.isNegative()) {
            throw new IllegalArgumentException("reloadCheck must not be negative: " + DurationConverter.format(reloadCheck));
        }
    }

    /** {@code certificate} with everything else at its default. */
    public static TlsSettings of(Tls certificate) {
        return new TlsSettings(certificate, List.of(), null, ClientAuth.NONE, DEFAULT_PROVIDER,
                DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_RELOAD_CHECK);
    }

    /**
     * The certificates of {@code --tls-cert}/{@code --tls-key} pairs (repeatable, in pairs: the first is the
     * default, the others are chosen by SNI) or {@code --tls self-signed}.
     *
     * @throws IllegalArgumentException for a contradictory or incomplete combination, saying which
     */
    public static List<Tls> certificates(String mode, List<Path> certs, List<Path> keys) {
        if (certs.size() != keys.size()) {
            throw new IllegalArgumentException("--tls-cert and --tls-key come in pairs: " + certs.size()
                    + " --tls-cert, " + keys.size() + " --tls-key");
        }
        if (certs.size() > 1 && mode != null && !mode.isBlank()) {
            Tls.fromOptions(mode, certs.get(0), keys.get(0)); // says what contradicts what
        }
        List<Tls> result = new ArrayList<>();
        if (certs.isEmpty()) {
            result.add(Tls.fromOptions(mode, null, null));
            return result;
        }
        for (int i = 0; i < certs.size(); i++) {
            result.add(Tls.fromOptions(i == 0 ? mode : null, certs.get(i), keys.get(i)));
        }
        return result;
    }

    /** The files a reload reads: every PEM file and the client CA. */
    public List<Path> files() {
        List<Path> files = new ArrayList<>();
        if (certificate instanceof Tls.PemFiles p) {
            files.add(p.certificateChain());
            files.add(p.privateKey());
        }
        for (Tls.PemFiles p : sniCertificates) {
            files.add(p.certificateChain());
            files.add(p.privateKey());
        }
        if (clientCa != null) {
            files.add(clientCa);
        }
        return files;
    }

    public TlsSettings withSni(List<Tls.PemFiles> sni) {
        return new TlsSettings(certificate, sni, clientCa, clientAuth, provider, handshakeTimeout, reloadCheck);
    }

    public TlsSettings withClientAuth(Path ca, ClientAuth auth) {
        return new TlsSettings(certificate, sniCertificates, ca, auth, provider, handshakeTimeout, reloadCheck);
    }

    public TlsSettings withProvider(Provider p) {
        return new TlsSettings(certificate, sniCertificates, clientCa, clientAuth, p, handshakeTimeout, reloadCheck);
    }

    public TlsSettings withHandshakeTimeout(Duration timeout) {
        return new TlsSettings(certificate, sniCertificates, clientCa, clientAuth, provider, timeout, reloadCheck);
    }

    public TlsSettings withReloadCheck(Duration check) {
        return new TlsSettings(certificate, sniCertificates, clientCa, clientAuth, provider, handshakeTimeout, check);
    }
}
