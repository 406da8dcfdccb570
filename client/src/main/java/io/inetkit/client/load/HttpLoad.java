package io.inetkit.client.load;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.NetUtil;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An HTTP run ({@code inetkit load http://HOST:PORT/PATH}): what each request is, and what makes its response
 * good. Every request of a run goes to one origin (scheme, host, port); with several URLs ({@code --urls}) the
 * requests rotate through their paths, request {@code seq} taking path {@code seq % paths}.
 *
 * <pre>
 *  HTTP/1.1, one request as it goes on the wire (built once per path, then copied per request):
 *    GET /bytes/64 HTTP/1.1\r\n
 *    Host: 127.0.0.1:8080\r\n
 *    User-Agent: inetkit-load\r\n
 *    Accept: *&#47;*\r\n
 *    \r\n
 *  HTTP/2: the same as a HEADERS frame (:method, :scheme, :authority, :path, then the headers, lower case),
 *  and a DATA frame with the body when there is one.
 * </pre>
 *
 * @param origin  the scheme, host and port every request goes to (the first URL's)
 * @param paths   path and query of each request, in turn (at least one)
 * @param method  GET, or POST when there is a body (as curl), or {@code -X}
 * @param headers the request's headers after the defaults (Host, User-Agent, Accept, Content-Length), each
 *                {@code {name, value}}; a header of a default's name replaces it, and a null value removes it
 * @param body    the request body, or an empty array for none
 * @param version HTTP/1.1, or HTTP/2 (h2c with prior knowledge for http://, h2 by ALPN for https://)
 * @param ok      the status codes that count as success (default 2xx); others are {@link ErrorKind#HTTP_STATUS}
 * @param verify  what every response body is checked against
 */
record HttpLoad(URI origin, List<String> paths, String method, List<String[]> headers, byte[] body, Version version,
                BitSet ok, Verify verify) {

    /** The protocol every connection of the run speaks. */
    enum Version { HTTP_1_1, HTTP_2 }

    static final String USER_AGENT = "inetkit-load";
    /** What --ok-status is without it: every 2xx. */
    static final String DEFAULT_OK = "2xx";

    /** What a response body must be. */
    sealed interface Verify {
        /** Not checked (the status alone). */
        record None() implements Verify {
        }

        /** Exactly this many bytes. */
        record Length(long bytes) implements Verify {
        }

        /** Bytes whose SHA-256 is this. */
        record Sha256(byte[] digest) implements Verify {
        }

        /** The same bytes as the first good response of the connection's worker. */
        record First() implements Verify {
        }

        /** {@code length:N}, {@code sha256:HEX} or {@code first}; @throws IllegalArgumentException saying why */
        static Verify parse(String text) {
            if (text == null) {
                return new None();
            }
            String t = text.trim();
            if (t.equals("first")) {
                return new First();
            }
            if (t.startsWith("length:")) {
                try {
                    long n = Long.parseLong(t.substring(7));
                    if (n >= 0) {
                        return new Length(n);
                    }
                } catch (NumberFormatException e) {
                    // below
                }
                throw new IllegalArgumentException("--verify length:N needs a byte count >= 0: '" + text + "'");
            }
            if (t.startsWith("sha256:")) {
                String hex = t.substring(7);
                if (hex.length() == 64) {
                    try {
                        return new Sha256(HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT)));
                    } catch (IllegalArgumentException e) {
                        // below
                    }
                }
                throw new IllegalArgumentException("--verify sha256:HEX needs 64 hex digits: '" + text + "'");
            }
            throw new IllegalArgumentException("unknown --verify '" + text + "'; expected length:N, sha256:HEX or first");
        }
    }

    HttpLoad {
        Objects.requireNonNull(origin, "origin");
        paths = List.copyOf(paths);
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("no URL to request");
        }
        headers = List.copyOf(headers);
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(ok, "ok");
        Objects.requireNonNull(verify, "verify");
    }

    /** Whether {@code text} asks for HTTP: it starts with {@code http://} or {@code https://}. */
    static boolean looksLike(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://");
    }

    boolean secure() {
        return origin.getScheme().equals("https");
    }

    /** The port the origin names, or its scheme's default. */
    int port() {
        return origin.getPort();
    }

    /** {@code 127.0.0.1:8080}, {@code [::1]:8443}: the Host header and HTTP/2's :authority. */
    String authority() {
        String host = origin.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        boolean defaultPort = origin.getPort() == (secure() ? 443 : 80);
        return defaultPort ? (NetUtil.isValidIpV6Address(host) ? "[" + host + "]" : host)
                : NetUtil.toSocketAddressString(host, origin.getPort());
    }

    /** The host to connect to, without an IPv6 address's brackets. */
    String host() {
        String host = origin.getHost();
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** Whether the responses have no body whatever their headers say (HEAD). */
    boolean head() {
        return method.equals("HEAD");
    }

    /** HTTP/1.1: each path's request, whole, as it goes on the wire. */
    byte[][] http1Requests() {
        byte[][] all = new byte[paths.size()][];
        for (int i = 0; i < all.length; i++) {
            StringBuilder sb = new StringBuilder();
            sb.append(method).append(' ').append(paths.get(i)).append(" HTTP/1.1\r\n");
            for (String[] h : allHeaders()) {
                sb.append(h[0]).append(": ").append(h[1]).append("\r\n");
            }
            sb.append("\r\n");
            byte[] head = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
            byte[] whole = new byte[head.length + body.length];
            System.arraycopy(head, 0, whole, 0, head.length);
            System.arraycopy(body, 0, whole, head.length, body.length);
            all[i] = whole;
        }
        return all;
    }

    /** HTTP/2: each path's request headers. */
    Http2Headers[] http2Requests() {
        Http2Headers[] all = new Http2Headers[paths.size()];
        for (int i = 0; i < all.length; i++) {
            Http2Headers h = new DefaultHttp2Headers().method(method).scheme(origin.getScheme())
                    .authority(authority()).path(paths.get(i));
            for (String[] header : allHeaders()) {
                String name = header[0].toLowerCase(Locale.ROOT);
                if (!name.equals("host")) { // :authority carries it (RFC 9113 8.3.1)
                    h.add(name, header[1]);
                }
            }
            all[i] = h;
        }
        return all;
    }

    /** The defaults, then the user's headers (one of a default's name replaces it). */
    private List<String[]> allHeaders() {
        List<String[]> all = new ArrayList<>();
        all.add(new String[] {"Host", authority()});
        all.add(new String[] {"User-Agent", USER_AGENT});
        all.add(new String[] {"Accept", "*/*"});
        if (body.length > 0 || method.equals("POST") || method.equals("PUT")) {
            all.add(new String[] {"Content-Length", String.valueOf(body.length)});
            if (body.length > 0) {
                all.add(new String[] {"Content-Type", "application/x-www-form-urlencoded"}); // curl's for -d
            }
        }
        for (String[] h : headers) {
            all.removeIf(d -> d[0].equalsIgnoreCase(h[0]));
        }
        for (String[] h : headers) {
            if (h[1] != null) { // null: "Name:", the default removed
                all.add(h);
            }
        }
        return all;
    }

    /**
     * The origin and path of {@code url}; @throws IllegalArgumentException with one line that says what is wrong
     */
    static URI parseUrl(String url) {
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("bad URL '" + url + "': " + e.getReason());
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("bad URL '" + url + "': the scheme must be http or https");
        }
        if (u.getHost() == null) {
            throw new IllegalArgumentException("bad URL '" + url + "': no host (or a port that is not a number)");
        }
        if (u.getRawUserInfo() != null) {
            throw new IllegalArgumentException("bad URL '" + url + "': user information is not supported");
        }
        int port = u.getPort() < 0 ? (scheme.equals("https") ? 443 : 80) : u.getPort();
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("bad URL '" + url + "': the port must be 1..65535");
        }
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        return URI.create(scheme + "://" + NetUtil.toSocketAddressString(host(u), port) + path
                + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()));
    }

    private static String host(URI u) {
        String host = u.getHost();
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** {@code /path?query} of a parsed URL. */
    static String pathOf(URI u) {
        return u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    }

    /** The origin of a parsed URL: {@code http://host:port}. */
    static URI originOf(URI u) {
        return URI.create(u.getScheme() + "://" + u.getRawAuthority());
    }

    /**
     * {@code --ok-status}: codes and classes, {@code 2xx,304} or {@code 200-299,404}; @throws IllegalArgumentException
     */
    static BitSet parseOk(String text) {
        BitSet ok = new BitSet(600);
        for (String part : text.split(",")) {
            String p = part.trim().toLowerCase(Locale.ROOT);
            try {
                if (p.length() == 3 && p.endsWith("xx") && p.charAt(0) >= '1' && p.charAt(0) <= '5') {
                    int c = (p.charAt(0) - '0') * 100;
                    ok.set(c, c + 100);
                } else if (p.contains("-")) {
                    int a = Integer.parseInt(p.substring(0, p.indexOf('-')));
                    int b = Integer.parseInt(p.substring(p.indexOf('-') + 1));
                    if (a < 100 || b > 599 || a > b) {
                        throw new NumberFormatException();
                    }
                    ok.set(a, b + 1);
                } else {
                    int c = Integer.parseInt(p);
                    if (c < 100 || c > 599) {
                        throw new NumberFormatException();
                    }
                    ok.set(c);
                }
            } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                throw new IllegalArgumentException("bad --ok-status '" + part.trim() + "': give codes (200), classes "
                        + "(2xx) or ranges (200-299) from 100 to 599, comma-separated");
            }
        }
        return ok;
    }

    /** A fresh SHA-256 (every JDK has one). */
    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
