package io.inetkit.client.ws;

/** The names RFC 6455 section 7.4.1 (and IANA's registry since) give the close frame's status codes. */
public final class CloseCodes {

    private CloseCodes() {
    }

    /** {@code message too big} for 1009; {@code unassigned code} for what no one registered. */
    public static String name(int code) {
        return switch (code) {
            case 1000 -> "normal closure";
            case 1001 -> "going away";
            case 1002 -> "protocol error";
            case 1003 -> "unsupported data";
            case 1005 -> "no status code";
            case 1007 -> "invalid payload data";
            case 1008 -> "policy violation";
            case 1009 -> "message too big";
            case 1010 -> "mandatory extension";
            case 1011 -> "internal error";
            case 1012 -> "service restart";
            case 1013 -> "try again later";
            case 1014 -> "bad gateway";
            default -> code >= 4000 && code <= 4999 ? "private code" : code >= 3000 && code <= 3999
                    ? "registered code" : "unassigned code";
        };
    }
}
