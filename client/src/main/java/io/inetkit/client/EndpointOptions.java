package io.inetkit.client;

import io.inetkit.common.cli.Checks;
import io.inetkit.common.cli.UserException;
import io.inetkit.common.framing.Framing;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The server a client command talks to: {@code HOST PORT} and its {@code --framing}; a picocli mixin. */
public final class EndpointOptions {

    public static final String DEFAULT_FRAMING = "raw";

    @Parameters(index = "0", paramLabel = "HOST", description = "Server host name or address.")
    String host;

    @Parameters(index = "1", paramLabel = "PORT", description = "Server port.")
    int port;

    @Option(names = "--framing", paramLabel = "FRAMING", defaultValue = DEFAULT_FRAMING,
            description = "The server's framing (default: ${DEFAULT-VALUE}).")
    String framing;

    public String host() {
        return host;
    }

    /** @throws UserException when PORT is not 1..65535 */
    public int port() {
        return Checks.port("PORT", port);
    }

    /** @throws UserException when FRAMING is not a framing spec */
    public Framing framing() {
        return UserException.usage(() -> Framing.parse(framing));
    }
}
