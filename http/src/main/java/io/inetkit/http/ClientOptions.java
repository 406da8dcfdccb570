package io.inetkit.http;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What one {@code inetkit http} run asks of every transfer, from its command line.
 *
 * @param method          the request method given with {@code -X} or as the first word, or null
 * @param headers         {@code -H} edits in order
 * @param body            the request body ({@code -d}, {@code --data-binary}), or null
 * @param head            {@code -I}: HEAD, headers only
 * @param include         {@code -i}: the response headers go to the output before the body
 * @param verbose         {@code -v}: request and response headers on stderr
 * @param raw             {@code --raw}: the response bytes exactly as received (HTTP/1.1 only)
 * @param fail            {@code -f}: an HTTP status of 400 or more is error 22, with no body output
 * @param compressed      {@code --compressed}: ask for gzip/deflate and decode it
 * @param followRedirects {@code -L}
 * @param maxRedirects    {@code --max-redirs}
 * @param connectTimeout  {@code --connect-timeout}: name lookup, TCP connect and TLS handshake together
 * @param maxTime         {@code -m}: each whole transfer, redirects included; null for no limit
 * @param insecure        {@code -k}: no certificate or host name check
 * @param caCert          {@code --cacert}: trust these PEM certificates instead of the JDK's; or null
 * @param version         the HTTP version flags
 * @param userAgent       the {@code User-Agent} header unless {@code -H} says otherwise
 * @param maxHeaderSize   the largest response header block accepted
 */
record ClientOptions(String method, List<HeaderEdit> headers, RequestBody body, boolean head, boolean include,
                     boolean verbose, boolean raw, boolean fail, boolean compressed, boolean followRedirects,
                     int maxRedirects, Duration connectTimeout, Duration maxTime, boolean insecure, Path caCert,
                     Version version, String userAgent, int maxHeaderSize) {

    /** curl's default: five minutes for the connection phase. */
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(300);
    /** curl's default for {@code --max-redirs}. */
    static final int DEFAULT_MAX_REDIRECTS = 50;
    /** The largest response header block: curl allows 300 KiB in all. */
    static final int DEFAULT_MAX_HEADER_SIZE = 300 * 1024;

    ClientOptions {
        headers = List.copyOf(headers);
    }

    /** The HTTP version flags. */
    enum Version {
        /** HTTP/1.1 for http://; ALPN offering h2 then http/1.1 for https:// (as curl does). */
        DEFAULT,
        /** {@code --http1.1}: HTTP/1.1 only. */
        HTTP_1_1,
        /** {@code --http2}: h2 by ALPN for https://, {@code Upgrade: h2c} for http://. */
        HTTP_2,
        /** {@code --http2-prior-knowledge}: HTTP/2 from the first byte, TLS or not. */
        HTTP_2_PRIOR_KNOWLEDGE
    }

    /**
     * One {@code -H}: {@code "Name: value"} sets (replacing the default of that name), {@code "Name:"}
     * removes a default header, {@code "Name;"} sends it empty.
     */
    record HeaderEdit(String name, String value) {

        /** Null value: remove. */
        boolean removes() {
            return value == null;
        }

        static HeaderEdit parse(String text) {
            int colon = text.indexOf(':');
            if (colon > 0) {
                String name = text.substring(0, colon).trim();
                String value = text.substring(colon + 1).trim();
                check(name, text);
                return new HeaderEdit(name, value.isEmpty() ? null : value);
            }
            if (text.endsWith(";") && text.length() > 1) {
                String name = text.substring(0, text.length() - 1).trim();
                check(name, text);
                return new HeaderEdit(name, "");
            }
            throw new IllegalArgumentException("-H '" + text + "' is not 'Name: value' (or 'Name:' to remove, "
                    + "'Name;' for an empty value)");
        }

        private static void check(String name, String text) {
            if (name.isEmpty() || !name.chars().allMatch(c -> c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
                throw new IllegalArgumentException("-H '" + text + "': '" + name + "' is not a header name");
            }
        }
    }
}
