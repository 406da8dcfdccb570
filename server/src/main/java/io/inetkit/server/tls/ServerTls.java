package io.inetkit.server.tls;

import io.inetkit.server.ServerStartException;

import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The certificates one TLS listener serves now, and their reload: {@link #reload()} reads the files again
 * and swaps the SNI mapping atomically, so new handshakes use the new certificates while connections already
 * open keep theirs. A reload that fails (a file half-written, a certificate expired, a key that is not the
 * certificate's) keeps the certificates in use and says why.
 */
public final class ServerTls {

    private static final Logger log = LoggerFactory.getLogger(ServerTls.class);

    private final TlsSettings settings;
    private final TlsContexts.ProviderChoice provider;
    private final List<String> alpn;
    private final TlsContexts.Material selfSigned;
    private final AtomicReference<TlsContexts.Contexts> current = new AtomicReference<>();
    /** What every connection's SNI handler asks: always the mapping in use at that handshake. */
    private final Mapping<String, SslContext> mapping = host -> current.get().mapping().map(host);

    private ServerTls(TlsSettings settings, TlsContexts.ProviderChoice provider, List<String> alpn,
                      TlsContexts.Material selfSigned) {
        this.settings = settings;
        this.provider = provider;
        this.alpn = List.copyOf(alpn);
        this.selfSigned = selfSigned;
    }

    /**
     * Reads (or makes) the certificates of one listener now.
     *
     * @param alpn protocols offered by ALPN, or none
     * @throws ServerStartException naming the file and the reason (unreadable, expired, key mismatch)
     */
    public static ServerTls start(TlsSettings settings, TlsContexts.ProviderChoice provider, List<String> alpn,
                                  InetAddress bindAddress) {
        TlsContexts.Material selfSigned = settings.certificate() instanceof Tls.SelfSigned
                ? TlsContexts.selfSigned(bindAddress) : null;
        ServerTls tls = new ServerTls(settings, provider, alpn, selfSigned);
        tls.current.set(TlsContexts.build(settings, selfSigned, alpn, provider.provider(), Instant.now()));
        return tls;
    }

    /** Reads the certificate files again; true when the new ones are in use, false (and a WARN) when not. */
    public boolean reload() {
        try {
            TlsContexts.Contexts next = TlsContexts.build(settings, selfSigned, alpn, provider.provider(), Instant.now());
            current.set(next);
            log.info("TLS certificates reloaded: {}", next.summary());
            return true;
        } catch (ServerStartException e) {
            log.warn("TLS reload failed, keeping the certificates in use: {}", e.getMessage());
            return false;
        }
    }

    /** The SNI mapping of the certificates in use. */
    Mapping<String, SslContext> mapping() {
        return mapping;
    }

    public TlsSettings settings() {
        return settings;
    }

    /** What the listener serves, for the start-up line: the files (or the self-signed fingerprint) and names. */
    public String summary() {
        return current.get().summary();
    }

    public TlsContexts.ProviderChoice provider() {
        return provider;
    }
}
