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
            + "([ADDRESS]:PORT for IPv6); or a ws:// or wss:// URL for a WebSocket.")
    String host;

    @Parameters(index = "1", paramLabel = "PORT", arity = "0..1", description = "Server port.")
    String port;

    @Option(names = "--framing", paramLabel = "FRAMING", defaultValue = DEFAULT_FRAMING,
            description = "The server's framing (default: ${DEFAULT-VALUE}).")
    String framing;

    /** The first parameter as it was typed: HOST, HOST:PORT, or a ws:// URL. */
    public String typed() {
        return host;
    }

    /**
     * For a URL in HOST's place ({@code ws://}, {@code http://}): @throws UserException when a PORT follows it (the
     * URL carries its port) or --framing was given ({@code protocol}, WebSocket or HTTP, frames its own messages)
     */
    public void requireUrlAlone(String scheme, String protocol) {
        if (port != null) {
            throw new UserException((scheme.startsWith("h") ? "an " : "a ") + scheme + ":// URL carries its port: "
                    + "no PORT after it", Cli.EXIT_USAGE);
        }
        if (!DEFAULT_FRAMING.equals(framing)) {
            throw new UserException("--framing is for HOST PORT: " + protocol + " frames its own messages", Cli.EXIT_USAGE);
        }
    }

    /** The host, without the brackets of {@code [ADDRESS]:PORT}. */
    public String host() {
        return split()[0];
    }

    /** @throws UserException when PORT is missing or not 1..65535 */
    public int port() {
        return Checks.port("PORT", parse(split()[1]));
    }

    private static int parse(String port) {
        try {
            return Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new UserException("PORT must be a number from 1 to 65535: '" + port + "'", Cli.EXIT_USAGE);
        }
    }

    /** Listen mode's host: the first of two parameters, or of {@code HOST:PORT}; {@code fallback} for a lone PORT. */
    public String listenHost(String fallback) {
        return port == null && isNumber(host) ? fallback : host();
    }

    /** Listen mode's port: a lone parameter is the PORT, as in {@code nc -l 9000}. */
    public int listenPort() {
        int value = port == null && isNumber(host) ? Integer.parseInt(host) : parse(split()[1]);
        return value == 0 ? 0 : Checks.port("PORT", value); // 0: any free port
    }

    private static boolean isNumber(String text) {
        return !text.isEmpty() && text.length() < 6 && text.chars().allMatch(Character::isDigit);
    }

    /** HOST and PORT, from the two parameters or from {@code HOST:PORT} in the first. */
    private String[] split() {
        int scheme = host.indexOf("://");
        if (scheme > 0) {
            throw new UserException("unsupported URL scheme '" + host.substring(0, scheme) + "': give HOST PORT, or a "
                    + "ws:// or wss:// URL for a WebSocket" + (host.regionMatches(true, 0, "http", 0, 4)
                    ? " (for HTTP: inetkit http " + host + ")" : ""), Cli.EXIT_USAGE);
        }
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
