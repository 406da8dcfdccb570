package io.inetkit.server.tls;

import io.inetkit.common.tls.Resumption;
import io.inetkit.server.RateLimitedLog;
import io.inetkit.server.stream.ClientAddress;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Right behind {@link TlsFront#TLS}: what became of the handshake. A successful one is timed, counted as
 * resumed when it resumed an earlier session ({@link Resumption}), its version
 * and cipher counted among the live connections until the close, and a verified client certificate's
 * subject logged (INFO the first time a listener sees it, DEBUG after) and counted. A failed one is counted by
 * {@linkplain TlsMeters.Result result}, logged in one rate-limited line naming the peer and the reason, and
 * closed; its exception goes no further (no stack trace, no frame error). TLS errors after the handshake
 * (a bad record) close the connection with a DEBUG line.
 *
 * <pre>
 * WARN tcp/5443: TLS handshake with /127.0.0.1:40312 failed: not TLS (plaintext sent to a TLS port)
 * WARN tcp/5443: TLS handshake with /127.0.0.1:40318 failed: no handshake within 10000 ms
 * </pre>
 */
final class TlsHandshakeHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(TlsHandshakeHandler.class);

    private final TlsMeters meters;
    private final RateLimitedLog warnings;
    private final TlsSettings.ClientAuth clientAuth;
    private final long timeoutMillis;
    private long start;
    private long startMillis; // the wall clock's start, which a JDK session's creation time is compared with
    private boolean done;
    private AtomicInteger live;

    TlsHandshakeHandler(TlsMeters meters, RateLimitedLog warnings, TlsSettings.ClientAuth clientAuth, long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
        this.meters = meters;
        this.warnings = warnings;
        this.clientAuth = clientAuth;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        start = System.nanoTime();
        startMillis = System.currentTimeMillis();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent e) {
            if (e.isSuccess()) {
                succeeded(ctx);
            } else {
                failed(ctx, e.cause());
            }
        } else if (evt instanceof SniCompletionEvent e && !e.isSuccess()) {
            failed(ctx, e.cause()); // before any SslHandler: no ClientHello in time, or a broken one
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void succeeded(ChannelHandlerContext ctx) {
        if (done) {
            return;
        }
        done = true;
        meters.handshakes(TlsMeters.Result.OK).increment();
        meters.duration.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return;
        }
        if (Resumption.resumed(ssl.engine(), startMillis)) {
            meters.resumed.increment();
        }
        SSLSession session = ssl.engine().getSession();
        live = meters.live(session.getProtocol(), session.getCipherSuite());
        live.incrementAndGet();
        if (clientAuth != TlsSettings.ClientAuth.NONE) {
            try {
                Certificate[] peer = session.getPeerCertificates();
                if (peer.length > 0 && peer[0] instanceof X509Certificate c) {
                    String subject = c.getSubjectX500Principal().getName();
                    if (meters.verified(subject)) {
                        log.info("{}: client {} verified as {}", meters.listener, ClientAddress.of(ctx.channel()), subject);
                    } else {
                        log.debug("{}: client {} verified as {}", meters.listener, ClientAddress.of(ctx.channel()), subject);
                    }
                }
            } catch (SSLPeerUnverifiedException e) {
                log.debug("{}: client {} sent no certificate (optional)", meters.listener, ClientAddress.of(ctx.channel()));
            }
        }
    }

    private void failed(ChannelHandlerContext ctx, Throwable cause) {
        if (done) {
            return;
        }
        done = true;
        TlsMeters.Result result = classify(cause, clientAuth);
        meters.handshakes(result).increment();
        if (result == TlsMeters.Result.CLOSED) {
            log.debug("{}: {} closed the connection during the TLS handshake", meters.listener, ClientAddress.of(ctx.channel()));
            ctx.close();
            return;
        }
        warnings.warn("{}: TLS handshake with {} failed: {}", meters.listener, ClientAddress.of(ctx.channel()),
                reason(result, cause));
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!isTls(cause)) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        if (!done) {
            failed(ctx, cause); // the handshake event may follow; counted once
            return;
        }
        log.debug("{} {}: TLS error: {}", meters.listener, ClientAddress.of(ctx.channel()), TlsContexts.rootMessage(cause));
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (live != null) {
            live.decrementAndGet();
            live = null;
        }
        ctx.fireChannelInactive();
    }

    static boolean isTls(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLException || t instanceof NotSslRecordException) {
                return true;
            }
        }
        return false;
    }

    static TlsMeters.Result classify(Throwable cause, TlsSettings.ClientAuth clientAuth) {
        boolean certificate = false;
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof NotSslRecordException) {
                return TlsMeters.Result.NOT_TLS;
            }
            if (t instanceof SslHandshakeTimeoutException) {
                return TlsMeters.Result.TIMEOUT;
            }
            if (t instanceof java.nio.channels.ClosedChannelException) {
                return TlsMeters.Result.CLOSED;
            }
            String m = t.getMessage() == null ? "" : t.getMessage();
            if (t instanceof CertificateException || (!m.contains("Received fatal alert")
                    && (m.contains("certificate") || m.contains("CERTIFICATE")))) {
                certificate = true;
            }
        }
        return certificate && clientAuth != TlsSettings.ClientAuth.NONE ? TlsMeters.Result.CLIENT_CERT
                : TlsMeters.Result.FAILED;
    }

    private String reason(TlsMeters.Result result, Throwable cause) {
        return switch (result) {
            case NOT_TLS -> "not TLS (plaintext sent to a TLS port)";
            case TIMEOUT -> "handshake not done within " + timeoutMillis + " ms (--tls-handshake-timeout)";
            case CLIENT_CERT -> "client certificate refused: " + TlsContexts.rootMessage(cause);
            default -> TlsContexts.rootMessage(cause);
        };
    }
}
