package io.inetkit.http.connection;

import io.inetkit.http.ClientOptions;
import io.inetkit.http.CurlException;
import io.inetkit.http.Failures;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * The client's TLS context, made once per run on first use: the JDK's provider; trust from the JDK's
 * CA store, {@code --cacert FILE}, or nobody checks ({@code -k}); the server's name checked against its
 * certificate unless {@code -k}; ALPN offering what the HTTP version flags allow.
 */
final class TlsContexts {

    private final ClientOptions options;
    private SslContext context;

    TlsContexts(ClientOptions options) {
        this.options = options;
    }

    /** ALPN protocols we offer, in order of preference. */
    List<String> alpn() {
        if (options.raw() || options.version() == ClientOptions.Version.HTTP_1_1) {
            return List.of(ApplicationProtocolNames.HTTP_1_1);
        }
        if (options.version() == ClientOptions.Version.HTTP_2_PRIOR_KNOWLEDGE) {
            return List.of(ApplicationProtocolNames.HTTP_2);
        }
        return List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);
    }

    synchronized SslContext context() throws CurlException {
        if (context == null) {
            context = build();
        }
        return context;
    }

    private SslContext build() throws CurlException {
        SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK);
        if (options.insecure()) {
            b.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
        } else {
            if (options.caCert() != null) {
                b.trustManager(readCertificates());
            }
            b.endpointIdentificationAlgorithm("HTTPS");
        }
        boolean h2 = alpn().contains(ApplicationProtocolNames.HTTP_2);
        if (h2) {
            b.ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE);
        }
        b.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, alpn()));
        try {
            return b.build();
        } catch (SSLException e) {
            throw new CurlException(CurlException.SSL_CONNECT_ERROR, "cannot set up TLS: " + Failures.message(e));
        }
    }

    private List<X509Certificate> readCertificates() throws CurlException {
        List<X509Certificate> certificates = new ArrayList<>();
        try (InputStream in = Files.newInputStream(options.caCert())) {
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certificates.add((X509Certificate) c);
            }
        } catch (IOException | CertificateException e) {
            throw new CurlException(CurlException.SSL_CACERT_BADFILE, "error setting certificate file: "
                    + options.caCert() + " (" + Failures.message(e) + ")");
        }
        if (certificates.isEmpty()) {
            throw new CurlException(CurlException.SSL_CACERT_BADFILE, "error setting certificate file: "
                    + options.caCert() + " (no PEM certificate in it)");
        }
        return certificates;
    }
}
