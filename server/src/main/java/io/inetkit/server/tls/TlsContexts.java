package io.inetkit.server.tls;

import io.inetkit.server.ServerStartException;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Server TLS contexts: PEM files or a self-signed certificate, TLS 1.2 and 1.3 with Mozilla's
 * "intermediate" cipher list, the JDK's or OpenSSL's provider, optional client certificates, and the SNI
 * mapping from server names to certificates.
 */
public final class TlsContexts {

    /** TLS 1.3 and 1.2 only: what Mozilla's intermediate profile (version 5.7) allows. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /**
     * Mozilla's "intermediate" cipher list (ssl-config.mozilla.org, guidelines 5.7), IANA names: the three
     * TLS 1.3 suites, then TLS 1.2's ECDHE and DHE suites with AEAD ciphers only (GCM, ChaCha20-Poly1305).
     * The provider drops those it lacks ({@code SupportedCipherSuiteFilter}).
     */
    public static final List<String> MOZILLA_INTERMEDIATE = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private static final Pattern CN = Pattern.compile("(?:^|,)\\s*CN=([^,]+)");

    /** The provider in use and why, for the start-up log line. */
    public record ProviderChoice(SslProvider provider, String label, String reason) {
    }

    /** Every context of a listener: the default one and the SNI mapping that contains it. */
    record Contexts(SslContext defaultContext, Mapping<String, SslContext> mapping, String summary) {
    }

    /** A certificate chain with its key, read and checked. */
    record Material(PrivateKey key, List<X509Certificate> chain, String source) {
    }

    private TlsContexts() {
    }

    /**
     * The provider {@code wanted} means here: {@code auto} is OpenSSL when netty-tcnative's native library
     * loads (it ships for Linux x86-64 in inetkit's jars), else the JDK's.
     *
     * @throws ServerStartException when {@code openssl} is asked for and cannot load
     */
    public static ProviderChoice choose(TlsSettings.Provider wanted) {
        return switch (wanted) {
            case JDK -> new ProviderChoice(SslProvider.JDK, "jdk", "--tls-provider jdk");
            case OPENSSL -> {
                if (!OpenSsl.isAvailable()) {
                    throw new ServerStartException("--tls-provider openssl: OpenSSL is not available here ("
                            + rootMessage(OpenSsl.unavailabilityCause()) + "); use jdk or auto", null);
                }
                yield new ProviderChoice(SslProvider.OPENSSL, "openssl (" + OpenSsl.versionString() + ")",
                        "--tls-provider openssl");
            }
            case AUTO -> OpenSsl.isAvailable()
                    ? new ProviderChoice(SslProvider.OPENSSL, "openssl (" + OpenSsl.versionString() + ")",
                            "auto: faster than the JDK's at handshakes and bulk, see BENCHMARKS.md")
                    : new ProviderChoice(SslProvider.JDK, "jdk",
                            "auto: OpenSSL unavailable (" + rootMessage(OpenSsl.unavailabilityCause()) + ")");
        };
    }

    /**
     * Reads every certificate of {@code settings} and builds the contexts.
     *
     * @param selfSigned the self-signed material made at start (reused by reloads), or null without one
     * @param alpn       protocols to offer by ALPN ({@code h2}, {@code http/1.1}), or none
     * @param now        certificates expired at this instant are refused
     * @throws ServerStartException naming the file and the reason ("expired on 2026-01-01T00:00:00Z")
     */
    static Contexts build(TlsSettings settings, Material selfSigned, List<String> alpn, SslProvider provider, Instant now) {
        Material main = settings.certificate() instanceof Tls.PemFiles p ? read(p, now) : selfSigned;
        SslContext defaultContext = context(settings, main, alpn, provider);
        DomainWildcardMappingBuilder<SslContext> mapping = new DomainWildcardMappingBuilder<>(defaultContext);
        StringBuilder summary = new StringBuilder(main.source()).append(" ").append(names(main.chain().get(0)));
        for (Tls.PemFiles p : settings.sniCertificates()) {
            Material m = read(p, now);
            SslContext c = context(settings, m, alpn, provider);
            Set<String> names = names(m.chain().get(0));
            if (names.isEmpty()) {
                throw new ServerStartException("TLS certificate " + p.certificateChain()
                        + " names no host (no DNS subject alternative name, no CN): SNI cannot choose it", null);
            }
            for (String name : names) {
                mapping.add(name, c);
            }
            summary.append("; SNI ").append(String.join(",", names)).append(": ").append(m.source());
        }
        return new Contexts(defaultContext, mapping.build(), summary.toString());
    }

    private static SslContext context(TlsSettings settings, Material m, List<String> alpn, SslProvider provider) {
        try {
            SslContextBuilder b = SslContextBuilder.forServer(m.key(), m.chain())
                    .sslProvider(provider)
                    .protocols(PROTOCOLS)
                    .ciphers(MOZILLA_INTERMEDIATE, SupportedCipherSuiteFilter.INSTANCE);
            if (settings.clientCa() != null) {
                b.trustManager(readCertificates(settings.clientCa(), "client CA").toArray(new X509Certificate[0]));
                b.clientAuth(switch (settings.clientAuth()) {
                    case NONE -> ClientAuth.NONE;
                    case OPTIONAL -> ClientAuth.OPTIONAL;
                    case REQUIRE -> ClientAuth.REQUIRE;
                });
            }
            if (!alpn.isEmpty()) {
                b.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, alpn));
            }
            return b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new ServerStartException("cannot load TLS certificate " + m.source() + ": " + rootMessage(e), e);
        }
    }

    /** A fresh self-signed certificate for localhost, the loopback addresses and {@code bindAddress}. */
    static Material selfSigned(InetAddress bindAddress) {
        try {
            SelfSignedCertificates.KeyAndCertificate made = SelfSignedCertificates.generate(bindAddress);
            return new Material(made.key(), List.of(made.certificate()),
                    "self-signed (SHA-256 " + fingerprint(made.certificate()) + ")");
        } catch (GeneralSecurityException e) {
            throw new ServerStartException("cannot make a self-signed certificate: " + rootMessage(e), e);
        }
    }

    /**
     * Reads a PEM chain and key and checks them: readable, the chain's first certificate valid at {@code now},
     * the key the one of that certificate (a half-written rotation must not be loaded).
     */
    static Material read(Tls.PemFiles files, Instant now) {
        List<X509Certificate> chain = readCertificates(files.certificateChain(), "certificate");
        X509Certificate leaf = chain.get(0);
        if (leaf.getNotAfter().toInstant().isBefore(now)) {
            throw new ServerStartException("TLS certificate " + files.certificateChain() + " expired on "
                    + leaf.getNotAfter().toInstant() + " (" + leaf.getSubjectX500Principal().getName() + ")", null);
        }
        if (leaf.getNotBefore().toInstant().isAfter(now)) {
            throw new ServerStartException("TLS certificate " + files.certificateChain() + " is not valid before "
                    + leaf.getNotBefore().toInstant() + " (" + leaf.getSubjectX500Principal().getName() + ")", null);
        }
        readable(files.privateKey(), "key");
        PrivateKey key = PemKeys.read(files.privateKey());
        if (!matches(key, leaf.getPublicKey())) {
            throw new ServerStartException("TLS key " + files.privateKey() + " is not the key of certificate "
                    + files.certificateChain(), null);
        }
        return new Material(key, chain, files.certificateChain().toString());
    }

    static List<X509Certificate> readCertificates(Path file, String what) {
        readable(file, what);
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends java.security.cert.Certificate> all = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            List<X509Certificate> chain = new ArrayList<>();
            for (java.security.cert.Certificate c : all) {
                chain.add((X509Certificate) c);
            }
            if (chain.isEmpty()) {
                throw new ServerStartException("TLS " + what + " file " + file + " holds no PEM certificate", null);
            }
            return chain;
        } catch (IOException | GeneralSecurityException e) {
            throw new ServerStartException("cannot read TLS " + what + " file " + file + ": " + rootMessage(e), e);
        }
    }

    private static void readable(Path path, String what) {
        if (!Files.isReadable(path)) {
            throw new ServerStartException("cannot read TLS " + what + " file " + path, null);
        }
    }

    /** True when {@code key} signs what {@code pub} verifies: the two are a pair. */
    private static boolean matches(PrivateKey key, PublicKey pub) {
        String algorithm = switch (pub.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return true; // an algorithm we cannot probe: the handshake will tell
        }
        try {
            byte[] probe = "inetkit key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(algorithm);
            s.initSign(key);
            s.update(probe);
            byte[] signature = s.sign();
            Signature v = Signature.getInstance(algorithm);
            v.initVerify(pub);
            v.update(probe);
            return v.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The DNS names SNI may choose a certificate by: its DNS subject alternative names, else its CN. */
    static Set<String> names(X509Certificate c) {
        Set<String> names = new LinkedHashSet<>();
        try {
            if (c.getSubjectAlternativeNames() != null) {
                for (List<?> san : c.getSubjectAlternativeNames()) {
                    if (Integer.valueOf(2).equals(san.get(0))) {
                        names.add(String.valueOf(san.get(1)).toLowerCase(java.util.Locale.ROOT));
                    }
                }
            }
        } catch (java.security.cert.CertificateParsingException e) {
            // no usable SAN: fall back to the CN
        }
        if (names.isEmpty()) {
            Matcher m = CN.matcher(c.getSubjectX500Principal().getName());
            if (m.find()) {
                names.add(m.group(1).trim().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return names;
    }

    static String fingerprint(X509Certificate certificate) throws GeneralSecurityException {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    }

    static String rootMessage(Throwable t) {
        if (t == null) {
            return "unknown reason";
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return m == null ? root.getClass().getSimpleName() : m;
    }
}
