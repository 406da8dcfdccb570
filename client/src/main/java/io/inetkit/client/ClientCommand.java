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
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;

/** {@code inetkit client HOST PORT}: talk to an echo server interactively, or check it in one shot. */
@Command(name = "inetkit client",
        description = {
                "Echo client. Without --message or --file it is interactive, like nc -N: each stdin line goes",
                "to the server as one frame of --framing (raw: stdin as it is read), and each echo is written",
                "to stdout as bytes, so stdout is stdin byte for byte. -l listens instead, -z checks a port.",
                "With --message or --file it is a one-shot check: send, wait for the echo, verify it",
                "byte for byte, print the echo and the round-trip time; --count repeats, each after the",
                "previous echo (and --interval); Ctrl-C prints the summary so far, as ping does."},
        footer = {"",
                "FRAMING (the server's): raw | fixed:N | line[:MAX] | delimiter:SEQ[:MAX] | length:W[:MAX]",
                "  fixed:N pads and splits: a shorter message is padded with NUL bytes to N, a longer one",
                "  is cut into N-byte frames (the last padded); the padding is cut from the echoes again.",
                "  raw: the echo is complete when as many bytes came back as were sent.",
                "UDP: each message is one datagram; no echo within --timeout sends it again (--retries).",
                "Exit codes: 0 every echo matched, 1 an echo differed, 2 usage error, 3 refused or",
                "unreachable, 4 timeout (or UDP loss), 5 connection reset or closed before the echo,",
                "TLS: 6 certificate not trusted, 7 expired, 8 name mismatch, 9 other handshake failure,",
                "WebSocket: 10 upgrade refused, 11 closed by the server with an error code; 130 Ctrl-C",
                "during a one-shot run.",
                "WebSocket: HOST is a ws:// or wss:// URL (ws://HOST[:PORT][/PATH], default port 80, 443):",
                "  each stdin line is one text message (--binary: binary), each message back one line on",
                "  stdout; one-shot, --message goes as text, --file as binary unless it is UTF-8 text.",
                "  The run ends with the closing handshake (1000); the close codes are printed.",
                "",
                "Examples:",
                "  inetkit client 127.0.0.1 5005                           type lines, see them echoed",
                "  inetkit client 127.0.0.1:5006 --framing line --message hi -c 5 -i 1s  like ping",
                "  inetkit client -u 127.0.0.1 5005 --message hello        one UDP datagram and its echo",
                "  inetkit client ws://127.0.0.1:5008/ --message hi -c 3   WebSocket echo, verified"})
public final class ClientCommand implements Callable<Integer> {

    /** An echo differed from what was sent. */
    public static final int EXIT_MISMATCH = 1;
    /** Connection refused, host unknown or unreachable. */
    public static final int EXIT_UNREACHABLE = 3;
    /** No (complete) echo within the timeout; for UDP, datagrams lost after every retry. */
    public static final int EXIT_TIMEOUT = 4;
    /** The server reset or closed the connection before the echo was complete. */
    public static final int EXIT_CLOSED = 5;
    /** TLS: the server's certificate does not chain to a trusted CA (--cacert, or the system's). */
    public static final int EXIT_TLS_UNTRUSTED = 6;
    /** TLS: the server's certificate has expired (or is not valid yet). */
    public static final int EXIT_TLS_EXPIRED = 7;
    /** TLS: the server's certificate is for another name than HOST (or --sni). */
    public static final int EXIT_TLS_NAME = 8;
    /** TLS: the handshake failed otherwise (the server refused our certificate, no common protocol, not TLS). */
    public static final int EXIT_TLS_FAILED = 9;
    /** WebSocket: the server refused the upgrade (an HTTP status other than 101, or a bad handshake). */
    public static final int EXIT_WS_REFUSED = 10;
    /** WebSocket: the server closed with an error code (1002 protocol error, 1007, 1009, 1011...), not 1000/1001. */
    public static final int EXIT_WS_CLOSED = 11;
    /** Ctrl-C ended a one-shot run; its summary was printed (128 + SIGINT, as a shell reports it). */
    public static final int EXIT_INTERRUPTED = 130;

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

    @Option(names = {"-c", "--count"}, paramLabel = "N", defaultValue = "" + ClientSettings.DEFAULT_COUNT,
            description = "One-shot: send the message N times, as ping's -c (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = {"-i", "--interval"}, paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = ClientSettings.DEFAULT_INTERVAL_TEXT,
            description = "One-shot: wait this long after each echo before the next send, as ping's -i "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = ClientSettings.DEFAULT_TIMEOUT_TEXT,
            converter = DurationConverter.class,
            description = "Connect timeout and wait per echo (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = {"-u", "--udp"}, description = "Use UDP datagrams instead of TCP (nc's -u).")
    boolean udp;

    @Option(names = "-z", description = "Only check that the port is open, as nc -z: TCP connects and closes; "
            + "UDP sends one byte and waits up to 1s for an ICMP port unreachable.")
    boolean checkPort;

    @Option(names = {"-l", "--listen"}, description = "Listen on [HOST] PORT (HOST default "
            + ClientSettings.DEFAULT_LISTEN_HOST + ") for one connection and print what arrives, as nc -l.")
    boolean listen;

    @Option(names = {"-k", "--keep-open"}, description = "With -l: take connection after connection, as nc -k.")
    boolean keepOpen;

    @Option(names = "--echo", description = "With -l: echo what arrives back, besides printing it.")
    boolean echoBack;

    @Option(names = {"-w", "--idle-timeout"}, paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = ClientSettings.DEFAULT_IDLE_TIMEOUT_TEXT,
            description = "Interactive and -l: close a connection after this long with no traffic either way, "
                    + "as nc -w; 0s: never (default: ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(names = "--hex", description = "Show what comes back (or arrives, with -l) as a hex dump.")
    boolean hex;

    @Option(names = {"-v", "--verbose"}, description = "Connection details (addresses, transport) on stderr.")
    boolean verbose;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "" + ClientSettings.DEFAULT_RETRIES,
            description = "UDP: resend a datagram up to N times when no echo comes (default: ${DEFAULT-VALUE}).")
    int retries;

    @Option(names = "--proxy-protocol", paramLabel = "v1|v2",
            description = "TCP: send a PROXY protocol header first, as a load balancer would (needs --proxy-source).")
    String proxyProtocol;

    @Option(names = "--proxy-source", paramLabel = "ADDR:PORT",
            description = "The client the PROXY header names, e.g. 203.0.113.7:40000; nothing is sent to it.")
    String proxySource;

    @Option(names = "--binary", description = "WebSocket: send binary messages instead of text ones.")
    boolean binary;

    @Option(names = "--no-deflate", negatable = false,
            description = "WebSocket: do not offer permessage-deflate (RFC 7692) in the upgrade.")
    boolean noDeflate;

    @Option(names = "--max-message", paramLabel = "BYTES", defaultValue = "" + ClientSettings.WebSocket.DEFAULT_MAX_MESSAGE,
            description = "WebSocket: the largest message taken from the server (default: ${DEFAULT-VALUE}).")
    int maxMessage;

    @Mixin
    TlsOptions tlsOptions;

    @Mixin
    ConfigFileOption config;

    @Mixin
    RunOptions run;

    private InputStream stdin = System.in;
    private OutputStream stdout = System.out;

    @Spec
    CommandSpec spec;

    @Mixin // last: picocli lists -h and -V where it is declared
    StandardHelp help;

    /** Reads interactive input from {@code in} instead of the process's stdin (tests). */
    ClientCommand withInput(InputStream in) {
        this.stdin = in;
        return this;
    }

    /** Writes interactive echoes to {@code out} instead of the process's stdout (tests). */
    ClientCommand withOutput(OutputStream out) {
        this.stdout = out;
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
            ClientSettings.WebSocket ws = webSocket();
            String host = ws != null ? ws.url().host()
                    : listen ? endpoint.listenHost(ClientSettings.DEFAULT_LISTEN_HOST) : endpoint.host();
            int port = ws != null ? ws.url().port() : listen ? endpoint.listenPort() : endpoint.port();
            return ClientSettings.builder(host, port)
                    .webSocket(ws)
                    .framing(f)
                    .message(message)
                    .count(count)
                    .interval(interval)
                    .timeout(timeout)
                    .udp(udp)
                    .retries(retries)
                    .transport(run.transport())
                    .mode(listen ? ClientSettings.Mode.LISTEN
                            : checkPort ? ClientSettings.Mode.CHECK_PORT : ClientSettings.Mode.CONNECT)
                    .idleTimeout(idleTimeout)
                    .hex(hex)
                    .verbose(verbose)
                    .keepOpen(keepOpen)
                    .echoBack(echoBack)
                    .proxy(proxyProtocol == null ? null : ProxyHeaderSender.parseVersion(proxyProtocol),
                            proxySource == null ? null : ProxyHeaderSender.parseSource(proxySource))
                    .tls(tls(host, ws), tlsOptions.serverName(host))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage(), Cli.EXIT_USAGE);
        }
    }

    /** The TLS context, or null; the JDK's provider: its exceptions tell untrusted, expired and wrong name apart. */
    private io.netty.handler.ssl.SslContext tls(String host, ClientSettings.WebSocket ws) {
        if (tlsOptions.enabled() && (udp || listen)) {
            throw new UserException("--tls is for TCP connections: not with -u or -l", Cli.EXIT_USAGE);
        }
        if (ws != null && tlsOptions.enabled() && !ws.url().secure()) {
            throw new UserException("--tls with a ws:// URL: use wss:// for WebSocket over TLS", Cli.EXIT_USAGE);
        }
        return tlsOptions.context("jdk", true, ws != null && ws.url().secure());
    }

    /** The WebSocket run HOST asks for with a ws:// or wss:// URL, or null; the options that make no sense with it fail. */
    private ClientSettings.WebSocket webSocket() {
        if (!io.inetkit.client.ws.WsUrl.looksLike(endpoint.typed())) {
            if (binary || noDeflate) {
                throw new UserException((binary ? "--binary" : "--no-deflate") + " is for a ws:// URL", Cli.EXIT_USAGE);
            }
            return null;
        }
        endpoint.requireUrlAlone("ws", "a WebSocket");
        return new ClientSettings.WebSocket(io.inetkit.client.ws.WsUrl.parse(endpoint.typed()), binary, !noDeflate,
                maxMessage);
    }

    @Override
    public Integer call() throws InterruptedException {
        run.configureLogging();
        ClientSettings settings = settings();
        if (settings.webSocket() != null) {
            return new WsEchoClient(settings, stdout, spec.commandLine().getOut(), spec.commandLine().getErr())
                    .run(stdin);
        }
        return EchoClient.run(settings, stdout, spec.commandLine().getOut(), spec.commandLine().getErr(), stdin);
    }
}
