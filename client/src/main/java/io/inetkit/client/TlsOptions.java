package io.inetkit.client;

import io.inetkit.common.cli.Cli;
import io.inetkit.common.cli.UserException;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.NetUtil;
import picocli.CommandLine.Option;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.List;
import java.util.Locale;

import static io.inetkit.common.cli.Causes.find;
import static io.inetkit.common.cli.Causes.message;
import static io.inetkit.common.cli.Causes.root;

/**
 * {@code --tls} and its options, the same in {@code client} and {@code load}; a picocli mixin. The server's
 * certificate is verified against the JDK's trust store, or {@code --cacert}, and its name against the
 * host (or {@code --sni}), as curl does, unless {@code --insecure}.
 */
public final class TlsOptions {

    public static final String DEFAULT_PROVIDER = "auto";

    @Option(names = "--tls", description = "TCP: speak TLS (1.2 or 1.3) to the server.")
    boolean tls;

    @Option(names = "--cacert", paramLabel = "FILE",
            description = "With --tls: trust the CA certificates in this PEM file instead of the system's.")
    Path caCert;

    @Option(names = {"--insecure"}, description = "With --tls: do not verify the server's certificate or name.")
    boolean insecure;

    @Option(names = "--sni", paramLabel = "NAME",
            description = "With --tls: the server name to send (SNI) and to verify (default: HOST, when a name).")
    String sni;

    @Option(names = "--cert", paramLabel = "FILE", description = "With --tls: a client certificate chain (PEM), for mutual TLS.")
    Path cert;

    @Option(names = "--key", paramLabel = "FILE", description = "With --tls: the PEM private key of --cert (unencrypted).")
    Path key;

    /** {@code --insecure} by another name: the load generator's {@code -k}, as curl spells it. */
    public void insecure(boolean on) {
        insecure |= on;
    }

    /** True with {@code --tls}. */
    public boolean enabled() {
        return tls;
    }

    /** The server name to send and verify for {@code host}: --sni, or host when it is not an IP address. */
    public String serverName(String host) {
        if (sni != null) {
            return sni;
        }
        return NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host) ? null : host;
    }

    /**
     * The client context, or null without {@code --tls}.
     *
     * @param provider {@code jdk}, {@code openssl} or {@code auto} (OpenSSL when it loads)
     * @param resume   whether sessions are cached for resumption (tickets or IDs)
     * @throws UserException (usage) for a missing or unreadable file, or options without --tls
     */
    public SslContext context(String provider, boolean resume) {
        return context(provider, resume, false);
    }

    /**
     * As {@link #context(String, boolean)}; {@code required}: TLS whether or not --tls was given (a
     * {@code wss://} URL).
     */
    public SslContext context(String provider, boolean resume, boolean required) {
        return context(provider, resume, required, List.of());
    }

    /**
     * As {@link #context(String, boolean, boolean)}, offering {@code alpn}'s protocols (RFC 7301) in the handshake,
     * {@code h2} for HTTP/2 over TLS; none when empty.
     */
    public SslContext context(String provider, boolean resume, boolean required, List<String> alpn) {
        if (!tls && !required) {
            if (caCert != null || insecure || sni != null || cert != null || key != null) {
                throw new UserException("--cacert, --insecure, --sni, --cert and --key need --tls", Cli.EXIT_USAGE);
            }
            return null;
        }
        if ((cert == null) != (key == null)) {
            throw new UserException(cert == null ? "--key needs --cert" : "--cert needs --key", Cli.EXIT_USAGE);
        }
        for (Path p : new Path[] {caCert, cert, key}) {
            if (p != null && !Files.isReadable(p)) {
                throw new UserException("cannot read " + p, Cli.EXIT_USAGE);
            }
        }
        try {
            SslContextBuilder b = SslContextBuilder.forClient()
                    .sslProvider(provider(provider))
                    .protocols("TLSv1.3", "TLSv1.2");
            if (insecure) {
                b.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
            } else {
                if (caCert != null) {
                    b.trustManager(caCert.toFile());
                }
                b.endpointIdentificationAlgorithm("HTTPS");
            }
            if (cert != null) {
                b.keyManager(cert.toFile(), key.toFile());
            }
            if (!resume) {
                b.sessionCacheSize(1); // smallest cache; the handlers below also ask for no resumption
            }
            if (!alpn.isEmpty()) {
                b.applicationProtocolConfig(new io.netty.handler.ssl.ApplicationProtocolConfig(
                        io.netty.handler.ssl.ApplicationProtocolConfig.Protocol.ALPN,
                        io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, alpn));
            }
            return b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new UserException("cannot set up TLS: " + message(e), Cli.EXIT_USAGE);
        }
    }

    /** The provider {@code name} means here. */
    public static SslProvider provider(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "jdk" -> SslProvider.JDK;
            case "openssl" -> {
                if (!OpenSsl.isAvailable()) {
                    throw new UserException("--tls-provider openssl: OpenSSL is not available here", Cli.EXIT_USAGE);
                }
                yield SslProvider.OPENSSL;
            }
            case "auto" -> OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
            default -> throw new UserException("unknown --tls-provider '" + name + "'; expected jdk, openssl or auto",
                    Cli.EXIT_USAGE);
        };
    }

    /**
     * A handler for one connection to {@code host:port}: the SNI name, and the name verified. With
     * {@code resume}, the peer host and port key the session cache, so a new connection offers the last session.
     */
    public static SslHandler newHandler(SslContext context, ByteBufAllocator alloc, String serverName, String host,
                                        int port, boolean resume) {
        SslHandler h = resume ? context.newHandler(alloc, serverName != null ? serverName : host, port)
                : context.newHandler(alloc);
        SSLEngine engine = h.engine();
        if (serverName != null) {
            SSLParameters p = engine.getSSLParameters();
            p.setServerNames(List.of(new javax.net.ssl.SNIHostName(serverName)));
            engine.setSSLParameters(p);
        }
        return h;
    }

    /** Why a handshake failed, and its exit code: untrusted, expired, name mismatch, or another TLS failure. */
    public record Failure(int exitCode, String reason) {
    }

    /** The kind of a handshake failure, by the exception's type (the JDK's name check alone has none). */
    public static Failure classify(Throwable cause, String host) {
        if (find(cause, CertificateExpiredException.class) != null) {
            return new Failure(ClientCommand.EXIT_TLS_EXPIRED, "the server's certificate has expired ("
                    + message(find(cause, CertificateExpiredException.class)) + "); --insecure skips the check");
        }
        if (find(cause, CertificateNotYetValidException.class) != null) {
            return new Failure(ClientCommand.EXIT_TLS_EXPIRED, "the server's certificate is not valid yet ("
                    + message(find(cause, CertificateNotYetValidException.class)) + "); --insecure skips the check");
        }
        if (find(cause, CertPathBuilderException.class) != null || find(cause, CertPathValidatorException.class) != null) {
            return new Failure(ClientCommand.EXIT_TLS_UNTRUSTED, "the server's certificate is not trusted (no chain"
                    + " to a trusted CA); --cacert FILE trusts a CA, --insecure skips the check");
        }
        for (Throwable c = cause; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c.getClass() == CertificateException.class) { // the JDK's RFC 2818 name check
                return new Failure(ClientCommand.EXIT_TLS_NAME, "the server's certificate does not match " + host
                        + " (" + message(c) + "); --sni NAME names another, --insecure skips the check");
            }
        }
        return new Failure(ClientCommand.EXIT_TLS_FAILED, message(root(cause)));
    }
}
