package io.inetkit.client;

import io.inetkit.common.cli.Checks;
import io.inetkit.common.cli.Cli;
import io.inetkit.common.cli.UserException;
import io.inetkit.common.framing.Framing;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The server a client command talks to: {@code HOST PORT}, or {@code HOST:PORT} as nc, curl and ssh users
 * type it ({@code [::1]:5005} for an IPv6 address), and its {@code --framing}; a picocli mixin.
 */
public final class EndpointOptions {

    public static final String DEFAULT_FRAMING = "raw";

    @Parameters(index = "0", paramLabel = "HOST", description = "Server host name or address; or HOST:PORT "
            + "([ADDRESS]:PORT for IPv6).")
    String host;

    @Parameters(index = "1", paramLabel = "PORT", arity = "0..1", description = "Server port.")
    String port;

    @Option(names = "--framing", paramLabel = "FRAMING", defaultValue = DEFAULT_FRAMING,
            description = "The server's framing (default: ${DEFAULT-VALUE}).")
    String framing;

    /** The host, without the brackets of {@code [ADDRESS]:PORT}. */
    public String host() {
        return split()[0];
    }

    /** @throws UserException when PORT is missing or not 1..65535 */
    public int port() {
        String text = split()[1];
        int value;
        try {
            value = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new UserException("PORT must be a number from 1 to 65535: '" + text + "'", Cli.EXIT_USAGE);
        }
        return Checks.port("PORT", value);
    }

    /** HOST and PORT, from the two parameters or from {@code HOST:PORT} in the first. */
    private String[] split() {
        if (port != null) {
            return new String[] {host, port};
        }
        int colon = host.lastIndexOf(':');
        if (host.startsWith("[") && host.indexOf("]:") == colon - 1) {
            return new String[] {host.substring(1, colon - 1), host.substring(colon + 1)};
        }
        if (colon > 0 && host.indexOf(':') == colon) { // one colon: not a bare IPv6 address
            return new String[] {host.substring(0, colon), host.substring(colon + 1)};
        }
        throw new UserException("missing PORT: give HOST PORT or HOST:PORT ([ADDRESS]:PORT for IPv6), not '"
                + host + "'", Cli.EXIT_USAGE);
    }

    /** @throws UserException when FRAMING is not a framing spec */
    public Framing framing() {
        return UserException.usage(() -> Framing.parse(framing));
    }
}
