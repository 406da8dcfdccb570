package io.inetkit.server;

/** The server could not start: a port in use, an unknown address, an unavailable transport. */
public final class ServerStartException extends RuntimeException {

    public ServerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
