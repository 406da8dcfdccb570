package io.inetkit.http;

/**
 * A failed transfer with curl's exit code for it. Printed as one line, as curl does:
 * {@code inetkit http: (7) Failed to connect to 127.0.0.1 port 1 after 0 ms: Connection refused}.
 */
final class CurlException extends Exception {

    private static final long serialVersionUID = 1L;

    static final int UNSUPPORTED_PROTOCOL = 1;
    static final int MALFORMED_URL = 3;
    static final int COULD_NOT_RESOLVE_HOST = 6;
    static final int COULD_NOT_CONNECT = 7;
    static final int WEIRD_SERVER_REPLY = 8;
    static final int HTTP2 = 16;
    static final int HTTP_RETURNED_ERROR = 22;
    static final int WRITE_ERROR = 23;
    static final int READ_ERROR = 26;
    static final int OPERATION_TIMEDOUT = 28;
    static final int SSL_CONNECT_ERROR = 35;
    static final int TOO_MANY_REDIRECTS = 47;
    static final int GOT_NOTHING = 52;
    static final int SEND_ERROR = 55;
    static final int RECV_ERROR = 56;
    static final int SSL_CACERT_BADFILE = 77;
    static final int HTTP2_STREAM = 92;

    private final int exitCode;

    CurlException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }

    /** The line curl would print after its program name: {@code (7) Failed to connect ...}. */
    String line() {
        return "(" + exitCode + ") " + getMessage();
    }
}
