package io.inetkit.server.http;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * The endpoints that ask for credentials: {@code /basic-auth/{user}/{passwd}} (RFC 7617),
 * {@code /hidden-basic-auth/{user}/{passwd}} (a 404, not a challenge, for wrong ones) and {@code /bearer}
 * (RFC 6750). Each answers {@code {"authenticated": true, ...}} to the right credentials.
 *
 * <pre>
 *   GET /basic-auth/u/p                     HTTP/1.1 401 Unauthorized
 *                                   ==&gt;     WWW-Authenticate: Basic realm="Fake Realm"
 *   GET /basic-auth/u/p
 *   Authorization: Basic dTpw       ==&gt;     200 {"authenticated": true, "user": "u"}
 * </pre>
 */
final class AuthEndpoints {

    /** httpbin's realm: clients that check the challenge see the same one. */
    static final String BASIC_CHALLENGE = "Basic realm=\"Fake Realm\"";

    private AuthEndpoints() {
    }

    static void basicAuth(Exchange ex) {
        String user = credential(ex, 0, "user");
        if (basicMatches(ex, user, credential(ex, 1, "password"))) {
            ex.respond(authenticated(user));
            return;
        }
        FullHttpResponse challenge = Responses.empty(HttpResponseStatus.UNAUTHORIZED);
        challenge.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, BASIC_CHALLENGE);
        ex.respond(challenge);
    }

    /** As {@code /basic-auth}, but a wrong or missing credential is a plain 404: nothing says to log in. */
    static void hiddenBasicAuth(Exchange ex) {
        String user = credential(ex, 0, "user");
        if (basicMatches(ex, user, credential(ex, 1, "password"))) {
            ex.respond(authenticated(user));
        } else {
            ex.respond(Responses.html(HttpResponseStatus.NOT_FOUND, ""));
        }
    }

    /** {@code Authorization: Bearer TOKEN} gives {@code {"authenticated": true, "token": TOKEN}}. */
    static void bearer(Exchange ex) {
        String token = token(ex.request().headers().get(HttpHeaderNames.AUTHORIZATION), "Bearer");
        if (token != null && !token.isEmpty()) {
            ex.respond(Responses.json(HttpResponseStatus.OK,
                    EchoJson.object().put("authenticated", true).put("token", token)));
            return;
        }
        FullHttpResponse challenge = Responses.html(HttpResponseStatus.UNAUTHORIZED, "");
        challenge.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
        ex.respond(challenge);
    }

    static FullHttpResponse authenticated(String user) {
        return Responses.json(HttpResponseStatus.OK, EchoJson.object().put("authenticated", true).put("user", user));
    }

    static String credential(Exchange ex, int i, String what) {
        String value = ex.segment(i);
        if (value == null) {
            throw new BadInput("missing " + what + " in the path: /" + "basic-auth/{user}/{passwd}");
        }
        return value;
    }

    /**
     * The parameters after {@code scheme} in an {@code Authorization} value, or null for another scheme.
     * Scheme names are case-insensitive (RFC 9110 11.1).
     */
    static String token(String authorization, String scheme) {
        if (authorization == null || authorization.length() <= scheme.length()
                || !authorization.regionMatches(true, 0, scheme, 0, scheme.length())
                || authorization.charAt(scheme.length()) != ' ') {
            return null;
        }
        return authorization.substring(scheme.length() + 1).trim();
    }

    /** RFC 7617: {@code base64(user ":" password)}, UTF-8; the user ends at the first colon. */
    private static boolean basicMatches(Exchange ex, String user, String password) {
        String token = token(ex.request().headers().get(HttpHeaderNames.AUTHORIZATION), "Basic");
        if (token == null) {
            return false;
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return false; // not base64: a wrong credential, answered with the challenge
        }
        byte[] expected = (user + ":" + password).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(decoded, expected); // constant time, as a credential check should be
    }
}
