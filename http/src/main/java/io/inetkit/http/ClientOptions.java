package io.inetkit.http;

import io.inetkit.common.cli.DurationConverter;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

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
 * @param locationTrusted {@code --location-trusted}: the {@code Authorization} and {@code Cookie} of {@code -H}
 *                        follow a redirect to another origin too; without it they are sent only to the
 *                        scheme, host and port of the URL given, as curl does since CVE-2022-27776
 * @param maxRedirects    {@code --max-redirs}; {@link #NO_REDIRECT_LIMIT} for no limit
 * @param connectTimeout  {@code --connect-timeout}: name lookup, TCP connect and TLS handshake together;
 *                               null or zero for the default
 * @param maxTime         {@code -m}: each whole transfer, redirects included; null or zero for no limit
 * @param insecure        {@code -k}: no certificate or host name check
 * @param caCert          {@code --cacert}: trust these PEM certificates instead of the JDK's; or null
 * @param version         the HTTP version flags
 * @param userAgent       the {@code User-Agent} header unless {@code -H} says otherwise; null for the default
 * @param maxHeaderSize   the largest response header block accepted
 */
public record ClientOptions(String method, List<HeaderEdit> headers, RequestBody body, boolean head, boolean include,
                            boolean verbose, boolean raw, boolean fail, boolean compressed, boolean followRedirects,
                            boolean locationTrusted, int maxRedirects, Duration connectTimeout, Duration maxTime, boolean insecure, Path caCert,
                            Version version, String userAgent, int maxHeaderSize) {

    /** curl's default for the connection phase: five minutes ({@code --connect-timeout}, in seconds). */
    public static final String DEFAULT_CONNECT_TIMEOUT_TEXT = "300";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = DurationConverter.parse(DEFAULT_CONNECT_TIMEOUT_TEXT);
    /** curl's default for {@code --max-redirs}. */
    public static final int DEFAULT_MAX_REDIRECTS = 50;
    /** {@code --max-redirs -1}: follow redirects without a limit. */
    public static final int NO_REDIRECT_LIMIT = -1;
    /** The largest response header block: curl allows 300 KiB in all. */
    public static final int DEFAULT_MAX_HEADER_SIZE = 300 * 1024;
    /** The {@code User-Agent} unless {@code -A} or {@code -H} says otherwise: the name and the jar's version. */
    public static final String DEFAULT_USER_AGENT = "inetkit-http/" + implementationVersion();

    /** RFC 9110's token: what a request method may be made of. */
    private static final Pattern METHOD = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    /**
     * Normalises as curl does (a zero {@code -m} or {@code --connect-timeout} means its default) and
     * refuses combinations that cannot work.
     */
    public ClientOptions {
        headers = List.copyOf(headers);
        if (method != null && !METHOD.matcher(method).matches()) {
            throw new IllegalArgumentException("not a request method: '" + method + "'");
        }
        if (raw && (version == Version.HTTP_2 || version == Version.HTTP_2_PRIOR_KNOWLEDGE)) {
            throw new IllegalArgumentException("--raw shows HTTP/1.1 bytes; HTTP/2 frames are binary: drop --http2");
        }
        if (maxRedirects < NO_REDIRECT_LIMIT) {
            throw new IllegalArgumentException("--max-redirs must be -1 (no limit) or more: " + maxRedirects);
        }
        if (connectTimeout == null || connectTimeout.isZero()) {
            connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        }
        if (maxTime != null && maxTime.isZero()) {
            maxTime = null;
        }
        Objects.requireNonNull(version, "version");
        if (userAgent == null) {
            userAgent = DEFAULT_USER_AGENT;
        }
        if (maxHeaderSize <= 0) {
            throw new IllegalArgumentException("maxHeaderSize must be > 0: " + maxHeaderSize);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** True when {@code -L} may follow one more redirect after {@code followed}. */
    public boolean mayFollow(int followed) {
        return maxRedirects == NO_REDIRECT_LIMIT || followed < maxRedirects;
    }

    private static String implementationVersion() {
        String v = ClientOptions.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Starts at curl's defaults: GET, no headers or body, HTTP/1.1 (h2 offered by ALPN over TLS). */
    public static final class Builder {
        private String method;
        private List<HeaderEdit> headers = List.of();
        private RequestBody body;
        private boolean head;
        private boolean include;
        private boolean verbose;
        private boolean raw;
        private boolean fail;
        private boolean compressed;
        private boolean followRedirects;
        private boolean locationTrusted;
        private int maxRedirects = DEFAULT_MAX_REDIRECTS;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration maxTime;
        private boolean insecure;
        private Path caCert;
        private Version version = Version.DEFAULT;
        private String userAgent = DEFAULT_USER_AGENT;
        private int maxHeaderSize = DEFAULT_MAX_HEADER_SIZE;

        private Builder() {
        }

        public Builder method(String value) {
            method = value;
            return this;
        }

        public Builder headers(List<HeaderEdit> value) {
            headers = value;
            return this;
        }

        public Builder body(RequestBody value) {
            body = value;
            return this;
        }

        public Builder head(boolean value) {
            head = value;
            return this;
        }

        public Builder include(boolean value) {
            include = value;
            return this;
        }

        public Builder verbose(boolean value) {
            verbose = value;
            return this;
        }

        public Builder raw(boolean value) {
            raw = value;
            return this;
        }

        public Builder fail(boolean value) {
            fail = value;
            return this;
        }

        public Builder compressed(boolean value) {
            compressed = value;
            return this;
        }

        public Builder followRedirects(boolean value) {
            followRedirects = value;
            return this;
        }

        public Builder locationTrusted(boolean value) {
            locationTrusted = value;
            return this;
        }

        public Builder maxRedirects(int value) {
            maxRedirects = value;
            return this;
        }

        public Builder connectTimeout(Duration value) {
            connectTimeout = value;
            return this;
        }

        public Builder maxTime(Duration value) {
            maxTime = value;
            return this;
        }

        public Builder insecure(boolean value) {
            insecure = value;
            return this;
        }

        public Builder caCert(Path value) {
            caCert = value;
            return this;
        }

        public Builder version(Version value) {
            version = value;
            return this;
        }

        public Builder userAgent(String value) {
            userAgent = value;
            return this;
        }

        public Builder maxHeaderSize(int value) {
            maxHeaderSize = value;
            return this;
        }

        public ClientOptions build() {
            return new ClientOptions(method, headers, body, head, include, verbose, raw, fail, compressed,
                    followRedirects, locationTrusted, maxRedirects, connectTimeout, maxTime, insecure, caCert, version, userAgent,
                    maxHeaderSize);
        }
    }

    /** The HTTP version flags. */
    public enum Version {
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
    public record HeaderEdit(String name, String value) {

        /** Null value: remove. */
        public boolean removes() {
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
