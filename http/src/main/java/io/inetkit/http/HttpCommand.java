package io.inetkit.http;

import io.inetkit.common.cli.ConfigFileOption;
import io.inetkit.common.cli.Cli;
import io.inetkit.common.cli.DurationConverter;
import io.inetkit.common.cli.StandardHelp;
import io.inetkit.common.cli.WithoutLogback;
import io.inetkit.common.transport.Transport;
import io.inetkit.http.connection.Connector;
import io.inetkit.http.output.BodySink;
import io.inetkit.http.output.ProgressMeter;
import io.inetkit.http.output.Terminal;
import io.inetkit.http.output.Trace;
import io.inetkit.http.output.TransferReport;
import io.inetkit.http.output.WriteOut;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
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
@Command(name = "inetkit http",
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
                "-w variables: %%{http_code} %%{http_version} %%{time_total} %%{time_namelookup} %%{time_connect}",
                "  %%{time_appconnect} %%{time_pretransfer} %%{time_starttransfer} %%{time_redirect}",
                "  %%{size_download} %%{size_header} %%{size_upload} %%{speed_download} %%{url_effective}",
                "  %%{num_redirects} %%{num_connects} %%{remote_ip} %%{remote_port} %%{content_type}",
                "  %%{exitcode} %%{errormsg} %%{method} %%{scheme}",
                "",
                "Examples:",
                "  inetkit http -i http://127.0.0.1:8080/ip           status, headers and the body",
                "  inetkit http POST http://127.0.0.1:8080/post -d a=1",
                "  inetkit http -k --http2 https://127.0.0.1:8443/get  HTTP/2 over TLS, self-signed",
                "  inetkit http -sS -o /dev/null -w '%%{http_code} %%{time_total}\\n' URL"})
public final class HttpCommand implements Callable<Integer>, WithoutLogback {

    /** {@code --transport}: NIO, the quickest to start (a transfer is over before epoll would pay off). */
    static final String DEFAULT_TRANSPORT = "nio";

    @Parameters(arity = "1..*", paramLabel = "URL", description = "[METHOD] URL...: one or more URLs; several "
            + "URLs of one origin share a connection.")
    List<String> positional = new ArrayList<>();

    @Option(names = {"-X", "--request"}, paramLabel = "METHOD", description = "Request method (default GET, "
            + "or POST with data).")
    String method;

    @Option(names = {"-H", "--header"}, paramLabel = "'Name: value'", description = "Extra header; 'Name:' "
            + "removes a default one, 'Name;' sends it empty. Repeatable.")
    List<String> headers = new ArrayList<>();

    @Mixin
    DataOptions data = new DataOptions();

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
            + "FORMAT with %%{variables} (below) to stdout; @FILE reads it from a file.")
    String writeOut;

    @Option(names = {"-L", "--location"}, description = "Follow redirects.")
    boolean location;

    @Option(names = "--location-trusted", description = "Like -L, and send the Authorization and Cookie of -H to"
            + " the other hosts, ports and schemes it redirects to as well.")
    boolean locationTrusted;

    @Option(names = "--max-redirs", paramLabel = "N", defaultValue = "" + ClientOptions.DEFAULT_MAX_REDIRECTS,
            description = "Most redirects -L follows (default ${DEFAULT-VALUE}; -1: no limit).")
    int maxRedirs;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", converter = DurationConverter.class,
            defaultValue = ClientOptions.DEFAULT_CONNECT_TIMEOUT_TEXT,
            description = "Longest time for name lookup, connect and TLS handshake (default ${DEFAULT-VALUE}; 1.5, "
                    + "500ms; 0: the default).")
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

    @Option(names = "--transport", paramLabel = "auto|io_uring|epoll|nio", defaultValue = DEFAULT_TRANSPORT,
            description = "I/O transport (default: ${DEFAULT-VALUE}, the quickest to start).")
    String transport;

    @Mixin
    ConfigFileOption config;

    @Mixin // last: picocli lists -h and -V where it is declared
    StandardHelp help;

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
                    sink.abandon();
                    WriteOut.print(format, report, stdout);
                    throw e;
                }
                sink.finish();
                WriteOut.print(format, report, stdout);
            }
        }
    }

    /** The options every transfer of this run shares; the record checks them. */
    ClientOptions options(String requestMethod) throws CurlException {
        List<ClientOptions.HeaderEdit> edits = new ArrayList<>();
        for (String h : headers) {
            edits.add(ClientOptions.HeaderEdit.parse(h));
        }
        return ClientOptions.builder().method(requestMethod).headers(edits).head(head).include(include)
                .verbose(verbose).raw(raw).fail(fail).compressed(compressed).followRedirects(location || locationTrusted).locationTrusted(locationTrusted)
                .maxRedirects(maxRedirs).connectTimeout(connectTimeout).maxTime(maxTime).insecure(insecure)
                .caCert(caCert).version(version()).userAgent(userAgent)
                .body(data.body(stdin))
                .build();
    }

    /** The three version flags as one value: they exclude each other. */
    private ClientOptions.Version version() {
        int versions = (http11 ? 1 : 0) + (http2 ? 1 : 0) + (http2PriorKnowledge ? 1 : 0);
        if (versions > 1) {
            throw new IllegalArgumentException("choose one of --http1.1, --http2 and --http2-prior-knowledge");
        }
        return http11 ? ClientOptions.Version.HTTP_1_1
                : http2 ? ClientOptions.Version.HTTP_2
                : http2PriorKnowledge ? ClientOptions.Version.HTTP_2_PRIOR_KNOWLEDGE
                : ClientOptions.Version.DEFAULT;
    }

    private String writeOutFormat() throws CurlException {
        if (writeOut == null) {
            return null;
        }
        String format = writeOut.startsWith("@")
                ? new String(DataOptions.read(writeOut.substring(1), stdin), StandardCharsets.UTF_8) : writeOut;
        WriteOut.validate(format);
        return format;
    }

}
