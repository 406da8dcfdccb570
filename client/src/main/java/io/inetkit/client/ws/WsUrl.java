package io.inetkit.client.ws;

import io.netty.util.NetUtil;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A WebSocket URL as RFC 6455 section 3 gives it: {@code ws://HOST[:PORT][/PATH][?QUERY]}, or {@code wss://} for
 * WebSocket over TLS; the port defaults to 80 and 443, the path to {@code /}. A fragment is not allowed.
 *
 * <pre>
 *  ws://127.0.0.1:5008/ws?room=1   →  GET /ws?room=1 HTTP/1.1   Host: 127.0.0.1:5008   (secure = false)
 *  wss://[::1]/                    →  GET / HTTP/1.1            Host: [::1]            (secure = true, port 443)
 * </pre>
 *
 * @param uri    the URL as Netty's handshaker takes it (its path and query go in the request line)
 * @param secure {@code wss}: TLS first
 * @param host   the host, without the brackets of an IPv6 address
 * @param port   the port, 1..65535
 */
public record WsUrl(URI uri, boolean secure, String host, int port) {

    public static final int DEFAULT_PORT = 80;
    public static final int DEFAULT_SECURE_PORT = 443;

    /** Whether {@code text} asks for a WebSocket: it starts with {@code ws://} or {@code wss://}. */
    public static boolean looksLike(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return lower.startsWith("ws://") || lower.startsWith("wss://");
    }

    /** @throws IllegalArgumentException with one line that says what is wrong with {@code text} */
    public static WsUrl parse(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("bad WebSocket URL '" + text + "': " + e.getReason()
                    + (e.getIndex() >= 0 ? " at character " + (e.getIndex() + 1) : ""));
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss")) {
            throw new IllegalArgumentException("bad WebSocket URL '" + text + "': the scheme must be ws or wss");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("bad WebSocket URL '" + text + "': no host"
                    + (uri.getRawAuthority() != null ? " (or a port that is not a number)" : ""));
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("bad WebSocket URL '" + text
                    + "': a fragment (#...) has no meaning in a WebSocket URL (RFC 6455, section 3)");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("bad WebSocket URL '" + text + "': user information is not supported");
        }
        boolean secure = scheme.equals("wss");
        int port = uri.getPort() < 0 ? (secure ? DEFAULT_SECURE_PORT : DEFAULT_PORT) : uri.getPort();
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("bad WebSocket URL '" + text + "': the port must be 1..65535");
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        URI normal = URI.create(scheme + "://" + NetUtil.toSocketAddressString(host, port) + path + query);
        return new WsUrl(normal, secure, host, port);
    }

    /** {@code ws://127.0.0.1:5008/ws}, as messages name the server. */
    @Override
    public String toString() {
        return uri.toString();
    }
}
