package io.inetkit.http;

import io.inetkit.common.cli.Causes;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http2.Http2Exception;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;

import static io.inetkit.common.cli.Causes.find;
import static io.inetkit.common.cli.Causes.root;

/** Turns what Netty and the JDK throw into curl's exit codes and one line a person can act on. */
public final class Failures {

    /** How Netty's native transports begin the message of a failed system call: "connect(..) failed: ". */
    private static final String NATIVE_PREFIX = "(..) failed: ";

    private Failures() {
    }

    /** A failure while receiving: the connection broke, TLS failed, HTTP/2 framing went wrong. */
    public static CurlException receive(Throwable cause, Target target) {
        SSLHandshakeException handshake = find(cause, SSLHandshakeException.class);
        if (handshake != null) {
            return tls(handshake, target);
        }
        Http2Exception h2 = find(cause, Http2Exception.class);
        if (h2 != null) {
            return new CurlException(CurlException.HTTP2, "Error in the HTTP/2 framing layer: "
                    + h2.error() + ": " + message(h2));
        }
        IOException io = find(cause, IOException.class);
        Throwable shown = io != null ? io : root(cause);
        return new CurlException(CurlException.RECV_ERROR, "Recv failure: " + message(shown));
    }

    /** A response the HTTP decoder refused. */
    public static CurlException decode(Throwable cause, int maxHeaderSize) {
        if (cause instanceof TooLongHttpHeaderException) {
            return new CurlException(CurlException.RECV_ERROR, "Response header block larger than "
                    + maxHeaderSize + " bytes: stopped reading");
        }
        if (cause instanceof TooLongHttpLineException) {
            return new CurlException(CurlException.WEIRD_SERVER_REPLY, "Weird server reply: status line longer than "
                    + maxHeaderSize + " bytes");
        }
        if (cause instanceof PrematureChannelClosureException) {
            return new CurlException(CurlException.RECV_ERROR,
                    "Connection closed by the server in the middle of the response headers");
        }
        return new CurlException(CurlException.WEIRD_SERVER_REPLY, "Weird server reply: " + message(cause));
    }

    /** A TLS handshake that failed: which check, in words, and what to do about it. */
    public static CurlException tls(Throwable cause, Target target) {
        String where = "TLS handshake with " + target.host() + " port " + target.port() + " failed: ";
        String why;
        CertificateExpiredException expired = find(cause, CertificateExpiredException.class);
        CertificateNotYetValidException notYet = find(cause, CertificateNotYetValidException.class);
        if (expired != null) {
            why = "the server's certificate has expired (" + message(expired) + "); -k skips the check";
        } else if (notYet != null) {
            why = "the server's certificate is not valid yet (" + message(notYet) + "); -k skips the check";
        } else if (find(cause, CertPathBuilderException.class) != null
                || find(cause, CertPathValidatorException.class) != null) {
            why = "the server's certificate is not trusted (no chain to a trusted CA: " + message(root(cause))
                    + "); --cacert FILE trusts a CA, -k skips the check";
        } else if (nameMismatch(cause)) {
            why = "the server's certificate does not match " + target.host() + " (" + message(root(cause))
                    + "); -k skips the check";
        } else {
            why = message(root(cause));
        }
        return new CurlException(CurlException.SSL_CONNECT_ERROR, where + why);
    }

    /** A throwable's message without the class-name prefixes the JDK nests in it. */
    public static String message(Throwable t) {
        return Causes.message(t);
    }

    /**
     * The JDK's host name check (RFC 2818) throws a plain {@link CertificateException}; every other
     * certificate failure has a subclass of its own (expired, not yet valid, no path to a trusted CA).
     */
    private static boolean nameMismatch(Throwable cause) {
        for (Throwable c = cause; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c.getClass() == CertificateException.class) {
                return true;
            }
        }
        return false;
    }

    /**
     * Why a TCP connect failed, in the system's words ({@code Connection refused}, {@code No route to host}):
     * the innermost exception's message, without Netty's {@code ": /address"} annotation and the native
     * transports' {@code "connect(..) failed: "} prefix.
     */
    public static String connectFailure(Throwable cause) {
        String m = message(root(cause));
        int prefix = m.indexOf(NATIVE_PREFIX);
        return prefix >= 0 ? m.substring(prefix + NATIVE_PREFIX.length()) : m;
    }
}
