package io.inetkit.common.tls;

import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.internal.tcnative.SSL;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;

/**
 * Whether a completed TLS handshake resumed an earlier session (a TLS 1.2 session ID or ticket, a TLS 1.3 PSK)
 * instead of doing a full one: what the server's {@code inetkit_tls_handshakes_resumed_total} and the load
 * generator's "resumed" count report. Neither {@link SSLEngine} nor Netty says so in public:
 * <ul>
 *   <li>OpenSSL (BoringSSL through netty-tcnative): libssl's own answer, {@code SSL_session_reused}, through
 *       the engine's public native pointer;</li>
 *   <li>the JDK: a resumed session keeps the creation time of the session it resumes (TLS 1.2 reuses the
 *       session itself, TLS 1.3 copies it from the PSK's), so a session created before the handshake began
 *       was resumed.</li>
 * </ul>
 */
public final class Resumption {

    private Resumption() {
    }

    /**
     * @param engine           the engine of a handshake that has just completed successfully
     * @param handshakeStarted when the handshake began, in {@link System#currentTimeMillis()} terms
     */
    public static boolean resumed(SSLEngine engine, long handshakeStarted) {
        if (engine instanceof ReferenceCountedOpenSslEngine openSsl) {
            synchronized (openSsl) {
                long ssl = openSsl.sslPointer();
                return ssl != 0 && SSL.isSessionReused(ssl); // 0: the engine was already freed (closed)
            }
        }
        SSLSession session = engine.getSession();
        // The creation time is in whole milliseconds on both sides; a full handshake's session is created
        // during the handshake, so at or after its start.
        return session != null && session.getCreationTime() < handshakeStarted;
    }
}
