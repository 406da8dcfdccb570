package io.inetkit.client;

import io.inetkit.common.cli.ConfigFileOption;
import io.inetkit.common.cli.Cli;
import io.inetkit.common.cli.DurationConverter;
import io.inetkit.common.cli.Logging;
import io.inetkit.common.cli.UserException;
import io.inetkit.common.cli.Version;
import io.inetkit.common.framing.Framing;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;

/** {@code inetkit client HOST PORT}: talk to an echo server interactively, or check it in one shot. */
@Command(name = "inetkit client", mixinStandardHelpOptions = true, versionProvider = Version.class,
        sortOptions = false, usageHelpWidth = 100,
        description = {
                "Echo client. Without --message or --file it is interactive, like nc: each stdin line goes",
                "to the server as one frame of --framing, and each echoed frame is printed as a line.",
                "With --message or --file it is a one-shot check: send, wait for the echo, verify it",
                "byte for byte, print the round-trip time; --count repeats, each after the previous echo."},
        footer = {"",
                "FRAMING (the server's): raw | fixed:N | line[:MAX] | delimiter:SEQ[:MAX] | length:W[:MAX]",
                "  fixed:N pads and splits: a shorter message is padded with NUL bytes to N, a longer one",
                "  is cut into N-byte frames (the last padded); printed echoes drop the NUL padding.",
                "  raw: the echo is complete when as many bytes came back as were sent.",
                "UDP: each message is one datagram; no echo within --timeout sends it again (--retries).",
                "Exit codes: 0 every echo matched, 1 an echo differed, 2 usage error, 3 refused or",
                "unreachable, 4 timeout (or UDP loss), 5 connection reset or closed before the echo."})
public final class ClientCommand implements Callable<Integer> {

    /** An echo differed from what was sent. */
    public static final int EXIT_MISMATCH = 1;
    /** Connection refused, host unknown or unreachable. */
    public static final int EXIT_UNREACHABLE = 3;
    /** No (complete) echo within the timeout; for UDP, datagrams lost after every retry. */
    public static final int EXIT_TIMEOUT = 4;
    /** The server reset or closed the connection before the echo was complete. */
    public static final int EXIT_CLOSED = 5;

    @Parameters(index = "0", paramLabel = "HOST", description = "Server host name or address.")
    String host;

    @Parameters(index = "1", paramLabel = "PORT", description = "Server port.")
    int port;

    @Option(names = "--framing", paramLabel = "FRAMING", defaultValue = "raw",
            description = "The server's framing (default: ${DEFAULT-VALUE}).")
    String framing;

    @ArgGroup(exclusive = true)
    Source source;

    static final class Source {
        @Option(names = "--message", paramLabel = "TEXT", description = "One-shot: send TEXT (UTF-8).")
        String message;

        @Option(names = "--file", paramLabel = "FILE",
                description = "One-shot: send the bytes of FILE (line/delimiter framing: one trailing newline is "
                        + "dropped).")
        Path file;
    }

    @Option(names = "--count", paramLabel = "N", defaultValue = "1",
            description = "One-shot: send the message N times (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "Connect timeout and wait per echo (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--udp", description = "Use UDP datagrams instead of TCP.")
    boolean udp;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "2",
            description = "UDP: resend a datagram up to N times when no echo comes (default: ${DEFAULT-VALUE}).")
    int retries;

    @Option(names = "--transport", paramLabel = "auto|io_uring|epoll|nio", defaultValue = "auto",
            description = "I/O transport (default: ${DEFAULT-VALUE}).")
    String transport;

    @Mixin
    ConfigFileOption config;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "warn",
            description = "trace, debug, info, warn, error or off (default: ${DEFAULT-VALUE}).")
    String logLevel;

    private InputStream stdin = System.in;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Reads interactive input from {@code in} instead of the process's stdin (tests). */
    ClientCommand withInput(InputStream in) {
        this.stdin = in;
        return this;
    }

    ClientSettings settings() {
        Framing f;
        try {
            f = Framing.parse(framing);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage(), Cli.EXIT_USAGE);
        }
        byte[] message = null;
        if (source != null && source.message != null) {
            message = source.message.getBytes(StandardCharsets.UTF_8);
        } else if (source != null && source.file != null) {
            try {
                message = Files.readAllBytes(source.file);
            } catch (IOException e) {
                throw new UserException("cannot read --file " + source.file + ": " + Cli.describe(e), Cli.EXIT_USAGE);
            }
            if ((f instanceof Framing.Line || f instanceof Framing.Delimiter) && message.length > 0
                    && message[message.length - 1] == '\n') {
                int n = message.length - 1;
                if (n > 0 && message[n - 1] == '\r') {
                    n--;
                }
                message = Arrays.copyOf(message, n);
            }
        }
        try {
            return new ClientSettings(host, port, f, message, count, timeout, udp, retries, transport);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage(), Cli.EXIT_USAGE);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        try {
            Logging.configureConsole(Logging.parseLevel(logLevel));
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage(), Cli.EXIT_USAGE);
        }
        ClientSettings s = settings();
        java.io.PrintWriter out = spec.commandLine().getOut();
        java.io.PrintWriter err = spec.commandLine().getErr();
        if (s.udp()) {
            UdpEchoClient client = new UdpEchoClient(s, out, err);
            return s.interactive() ? client.interactive(stdin) : client.oneShot();
        }
        TcpEchoClient client = new TcpEchoClient(s, out, err);
        return s.interactive() ? client.interactive(stdin) : client.oneShot();
    }
}
