package io.inetkit.http.output;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/**
 * {@code -v}: what happens, on stderr, in curl's notation.
 *
 * <pre>
 *   *   Trying 127.0.0.1:8080...
 *   * Connected to 127.0.0.1 (127.0.0.1) port 8080
 *   &gt; GET /ip HTTP/1.1
 *   &gt; Host: 127.0.0.1:8080
 *   &gt;
 *   &lt; HTTP/1.1 200 OK
 *   &lt; content-type: application/json
 *   &lt;
 * </pre>
 */
public final class Trace {

    private final PrintWriter err;
    private final boolean enabled;

    public Trace(PrintWriter err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    public boolean enabled() {
        return enabled;
    }

    public void info(String text) {
        if (enabled) {
            err.println("* " + text);
            err.flush();
        }
    }

    public void request(HttpRequest request, String protocolName) {
        if (!enabled) {
            return;
        }
        String version = "HTTP/2".equals(protocolName) ? "HTTP/2" : request.protocolVersion().text();
        StringBuilder sb = new StringBuilder();
        sb.append("> ").append(request.method().name()).append(' ').append(request.uri()).append(' ')
                .append(version).append('\n');
        headers(sb, "> ", request.headers(), "HTTP/2".equals(protocolName));
        sb.append(">\n");
        synchronized (err) {
            err.print(sb);
            err.flush();
        }
    }

    public void response(HttpResponse response, String protocolName) {
        if (!enabled) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        sb.append("< ").append(HeadText.statusLine(response, protocolName)).append('\n');
        headers(sb, "< ", response.headers(), false);
        sb.append("<\n");
        synchronized (err) {
            err.print(sb);
            err.flush();
        }
    }

    private static void headers(StringBuilder sb, String prefix, HttpHeaders headers, boolean lowerCase) {
        for (Map.Entry<String, String> h : headers) {
            String name = lowerCase ? h.getKey().toLowerCase(Locale.ROOT) : h.getKey();
            sb.append(prefix).append(name).append(": ").append(h.getValue()).append('\n');
        }
    }
}
