package io.inetkit.client;

import io.inetkit.common.cli.ConfigFileOption;
import io.inetkit.common.cli.Cli;
import io.inetkit.common.cli.DurationConverter;
import io.inetkit.common.cli.StandardHelp;
import io.inetkit.common.cli.UserException;
import io.inetkit.common.framing.Framing;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;

/** {@code inetkit client HOST PORT}: talk to an echo server interactively, or check it in one shot. */
@Command(name = "inetkit client",
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

    @Mixin
    EndpointOptions endpoint;

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

    @Option(names = "--count", paramLabel = "N", defaultValue = "" + ClientSettings.DEFAULT_COUNT,
            description = "One-shot: send the message N times (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = ClientSettings.DEFAULT_TIMEOUT_TEXT,
            converter = DurationConverter.class,
            description = "Connect timeout and wait per echo (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--udp", description = "Use UDP datagrams instead of TCP.")
    boolean udp;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "" + ClientSettings.DEFAULT_RETRIES,
            description = "UDP: resend a datagram up to N times when no echo comes (default: ${DEFAULT-VALUE}).")
    int retries;

    @Option(names = "--proxy-protocol", paramLabel = "v1|v2",
            description = "TCP: send a PROXY protocol header first, as a load balancer would (needs --proxy-source).")
    String proxyProtocol;

    @Option(names = "--proxy-source", paramLabel = "ADDR:PORT",
            description = "The client the PROXY header names, e.g. 203.0.113.7:40000; nothing is sent to it.")
    String proxySource;

    @Mixin
    ConfigFileOption config;

    @Mixin
    RunOptions run;

    private InputStream stdin = System.in;

    @Spec
    CommandSpec spec;

    @Mixin // last: picocli lists -h and -V where it is declared
    StandardHelp help;

    /** Reads interactive input from {@code in} instead of the process's stdin (tests). */
    ClientCommand withInput(InputStream in) {
        this.stdin = in;
        return this;
    }

    ClientSettings settings() {
        Framing f = endpoint.framing();
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
            return ClientSettings.builder(endpoint.host(), endpoint.port)
                    .framing(f)
                    .message(message)
                    .count(count)
                    .timeout(timeout)
                    .udp(udp)
                    .retries(retries)
                    .transport(run.transport())
                    .proxy(proxyProtocol == null ? null : ProxyHeaderSender.parseVersion(proxyProtocol),
                            proxySource == null ? null : ProxyHeaderSender.parseSource(proxySource))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage(), Cli.EXIT_USAGE);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        run.configureLogging();
        return EchoClient.run(settings(), spec.commandLine().getOut(), spec.commandLine().getErr(), stdin);
    }
}
