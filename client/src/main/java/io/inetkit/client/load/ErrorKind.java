package io.inetkit.client.load;

/** What went wrong, by kind; the report counts each. */
enum ErrorKind {
    /** Echoed bytes differ from what was sent (or more bytes came back than were sent). */
    MISMATCH("mismatch"),
    /** The connect was refused: nothing listens there, or the backlog is full. */
    CONNECT_REFUSED("connect-refused"),
    /** The connect got no answer within --connect-timeout. */
    CONNECT_TIMEOUT("connect-timeout"),
    /** Any other connect failure, e.g. no free local port ("cannot assign requested address"). */
    CONNECT_FAILED("connect-failed"),
    /**
     * The server closed (or reset) a connection before its first echo: what a server-side connection
     * limit does to the connections over it ({@code inetkit server --max-connections},
     * {@code --max-connections-per-ip} close them at once).
     */
    CLOSED_AT_CONNECT("closed-at-connect"),
    /** The server reset an established connection. */
    RESET("reset"),
    /** The server closed an established connection (EOF) while the run went on. */
    CLOSED("closed"),
    /** An echo did not come back within --timeout (TCP; the connection is then closed). */
    TIMEOUT("timeout"),
    /** UDP: ICMP port unreachable. */
    UNREACHABLE("unreachable"),
    /** Another I/O failure on an established connection. */
    IO_ERROR("io-error"),
    /** The TLS handshake failed (certificate not trusted, expired, wrong name; the server refused ours). */
    TLS_HANDSHAKE("tls-handshake"),
    /** The WebSocket upgrade failed: an HTTP status other than 101, a bad Sec-WebSocket-Accept, no answer. */
    WS_UPGRADE("ws-upgrade"),
    /** The server closed a WebSocket during the run with a close frame (its code is counted in the report). */
    WS_CLOSED("ws-closed"),
    /** HTTP: a response whose status is not one of --ok-status (2xx by default). */
    HTTP_STATUS("http-status"),
    /** HTTP: what came back is not a valid response (a bad status line or headers, a protocol error). */
    HTTP_PROTOCOL("http-protocol");

    private final String label;

    ErrorKind(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }
}
