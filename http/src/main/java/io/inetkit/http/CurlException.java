package io.inetkit.http;

/**
 * A failed transfer with curl's exit code for it. Printed as one line, as curl does:
 * {@code inetkit http: (7) Failed to connect to 127.0.0.1 port 1 after 0 ms: Connection refused}.
 */
public final class CurlException extends Exception {

    private static final long serialVersionUID = 1L;

    public static final int UNSUPPORTED_PROTOCOL = 1;
    public static final int MALFORMED_URL = 3;
    public static final int COULD_NOT_RESOLVE_HOST = 6;
    public static final int COULD_NOT_CONNECT = 7;
    public static final int WEIRD_SERVER_REPLY = 8;
    public static final int HTTP2 = 16;
    public static final int HTTP_RETURNED_ERROR = 22;
    public static final int WRITE_ERROR = 23;
    public static final int READ_ERROR = 26;
    public static final int OPERATION_TIMEDOUT = 28;
    public static final int SSL_CONNECT_ERROR = 35;
    public static final int TOO_MANY_REDIRECTS = 47;
    public static final int GOT_NOTHING = 52;
    public static final int SEND_ERROR = 55;
    public static final int RECV_ERROR = 56;
    public static final int SSL_CACERT_BADFILE = 77;
    public static final int HTTP2_STREAM = 92;

    private final int exitCode;

    public CurlException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** The line curl would print after its program name: {@code (7) Failed to connect ...}. */
    String line() {
        return "(" + exitCode + ") " + getMessage();
    }
}
