package io.inetkit.client;

import io.inetkit.common.cli.Logging;
import io.inetkit.common.cli.UserException;
import picocli.CommandLine.Option;

/** {@code --transport} and {@code --log-level}, the same in every client command; a picocli mixin. */
public final class RunOptions {

    public static final String DEFAULT_TRANSPORT = "auto";
    public static final String DEFAULT_LOG_LEVEL = "warn";

    @Option(names = "--transport", paramLabel = "auto|io_uring|epoll|nio", defaultValue = DEFAULT_TRANSPORT,
            description = "I/O transport (default: ${DEFAULT-VALUE}).")
    String transport;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = DEFAULT_LOG_LEVEL,
            description = "trace, debug, info, warn, error or off (default: ${DEFAULT-VALUE}).")
    String logLevel;

    public String transport() {
        return transport;
    }

    /** Sets the console log level; @throws UserException when LEVEL is not one */
    public void configureLogging() {
        Logging.configureConsole(UserException.usage(() -> Logging.parseLevel(logLevel)));
    }
}
