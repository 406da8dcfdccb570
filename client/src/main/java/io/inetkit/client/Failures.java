package io.inetkit.client;

import io.inetkit.common.cli.Cli;
import io.netty.channel.ConnectTimeoutException;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.UnknownHostException;
import java.util.Locale;

/** Turns a socket failure into the client's exit code and one line a person can act on. */
final class Failures {

    private Failures() {
    }

    /** The exit code of a failed connect. */
    static int connectExitCode(Throwable cause) {
        return cause instanceof ConnectTimeoutException ? ClientCommand.EXIT_TIMEOUT : ClientCommand.EXIT_UNREACHABLE;
    }

    /** Why a connect failed, in a few words: "connection refused", "timed out after 5000 ms". */
    static String connectReason(Throwable cause) {
        String m = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
        if (cause instanceof ConnectTimeoutException) {
            return "no answer (connect timed out)";
        }
        if (cause instanceof UnknownHostException || cause instanceof java.nio.channels.UnresolvedAddressException) {
            return "unknown host";
        }
        if (m.contains("refused") || cause instanceof PortUnreachableException) {
            return "connection refused (nothing listening there?)";
        }
        if (cause instanceof NoRouteToHostException || m.contains("no route")) {
            return "no route to host";
        }
        if (m.contains("cannot assign requested address")) {
            return "cannot assign requested address (no free local port or bad source address)";
        }
        return cause instanceof ConnectException ? Cli.describe(cause) : cause.getClass().getSimpleName() + ": "
                + Cli.describe(cause);
    }

    /** True when an I/O failure on an open connection is the peer's reset (RST). */
    static boolean isReset(Throwable cause) {
        String m = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
        return m.contains("connection reset") || m.contains("broken pipe");
    }
}
