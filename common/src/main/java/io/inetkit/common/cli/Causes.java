package io.inetkit.common.cli;

/**
 * A throwable's cause chain, as the one-line errors read it: the first cause of a type, the root cause, and a
 * message without the class names the JDK nests in it ({@code "javax.net.ssl.SSLHandshakeException: PKIX path
 * building failed"} reads {@code "PKIX path building failed"}).
 */
public final class Causes {

    private Causes() {
    }

    /** The first of {@code t} and its causes that is a {@code type}, or null. */
    public static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    /** The last cause of {@code t}, or {@code t} itself. */
    public static Throwable root(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }

    /** {@code t}'s message on one line, without the class-name prefixes the JDK nests in it; else its class. */
    public static String message(Throwable t) {
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return t.getClass().getSimpleName();
        }
        m = m.replaceAll("(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error): ", "");
        return m.replace('\n', ' ').trim();
    }
}
