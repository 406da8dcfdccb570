package io.inetkit.server.http;

/** A piece of a path or query that does not fit the endpoint's grammar or limits: the client gets 400. */
final class BadInput extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadInput(String message) {
        super(message, null, false, false);
    }

    static int parseInt(String text, String what) {
        long value = parseLong(text, what);
        if (value > Integer.MAX_VALUE) {
            throw new BadInput(what + " too large: " + text);
        }
        return (int) value;
    }

    static long parseLong(String text, String what) {
        if (text == null || text.isEmpty()) {
            throw new BadInput("missing " + what + " in the path");
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new BadInput(what + " must be an integer: " + text);
        }
    }
}
