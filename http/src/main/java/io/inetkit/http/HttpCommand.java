package io.inetkit.http;

import io.inetkit.common.cli.ConfigFileOption;
import io.inetkit.common.cli.Cli;
import io.inetkit.common.cli.DurationConverter;
import io.inetkit.common.cli.Version;
import io.inetkit.common.cli.WithoutLogback;
import io.inetkit.common.transport.Transport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code inetkit http [METHOD] URL...}: an HTTP client with curl's flags and exit codes, on Netty.
 *
 * <p>Output goes to the command's byte stream (the body is bytes, not text) and messages to its stderr
 * {@link PrintWriter}, so tests run it in-process and read both.
 */
@Command(name = "inetkit http", mixinStandardHelpOptions = true, versionProvider = Version.class,
        sortOptions = false, usageHelpWidth = 100,
        description = {
                "An HTTP client with curl's flags and exit codes: HTTP/1.1, HTTP/2 (ALPN over TLS, or h2c with",
                "--http2-prior-knowledge), streamed bodies, connection reuse across URLs of one origin.",
                "METHOD (GET, POST, ...) may come first, as in HTTPie: inetkit http POST URL -d a=1"},
        footer = {"",
                "Exit codes (curl's): 0 ok, 1 unsupported protocol, 2 usage, 3 malformed URL, 6 cannot resolve,",
                "7 cannot connect, 8 weird server reply, 16 HTTP/2 error, 22 -f and HTTP >= 400, 23 write error,",
                "26 read error, 28 timeout, 35 TLS handshake (includes certificate checks), 47 too many",
                "redirects, 52 empty reply, 55 send error, 56 receive failure (incl. a body cut short),",
                "77 bad --cacert file, 92 HTTP/2 stream reset.",
                "-w variables: %{http_code} %{http_version} %{time_total} %{time_namelookup} %{time_connect}",
                "  %{time_appconnect} %{time_pretransfer} %{time_starttransfer} %{time_redirect}",
                "  %{size_download} %{size_header} %{size_upload} %{speed_download} %{url_effective}",
                "  %{num_redirects} %{num_connects} %{remote_ip} %{remote_port} %{content_type}",
                "  %{exitcode} %{errormsg} %{method} %{scheme}"})
public final class HttpCommand implements Callable<Integer>, WithoutLogback {

    @Parameters(arity = "1..*", paramLabel = "URL", description = "[METHOD] URL...: one or more URLs; several "
            + "URLs of one origin share a connection.")
    List<String> positional = new ArrayList<>();

    @Option(names = {"-X", "--request"}, paramLabel = "METHOD", description = "Request method (default GET, "
            + "or POST with data).")
    String method;

    @Option(names = {"-H", "--header"}, paramLabel = "'Name: value'", description = "Extra header; 'Name:' "
            + "removes a default one, 'Name;' sends it empty. Repeatable.")
    List<String> headers = new ArrayList<>();

    @Option(names = {"-d", "--data"}, paramLabel = "DATA", description = "POST data; @FILE reads a file "
            + "(newlines stripped), @- stdin. Repeatable, joined with '&'.")
    List<String> data = new ArrayList<>();

    @Option(names = "--data-raw", paramLabel = "DATA", description = "Like -d, but @ is not special.")
    List<String> dataRaw = new ArrayList<>();

    @Option(names = "--data-binary", paramLabel = "DATA", description = "POST data as is; @FILE sends a file "
            + "byte for byte (streamed, never whole in memory). Joined after -d and --data-raw values.")
    List<String> dataBinary = new ArrayList<>();

    @Option(names = {"-i", "--include"}, description = "Include the response headers in the output.")
    boolean include;

    @Option(names = {"-I", "--head"}, description = "HEAD request; show the response headers only.")
    boolean head;

    @Option(names = {"-v", "--verbose"}, description = "Connection steps, request and response headers on stderr.")
    boolean verbose;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the body to FILE instead of "
            + "stdout ('-' is stdout). Repeatable: the Nth -o is for the Nth URL.")
    List<String> outputs = new ArrayList<>();

    @Option(names = {"-w", "--write-out"}, paramLabel = "FORMAT", description = "After each transfer, print "
            + "FORMAT with %{variables} (below) to stdout; @FILE reads it from a file.")
    String writeOut;

    @Option(names = {"-L", "--location"}, description = "Follow redirects.")
    boolean location;

    @Option(names = "--max-redirs", paramLabel = "N", defaultValue = "50",
            description = "Most redirects -L follows (default ${DEFAULT-VALUE}; -1: no limit).")
    int maxRedirs;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", converter = DurationConverter.class,
            description = "Longest time for name lookup, connect and TLS handshake (default 300; 1.5, 500ms).")
    Duration connectTimeout;

    @Option(names = {"-m", "--max-time"}, paramLabel = "SECONDS", converter = DurationConverter.class,
            description = "Longest time for each whole transfer, redirects included.")
    Duration maxTime;

    @Option(names = {"-k", "--insecure"}, description = "Accept any server certificate (no CA or name check).")
    boolean insecure;

    @Option(names = "--cacert", paramLabel = "FILE", description = "Trust the CA certificates in this PEM "
            + "file instead of the JDK's.")
    Path caCert;

    @Option(names = "--http1.1", description = "Use HTTP/1.1 only.")
    boolean http11;

    @Option(names = "--http2", description = "HTTP/2 by ALPN over TLS (falls back to HTTP/1.1 if the server "
            + "declines); for http:// URLs, HTTP/1.1 (h2c needs --http2-prior-knowledge).")
    boolean http2;

    @Option(names = "--http2-prior-knowledge", description = "HTTP/2 from the first byte, without asking "
            + "(h2c for http://).")
    boolean http2PriorKnowledge;

    @Option(names = "--compressed", description = "Ask for a compressed response (gzip, deflate) and decode it.")
    boolean compressed;

    @Option(names = {"-f", "--fail"}, description = "HTTP status >= 400: no output, exit 22.")
    boolean fail;

    @Option(names = "--raw", description = "Print the response exactly as it came off the wire: status line, "
            + "headers and body, chunk sizes included (HTTP/1.1).")
    boolean raw;

    @Option(names = {"-s", "--silent"}, description = "No progress bar and no error message.")
    boolean silent;

    @Option(names = {"-S", "--show-error"}, description = "With -s, still print the error message.")
    boolean showError;

    @Option(names = {"-A", "--user-agent"}, paramLabel = "NAME", description = "User-Agent header "
            + "(default: " + "inetkit-http/VERSION).")
    String userAgent;

    @Option(names = "--transport", paramLabel = "auto|io_uring|epoll|nio", defaultValue = "nio",
            description = "I/O transport (default: ${DEFAULT-VALUE}, the quickest to start).")
    String transport;

    @Mixin
    ConfigFileOption config;

    private CommandSpec spec;

    private final OutputStream stdout;
    private final InputStream stdin;
    private final Connector.Resolver resolver;
    private final Terminal terminal;

    /** The program: real stdout and stdin, the system's resolver, terminal detection on stderr. */
    public HttpCommand() {
        this(new FileOutputStream(FileDescriptor.out), System.in, Connector.Resolver.SYSTEM, Terminal.SYSTEM);
    }

    HttpCommand(OutputStream stdout, InputStream stdin, Connector.Resolver resolver, Terminal terminal) {
        this.stdout = stdout;
        this.stdin = stdin;
        this.resolver = resolver;
        this.terminal = terminal;
    }

    /** {@code @Spec} setter: picocli calls it while building the model, before parsing. */
    @Spec
    void spec(CommandSpec value) {
        spec = value;
        // "@FILE" is curl's data syntax here, not picocli's argument-file expansion
        value.parser().expandAtFiles(false);
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            run(err);
            return Cli.EXIT_OK;
        } catch (CurlException e) {
            if (!silent || showError) {
                err.println(spec.qualifiedName() + ": " + e.line());
                err.flush();
            }
            return e.exitCode();
        } catch (IllegalArgumentException e) {
            err.println(spec.qualifiedName() + ": " + e.getMessage());
            err.println("Try '" + spec.qualifiedName() + " --help' for more information.");
            err.flush();
            return Cli.EXIT_USAGE;
        }
    }

    private void run(PrintWriter err) throws CurlException {
        List<String> urls = new ArrayList<>(positional);
        String methodWord = null;
        if (urls.size() > 1 && urls.get(0).matches("[A-Z]+")) {
            methodWord = urls.remove(0);
        }
        if (method != null && methodWord != null && !method.equals(methodWord)) {
            throw new IllegalArgumentException("method given twice: " + methodWord + " and -X " + method);
        }
        ClientOptions options = options(methodWord != null ? methodWord : method);
        String format = writeOutFormat();
        if (outputs.size() > urls.size()) {
            throw new IllegalArgumentException(outputs.size() + " -o options for " + urls.size() + " URL(s)");
        }
        List<Target> targets = new ArrayList<>();
        for (String url : urls) {
            targets.add(Target.parse(url));
        }
        Transport.Selection selection = Transport.select(transport);
        Trace trace = new Trace(err, verbose);
        try (Transfers transfers = new Transfers(options, selection.transport(), resolver, trace)) {
            for (int i = 0; i < targets.size(); i++) {
                String out = i < outputs.size() ? outputs.get(i) : "-";
                BodySink sink = out.equals("-") ? BodySink.stdout(stdout) : BodySink.file(Path.of(out));
                boolean toTerminal = !sink.isFile() && terminal.stdoutIsTerminal();
                ProgressMeter progress = !silent && terminal.stderrIsTerminal() && !toTerminal && !verbose
                        ? new ProgressMeter(err) : null;
                TransferReport report = new TransferReport();
                try {
                    transfers.transfer(targets.get(i), sink, progress, report);
                } catch (CurlException e) {
                    report.failed(e);
                    closeQuietly(sink);
                    printWriteOut(format, report);
                    throw e;
                }
                close(sink);
                printWriteOut(format, report);
            }
        }
    }

    /** The options every transfer of this run shares. */
    ClientOptions options(String requestMethod) throws CurlException {
        int versions = (http11 ? 1 : 0) + (http2 ? 1 : 0) + (http2PriorKnowledge ? 1 : 0);
        if (versions > 1) {
            throw new IllegalArgumentException("choose one of --http1.1, --http2 and --http2-prior-knowledge");
        }
        if (raw && (http2 || http2PriorKnowledge)) {
            throw new IllegalArgumentException("--raw shows HTTP/1.1 bytes; HTTP/2 frames are binary: drop --http2");
        }
        if (maxRedirs < -1) {
            throw new IllegalArgumentException("--max-redirs must be -1 (no limit) or more: " + maxRedirs);
        }
        if (maxTime != null && maxTime.isZero()) {
            maxTime = null; // curl: 0 means no limit
        }
        if (connectTimeout != null && connectTimeout.isZero()) {
            connectTimeout = null;
        }
        List<ClientOptions.HeaderEdit> edits = new ArrayList<>();
        for (String h : headers) {
            edits.add(ClientOptions.HeaderEdit.parse(h));
        }
        if (requestMethod != null && !requestMethod.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
            throw new IllegalArgumentException("not a request method: '" + requestMethod + "'");
        }
        ClientOptions.Version version = http11 ? ClientOptions.Version.HTTP_1_1
                : http2 ? ClientOptions.Version.HTTP_2
                : http2PriorKnowledge ? ClientOptions.Version.HTTP_2_PRIOR_KNOWLEDGE
                : ClientOptions.Version.DEFAULT;
        return new ClientOptions(requestMethod, edits, body(), head, include, verbose, raw, fail, compressed, location,
                maxRedirs == -1 ? Integer.MAX_VALUE : maxRedirs,
                connectTimeout == null ? ClientOptions.DEFAULT_CONNECT_TIMEOUT : connectTimeout, maxTime,
                insecure, caCert, version, userAgent == null ? Transfers.USER_AGENT : userAgent,
                ClientOptions.DEFAULT_MAX_HEADER_SIZE);
    }

    /** The request body from -d, --data-raw and --data-binary, in command-line order. */
    private RequestBody body() throws CurlException {
        List<DataPart> parts = new ArrayList<>();
        data.forEach(d -> parts.add(new DataPart(DataKind.TEXT, d)));
        dataRaw.forEach(d -> parts.add(new DataPart(DataKind.RAW, d)));
        dataBinary.forEach(d -> parts.add(new DataPart(DataKind.BINARY, d)));
        if (parts.isEmpty()) {
            return null;
        }
        if (parts.size() == 1 && parts.get(0).kind() == DataKind.BINARY && parts.get(0).value().startsWith("@")
                && !parts.get(0).value().equals("@-")) {
            Path file = Path.of(parts.get(0).value().substring(1));
            try {
                return new RequestBody.FileBody(file, Files.size(file));
            } catch (IOException e) {
                throw readError(file.toString(), e);
            }
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (DataPart part : parts) {
            if (all.size() > 0) {
                all.write('&');
            }
            byte[] bytes;
            if (part.kind() != DataKind.RAW && part.value().startsWith("@")) {
                String name = part.value().substring(1);
                bytes = read(name);
                if (part.kind() == DataKind.TEXT) {
                    bytes = new String(bytes, StandardCharsets.ISO_8859_1).replace("\r", "").replace("\n", "")
                            .getBytes(StandardCharsets.ISO_8859_1);
                }
            } else {
                bytes = part.value().getBytes(StandardCharsets.UTF_8);
            }
            all.writeBytes(bytes);
        }
        return new RequestBody.Bytes(all.toByteArray());
    }

    private byte[] read(String name) throws CurlException {
        try {
            return name.equals("-") ? stdin.readAllBytes() : Files.readAllBytes(Path.of(name));
        } catch (IOException e) {
            throw readError(name, e);
        }
    }

    private String writeOutFormat() throws CurlException {
        if (writeOut == null) {
            return null;
        }
        String format = writeOut.startsWith("@")
                ? new String(read(writeOut.substring(1)), StandardCharsets.UTF_8) : writeOut;
        WriteOut.validate(format);
        return format;
    }

    private void printWriteOut(String format, TransferReport report) throws CurlException {
        if (format == null) {
            return;
        }
        try {
            stdout.write(WriteOut.format(format, report).getBytes(StandardCharsets.UTF_8));
            stdout.flush();
        } catch (IOException e) {
            throw new CurlException(CurlException.WRITE_ERROR, "Failure writing output to standard output: "
                    + Failures.message(e));
        }
    }

    private static void close(BodySink sink) throws CurlException {
        try {
            sink.close();
        } catch (IOException e) {
            throw Exchange.writeError(sink, e);
        }
    }

    private static void closeQuietly(BodySink sink) {
        try {
            sink.close();
        } catch (IOException ignored) {
            // the transfer's own error is the one to report
        }
    }

    private static CurlException readError(String name, IOException e) {
        return new CurlException(CurlException.READ_ERROR, "Failed to open/read local data from file/application: "
                + name + " (" + Failures.message(e) + ")");
    }

    private enum DataKind { TEXT, RAW, BINARY }

    private record DataPart(DataKind kind, String value) {
    }
}
