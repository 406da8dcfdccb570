package io.inetkit.server.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code /digest-auth/{qop}/{user}/{passwd}[/{algorithm}]}: HTTP Digest (RFC 7616) with qop {@code auth} or
 * {@code auth-int} (anything else offers both, and takes either or none, as httpbin) and MD5, SHA-256 or SHA-512 (anything else: MD5, as
 * httpbin). The challenge carries httpbin's realm and cookies. Nonces are stateless: a time and an HMAC of it
 * under a key made at start, so a nonce this process did not make is refused, with no table of them to grow.
 *
 * <pre>
 *   GET /digest-auth/auth/u/p              401, WWW-Authenticate: Digest realm="me@kennethreitz.com",
 *                                   ==&gt;         nonce="...", qop="auth", opaque="...", algorithm=MD5, stale=FALSE
 *   Authorization: Digest username="u", realm=..., nonce=..., uri="/digest-auth/auth/u/p",
 *       qop=auth, nc=00000001, cnonce="...", response="H(H(A1):nonce:nc:cnonce:qop:H(A2))"   ==&gt;   200
 * </pre>
 */
final class DigestAuth {

    static final String REALM = "me@kennethreitz.com";
    private static final Set<String> ALGORITHMS = Set.of("MD5", "SHA-256", "SHA-512");
    private static final byte[] KEY = new byte[32];
    private static final String OPAQUE;

    static {
        SecureRandom random = new SecureRandom();
        random.nextBytes(KEY);
        byte[] opaque = new byte[16];
        random.nextBytes(opaque);
        OPAQUE = HexFormat.of().formatHex(opaque);
    }

    private DigestAuth() {
    }

    static void digestAuth(Exchange ex) {
        String qop = ex.segment(0);
        String user = ex.segment(1);
        String password = ex.segment(2);
        if (qop == null || user == null || password == null) {
            throw new BadInput("the path is /digest-auth/{qop}/{user}/{passwd}[/{algorithm}]");
        }
        qop = qop.equals("auth") || qop.equals("auth-int") ? qop : null; // null: the client's choice
        String asked = ex.segment(3) == null ? "MD5" : ex.segment(3).toUpperCase(Locale.ROOT);
        String algorithm = ALGORITHMS.contains(asked) ? asked : "MD5";
        Map<String, String> params = params(AuthEndpoints.token(
                ex.request().headers().get(HttpHeaderNames.AUTHORIZATION), "Digest"));
        if (params != null && verifies(ex, params, qop, algorithm, user, password)) {
            ex.respond(AuthEndpoints.authenticated(user));
            return;
        }
        FullHttpResponse challenge = Responses.html(HttpResponseStatus.UNAUTHORIZED, "");
        challenge.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Digest realm=\"" + REALM + "\", nonce=\""
                + nonce(System.currentTimeMillis()) + "\", qop=\"" + (qop == null ? "auth, auth-int" : qop) + "\""
                + ", opaque=\"" + OPAQUE + "\", algorithm=" + algorithm + ", stale=FALSE");
        // httpbin's cookies, which some clients' tests look for
        challenge.headers().add(HttpHeaderNames.SET_COOKIE, ServerCookieEncoder.STRICT.encode(
                cookie("stale_after", "never"), cookie("fake", "fake_value")));
        ex.respond(challenge);
    }

    private static DefaultCookie cookie(String name, String value) {
        DefaultCookie cookie = new DefaultCookie(name, value);
        cookie.setPath("/");
        return cookie;
    }

    private static boolean verifies(Exchange ex, Map<String, String> p, String qop, String algorithm, String user,
            String password) {
        String nonce = p.get("nonce");
        String response = p.get("response");
        if (nonce == null || response == null || !user.equals(p.get("username")) || !REALM.equals(p.get("realm"))
                || !ex.request().uri().equals(p.get("uri")) || !genuine(nonce)
                || !algorithm.equalsIgnoreCase(p.getOrDefault("algorithm", "MD5"))) {
            return false;
        }
        String ha1 = hash(algorithm, user + ":" + REALM + ":" + password);
        String a2 = ex.method().name() + ":" + p.get("uri");
        String chosen = p.get("qop");
        String expected;
        if (chosen == null && qop == null) {
            expected = hash(algorithm, ha1 + ":" + nonce + ":" + hash(algorithm, a2)); // RFC 2069's form
        } else {
            if (chosen == null || !(qop == null ? Set.of("auth", "auth-int").contains(chosen) : qop.equals(chosen))
                    || p.get("nc") == null || p.get("cnonce") == null) {
                return false;
            }
            if (chosen.equals("auth-int")) {
                a2 += ":" + hash(algorithm, ByteBufUtil.getBytes(ex.request().content()));
            }
            expected = hash(algorithm, ha1 + ":" + nonce + ":" + p.get("nc") + ":" + p.get("cnonce") + ":" + chosen
                    + ":" + hash(algorithm, a2));
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                response.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code TIME:HMAC(TIME)} in hex: checkable later without remembering it. */
    private static String nonce(long millis) {
        String time = Long.toHexString(millis);
        return time + HexFormat.of().formatHex(mac(time));
    }

    private static boolean genuine(String nonce) {
        int macLength = 64; // HMAC-SHA256 in hex
        if (nonce.length() <= macLength) {
            return false;
        }
        String time = nonce.substring(0, nonce.length() - macLength);
        return MessageDigest.isEqual(nonce.substring(time.length()).getBytes(StandardCharsets.US_ASCII),
                HexFormat.of().formatHex(mac(time)).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] mac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is in every JDK", e);
        }
    }

    private static String hash(String algorithm, String text) {
        return hash(algorithm, text.getBytes(StandardCharsets.UTF_8));
    }

    private static String hash(String algorithm, byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is in every JDK", e);
        }
    }

    /**
     * The auth-params of a Digest credential (RFC 9110 11.2: {@code name=token} or {@code name="quoted"},
     * comma-separated), names lower-cased; null for none or a malformed one.
     */
    static Map<String, String> params(String credentials) {
        if (credentials == null) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        int i = 0;
        int n = credentials.length();
        while (i < n) {
            while (i < n && (credentials.charAt(i) == ',' || credentials.charAt(i) == ' ')) {
                i++;
            }
            int eq = credentials.indexOf('=', i);
            if (eq < 0) {
                return i == n ? params : null;
            }
            String name = credentials.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            i = eq + 1;
            StringBuilder value = new StringBuilder();
            if (i < n && credentials.charAt(i) == '"') {
                i++;
                while (i < n && credentials.charAt(i) != '"') {
                    char c = credentials.charAt(i++);
                    if (c == '\\' && i < n) {
                        c = credentials.charAt(i++); // quoted-pair
                    }
                    value.append(c);
                }
                if (i >= n) {
                    return null; // unterminated quoted string
                }
                i++;
            } else {
                while (i < n && credentials.charAt(i) != ',') {
                    value.append(credentials.charAt(i++));
                }
            }
            params.put(name, value.toString().trim());
        }
        return params;
    }
}
