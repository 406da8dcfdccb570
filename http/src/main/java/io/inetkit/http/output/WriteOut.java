package io.inetkit.http.output;

import io.inetkit.http.CurlException;
import io.inetkit.http.Failures;
import io.inetkit.http.output.TransferTiming.Step;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code -w FORMAT}: text with {@code %{variable}} replaced by figures of the transfer, as curl does;
 * {@code \n}, {@code \r}, {@code \t} and {@code \\} are escapes, {@code %%} is a percent sign.
 *
 * <pre>
 *   -w '%{http_code} %{time_total} %{size_download}\n'   ==&gt;   200 0.004113 24
 * </pre>
 */
public final class WriteOut {

    static final Set<String> VARIABLES = Set.of("http_code", "response_code", "http_version", "time_total",
            "time_namelookup", "time_connect", "time_appconnect", "time_pretransfer", "time_starttransfer",
            "time_redirect", "size_download", "size_header", "size_upload", "speed_download", "url_effective",
            "num_redirects", "num_connects", "remote_ip", "remote_port", "content_type", "exitcode", "errormsg",
            "method", "scheme");

    private WriteOut() {
    }

    /**
     * Checks a format before any transfer: an unknown variable is a usage error here (curl warns and
     * prints nothing for it, which hides typos in scripts).
     */
    public static void validate(String format) {
        int i = 0;
        while ((i = format.indexOf("%{", i)) >= 0) {
            int end = format.indexOf('}', i);
            if (end < 0) {
                throw new IllegalArgumentException("-w: unterminated %{ in '" + format + "'");
            }
            String name = format.substring(i + 2, end);
            if (!VARIABLES.contains(name)) {
                throw new IllegalArgumentException("-w: unknown variable %{" + name + "}; known: "
                        + String.join(", ", new TreeSet<>(VARIABLES)));
            }
            i = end + 1;
        }
    }

    public static String format(String format, TransferReport r) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c == '\\' && i + 1 < format.length()) {
                char n = format.charAt(++i);
                switch (n) {
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case '\\' -> out.append('\\');
                    default -> out.append('\\').append(n);
                }
            } else if (c == '%' && i + 1 < format.length() && format.charAt(i + 1) == '%') {
                out.append('%');
                i++;
            } else if (c == '%' && format.startsWith("%{", i) && format.indexOf('}', i) > 0) {
                int end = format.indexOf('}', i);
                out.append(value(format.substring(i + 2, end), r));
                i = end;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Prints {@code format} for {@code report} to stdout; nothing when there is no {@code -w}. */
    public static void print(String format, TransferReport report, OutputStream stdout) throws CurlException {
        if (format == null) {
            return;
        }
        try {
            stdout.write(format(format, report).getBytes(StandardCharsets.UTF_8));
            stdout.flush();
        } catch (IOException e) {
            throw new CurlException(CurlException.WRITE_ERROR, "Failure writing output to standard output: "
                    + Failures.message(e));
        }
    }

    static String value(String name, TransferReport r) {
        TransferTiming t = r.timing();
        return switch (name) {
            case "http_code", "response_code" -> String.format(Locale.ROOT, "%03d", r.httpCode);
            case "http_version" -> r.httpVersion;
            case "time_total" -> seconds(t.totalSeconds());
            case "time_namelookup" -> seconds(t.seconds(Step.NAME_LOOKUP));
            case "time_connect" -> seconds(t.seconds(Step.CONNECT));
            case "time_appconnect" -> seconds(t.seconds(Step.APP_CONNECT));
            case "time_pretransfer" -> seconds(t.seconds(Step.PRE_TRANSFER));
            case "time_starttransfer" -> seconds(t.seconds(Step.START_TRANSFER));
            case "time_redirect" -> seconds(t.seconds(Step.REDIRECT));
            case "size_download" -> Long.toString(r.sizeDownload);
            case "size_header" -> Long.toString(r.sizeHeader);
            case "size_upload" -> Long.toString(r.sizeUpload);
            case "speed_download" -> Long.toString(t.totalSeconds() > 0
                    ? (long) (r.sizeDownload / t.totalSeconds()) : 0);
            case "url_effective" -> r.urlEffective;
            case "num_redirects" -> Integer.toString(r.numRedirects);
            case "num_connects" -> Integer.toString(r.numConnects);
            case "remote_ip" -> r.remoteIp;
            case "remote_port" -> r.remotePort == 0 ? "" : Integer.toString(r.remotePort);
            case "content_type" -> r.contentType;
            case "exitcode" -> Integer.toString(r.exitCode);
            case "errormsg" -> r.errorMessage;
            case "method" -> r.method;
            case "scheme" -> r.urlEffective.startsWith("https") ? "HTTPS" : r.urlEffective.isEmpty() ? "" : "HTTP";
            default -> "";
        };
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.6f", s);
    }
}
