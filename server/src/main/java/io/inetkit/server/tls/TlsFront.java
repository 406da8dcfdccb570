package io.inetkit.server.tls;

import io.inetkit.server.RateLimitedLog;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.Mapping;
import io.netty.util.ReferenceCountUtil;

/**
 * TLS at the front of a listener's pipeline, whatever the protocol behind it: put by the protocol's
 * initializer right after {@code idle} (and after the PROXY pair on a {@code :proxy} listener).
 *
 * <pre>
 *   ... ──► tls ──► tls-handshake ──► (the protocol: framer, echo / http-codec, ...)
 *           │       └ counts and times the handshake, logs a failed one (rate-limited) and closes; keeps the
 *           │         live connections' version and cipher; logs a verified client ({@link TlsHandshakeHandler})
 *           └ reads the ClientHello, picks the certificate by SNI from the mapping in use at that moment
 *             (rotation swaps it), then becomes that context's SslHandler, same name, with the handshake timeout
 * </pre>
 */
public final class TlsFront {

    public static final String TLS = "tls";
    public static final String HANDSHAKE = "tls-handshake";

    private final ServerTls tls;
    private final TlsMeters meters;
    private final RateLimitedLog log;
    private final long timeoutMillis;

    public TlsFront(ServerTls tls, TlsMeters meters, RateLimitedLog log) {
        this.tls = tls;
        this.meters = meters;
        this.log = log;
        this.timeoutMillis = tls.settings().handshakeTimeout().toMillis();
    }

    /** Adds {@value #TLS} and {@value #HANDSHAKE} at the end of {@code p}. */
    public void addTo(ChannelPipeline p) {
        p.addLast(TLS, new NamedSniHandler(tls.mapping(), timeoutMillis));
        p.addLast(HANDSHAKE, new TlsHandshakeHandler(meters, log, tls.settings().clientAuth(), timeoutMillis));
    }

    public TlsMeters meters() {
        return meters;
    }

    /** Netty's SNI handler, which puts its SslHandler under the name {@value #TLS} instead of the class's. */
    static final class NamedSniHandler extends SniHandler {

        NamedSniHandler(Mapping<? super String, ? extends SslContext> mapping, long handshakeTimeoutMillis) {
            super(mapping, handshakeTimeoutMillis);
        }

        @Override
        protected void replaceHandler(ChannelHandlerContext ctx, String hostname, SslContext sslContext) {
            SslHandler ssl = null;
            try {
                ssl = newSslHandler(sslContext, ctx.alloc());
                ctx.pipeline().replace(this, TLS, ssl);
                ssl = null;
            } finally {
                if (ssl != null) {
                    ReferenceCountUtil.safeRelease(ssl.engine());
                }
            }
        }
    }
}
