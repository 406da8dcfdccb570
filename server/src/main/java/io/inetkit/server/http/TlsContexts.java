package io.inetkit.server.http;

import io.inetkit.server.ServerStartException;

import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/** The TLS context of an HTTPS listener: the JDK's provider, ALPN offering {@code h2} then {@code http/1.1}. */
final class TlsContexts {

    private static final Logger log = LoggerFactory.getLogger(TlsContexts.class);

    private TlsContexts() {
    }

    /**
     * Reads the PEM files, or makes a self-signed certificate (for {@code localhost}, the loopback addresses
     * and {@code bindAddress}).
     *
     * @throws ServerStartException with one line a user can act on ("cannot read TLS key file key.pem")
     */
    static SslContext forServer(Tls tls, InetAddress bindAddress) {
        SslContextBuilder builder;
        if (tls instanceof Tls.PemFiles files) {
            for (Path path : new Path[] {files.certificateChain(), files.privateKey()}) {
                if (!Files.isReadable(path)) {
                    throw new ServerStartException("cannot read TLS "
                            + (path == files.privateKey() ? "key" : "certificate") + " file " + path, null);
                }
            }
            try {
                builder = SslContextBuilder.forServer(files.certificateChain().toFile(), files.privateKey().toFile());
            } catch (IllegalArgumentException e) {
                throw new ServerStartException(cannotLoad(tls) + rootMessage(e), e);
            }
        } else if (tls instanceof Tls.SelfSigned) {
            try {
                SelfSignedCertificates.KeyAndCertificate made = SelfSignedCertificates.generate(bindAddress);
                builder = SslContextBuilder.forServer(made.key(), made.certificate());
                log.info("self-signed certificate for localhost, 127.0.0.1, ::1; SHA-256 fingerprint {}",
                        fingerprint(made.certificate()));
            } catch (GeneralSecurityException e) {
                throw new ServerStartException("cannot make a self-signed certificate: " + rootMessage(e), e);
            }
        } else {
            throw new IllegalArgumentException("no TLS context for cleartext");
        }
        try {
            return builder
                    .sslProvider(SslProvider.JDK)
                    .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(
                            ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new ServerStartException(cannotLoad(tls) + rootMessage(e), e);
        }
    }

    private static String cannotLoad(Tls tls) {
        return tls instanceof Tls.PemFiles files
                ? "cannot load TLS certificate " + files.certificateChain() + " / key " + files.privateKey() + ": "
                : "cannot load the self-signed certificate: ";
    }

    private static String fingerprint(X509Certificate certificate) throws GeneralSecurityException {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return m == null ? root.getClass().getSimpleName() : m;
    }
}
