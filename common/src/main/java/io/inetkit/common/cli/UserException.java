package io.inetkit.common.cli;

import java.util.function.Supplier;

/**
 * A failure the user can act on (a port in use, a missing interface, no permission), reported as one
 * line on stderr with its exit code, never as a stack trace.
 */
public class UserException extends RuntimeException {

    private final int exitCode;

    public UserException(String message) {
        this(message, Cli.EXIT_RUNTIME, null);
    }

    public UserException(String message, int exitCode) {
        this(message, exitCode, null);
    }

    public UserException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /**
     * What {@code what} returns; the {@link IllegalArgumentException} it throws (a record's or a parser's
     * check of a value the user gave) becomes a usage error with the same message.
     */
    public static <T> T usage(Supplier<T> what) {
        try {
            return what.get();
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage(), Cli.EXIT_USAGE);
        }
    }
}
