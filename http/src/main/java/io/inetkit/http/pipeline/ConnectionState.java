package io.inetkit.http.pipeline;

/**
 * What the handlers of one connection share, given to them by {@link HttpClientInitializer}: the exchange
 * the responses on the connection belong to (one at a time), and whether the server said GOAWAY.
 * Written by the transfer's thread, read on the event loop.
 */
public final class ConnectionState {

    private volatile Exchange current;
    private volatile boolean goneAway;

    /** The exchange the connection's responses belong to, or null before the first request. */
    public Exchange current() {
        return current;
    }

    public void current(Exchange exchange) {
        current = exchange;
    }

    /** The server sent GOAWAY: no new stream may start on this HTTP/2 connection. */
    void goAway() {
        goneAway = true;
    }

    public boolean goneAway() {
        return goneAway;
    }
}
