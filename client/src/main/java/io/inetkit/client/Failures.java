package io.inetkit.client;

import io.inetkit.common.cli.Cli;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.unix.Errors;

import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;

/**
 * Turns a socket failure into the client's exit code and one line a person can act on. Failures are
 * told apart by their type, and for Netty's native transports by the errno they carry, never by text.
 */
public final class Failures {

    private Failures() {
    }

    /** The exit code of a failed connect. */
    static int connectExitCode(Throwable cause) {
        return cause instanceof ConnectTimeoutException ? ClientCommand.EXIT_TIMEOUT : ClientCommand.EXIT_UNREACHABLE;
    }

    /** Why a connect failed, in a few words: "connection refused", "no route to host". */
    public static String connectReason(Throwable cause) {
        if (cause instanceof ConnectTimeoutException) {
            return "no answer (connect timed out)";
        }
        if (cause instanceof UnknownHostException || cause instanceof UnresolvedAddressException) {
            return "unknown host";
        }
        if (isRefused(cause)) {
            return "connection refused (nothing listening there?)";
        }
        if (cause instanceof NoRouteToHostException) {
            return "no route to host";
        }
        if (cause instanceof BindException) {
            return "cannot bind a local address (no free local port or bad source address): " + Cli.describe(cause);
        }
        return cause.getClass().getSimpleName() + ": " + Cli.describe(cause);
    }

    /**
     * True when a connect was refused. Netty's native transports report most connect errnos as a plain
     * {@link ConnectException} (the errno only in its text, as the JDK's does for ECONNREFUSED and
     * ETIMEDOUT), so every {@code ConnectException} counts as refused, by far the most common; a connect
     * timeout is Netty's {@link ConnectTimeoutException}, and UDP's refusal an ICMP port unreachable.
     */
    public static boolean isRefused(Throwable cause) {
        return cause instanceof ConnectException || cause instanceof PortUnreachableException;
    }

    /**
     * True when an I/O failure on an open connection is the peer's reset (RST, or EPIPE on a write):
     * Netty's native transports carry the errno ({@link Errors.NativeIoException#expectedErr()}); NIO
     * throws the JDK's {@code ConnectionResetException}, a {@link SocketException}.
     */
    public static boolean isReset(Throwable cause) {
        if (cause instanceof Errors.NativeIoException e) {
            return e.expectedErr() == Errors.ERRNO_ECONNRESET_NEGATIVE || e.expectedErr() == Errors.ERRNO_EPIPE_NEGATIVE;
        }
        return cause instanceof SocketException && !(cause instanceof ConnectException);
    }
}
