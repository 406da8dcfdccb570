package io.inetkit.server;

import java.io.IOException;
import java.net.InetAddress;

/** The server could not start: a port in use, an unknown address, an unavailable transport. */
public final class ServerStartException extends RuntimeException {

    public ServerStartException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * "cannot listen on tcp 127.0.0.1:5005: address already in use": a failed bind in words a user can act on.
     *
     * @param what {@code tcp}, {@code udp}, {@code admin http}...
     */
    public static ServerStartException bindFailed(String what, InetAddress address, int port, Throwable cause) {
        String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (why.contains("Address already in use")) {
            why = "address already in use";
        } else if (why.contains("Permission denied") || why.contains("permission denied")) {
            why = "permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)";
        } else if (cause instanceof IOException && why.contains("Cannot assign requested address")) {
            why = "no such local address";
        }
        return new ServerStartException("cannot listen on " + what + " " + address.getHostAddress() + ":" + port
                + ": " + why, cause);
    }
}
