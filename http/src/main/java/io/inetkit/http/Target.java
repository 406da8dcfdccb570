package io.inetkit.http;

import io.netty.util.NetUtil;

import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A parsed {@code http://} or {@code https://} URL: where to connect and what to ask for.
 *
 * <pre>
 *   https://[::1]:8443/get?a=1#frag
 *   ╰scheme╯ ╰host╯╰port╯╰pathAndQuery╯   (the fragment is never sent)
 * </pre>
 *
 * @param host         the host name or address literal, without IPv6 brackets
 * @param pathAndQuery the request target: the path (at least {@code /}) and the query, as typed
 */
public record Target(String scheme, String host, int port, String pathAndQuery) {

    public boolean tls() {
        return scheme.equals("https");
    }

    /** {@code scheme://host:port}: requests to one origin may share a connection. */
    String origin() {
        return scheme + "://" + hostForUrl() + ":" + port;
    }

    /** The {@code Host} header: the port only when it is not the scheme's default. */
    String authority() {
        return port == defaultPort(scheme) ? hostForUrl() : hostForUrl() + ":" + port;
    }

    String url() {
        return scheme + "://" + authority() + pathAndQuery;
    }

    private String hostForUrl() {
        return NetUtil.isValidIpV6Address(host) ? "[" + host + "]" : host;
    }

    static int defaultPort(String scheme) {
        return scheme.equals("https") ? 443 : 80;
    }

    /**
     * Parses a URL as curl takes it: a missing scheme means {@code http://}; spaces and other characters
     * URLs may not hold are refused rather than guessed at.
     *
     * @throws CurlException 3 for a malformed URL, 1 for a scheme other than http and https
     */
    static Target parse(String text) throws CurlException {
        if (text == null || text.isBlank()) {
            throw new CurlException(CurlException.MALFORMED_URL, "URL rejected: No host part in the URL");
        }
        String s = text.trim();
        int colonSlashSlash = s.indexOf("://");
        if (colonSlashSlash < 0) {
            s = "http://" + s;
        } else {
            String scheme = s.substring(0, colonSlashSlash).toLowerCase(Locale.ROOT);
            if (!scheme.matches("[a-z][a-z0-9+.-]*")) {
                throw malformed(text, "bad scheme");
            }
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new CurlException(CurlException.UNSUPPORTED_PROTOCOL,
                        "Protocol \"" + scheme + "\" not supported (only http and https)");
            }
        }
        URI uri;
        try {
            uri = new URI(s);
        } catch (URISyntaxException e) {
            throw malformed(text, e.getReason().toLowerCase(Locale.ROOT) + " at index " + e.getIndex());
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getRawAuthority() == null || uri.getRawAuthority().isEmpty()) {
            throw new CurlException(CurlException.MALFORMED_URL, "URL rejected: No host part in the URL: " + text);
        }
        if (uri.getRawUserInfo() != null) {
            throw malformed(text, "user:password@ in URLs is not supported");
        }
        String host = uri.getHost();
        if (host == null) {
            // java.net.URI leaves host null for names it does not like (underscores, bad ports)
            throw malformed(text, "bad host or port '" + uri.getRawAuthority() + "'");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
            if (!NetUtil.isValidIpV6Address(host)) {
                throw malformed(text, "bad IPv6 address");
            }
        } else {
            try {
                host = IDN.toASCII(host, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
            } catch (IllegalArgumentException e) {
                throw malformed(text, "bad host name");
            }
        }
        int port = uri.getPort();
        if (port == 0 || port > 65535) {
            throw malformed(text, "port number out of range");
        }
        if (port < 0) {
            port = defaultPort(scheme); // none given, or "host:" with an empty port
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery();
        return new Target(scheme, host, port, query == null ? path : path + "?" + query);
    }

    /**
     * The target a {@code Location} header points to, relative to this one.
     *
     * @throws CurlException 3 when the location is not a usable URL
     */
    Target resolve(String location) throws CurlException {
        URI base;
        try {
            base = new URI(url());
            URI next = base.resolve(new URI(location.trim()));
            return parse(next.toString());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new CurlException(CurlException.MALFORMED_URL,
                    "URL rejected: the server redirected to a malformed location: " + location);
        }
    }

    private static CurlException malformed(String url, String why) {
        return new CurlException(CurlException.MALFORMED_URL, "URL rejected: Malformed input to a URL function ("
                + why + "): " + url);
    }
}
