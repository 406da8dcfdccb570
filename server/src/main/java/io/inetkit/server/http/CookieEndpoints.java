package io.inetkit.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code /cookies} shows the request's cookies; {@code /cookies/set?name=value} (or
 * {@code /cookies/set/{name}/{value}}) and {@code /cookies/delete?name} set or expire them and redirect to
 * {@code /cookies}, as httpbin. Cookies are read and written by Netty's RFC 6265 codec: a name or value that
 * is not a cookie-octet string (a space, a comma) is a 400 here, where httpbin quotes it.
 *
 * <pre>
 *   GET /cookies/set?a=1            HTTP/1.1 302 Found
 *                           ==&gt;     Location: /cookies
 *                                   Set-Cookie: a=1; Path=/
 * </pre>
 */
final class CookieEndpoints {

    private CookieEndpoints() {
    }

    static void cookies(Exchange ex) {
        String action = ex.argument();
        if (action == null) {
            show(ex);
        } else if (action.equals("set")) {
            set(ex);
        } else if (action.equals("delete")) {
            delete(ex);
        } else {
            ex.respond(Responses.notFound());
        }
    }

    /** {@code {"cookies": {"name": "value"}}}. */
    private static void show(Exchange ex) {
        ObjectNode cookies = EchoJson.object();
        for (String header : ex.request().headers().getAll(HttpHeaderNames.COOKIE)) {
            // LAX: a client's odd cookie is still shown; what is sent back is checked strictly
            for (Cookie cookie : ServerCookieDecoder.LAX.decode(header)) {
                cookies.put(cookie.name(), cookie.value());
            }
        }
        ex.respond(Responses.json(HttpResponseStatus.OK, EchoJson.object().set("cookies", cookies)));
    }

    private static void set(Exchange ex) {
        List<Cookie> cookies = new ArrayList<>();
        if (ex.segment(1) != null) {
            if (ex.segment(2) == null) {
                throw new BadInput("/cookies/set/{name}/{value} needs a value");
            }
            cookies.add(cookie(ex.segment(1), ex.segment(2)));
        }
        for (Map.Entry<String, List<String>> param : ex.query().parameters().entrySet()) {
            cookies.add(cookie(param.getKey(), param.getValue().get(param.getValue().size() - 1)));
        }
        redirect(ex, cookies);
    }

    /** Each named cookie, empty and expired (Max-Age 0, RFC 6265 5.2.2). */
    private static void delete(Exchange ex) {
        List<Cookie> cookies = new ArrayList<>();
        for (String name : ex.query().parameters().keySet()) {
            Cookie cookie = cookie(name, "");
            cookie.setMaxAge(0);
            cookies.add(cookie);
        }
        redirect(ex, cookies);
    }

    private static Cookie cookie(String name, String value) {
        Cookie cookie = new DefaultCookie(name, value);
        cookie.setPath("/");
        return cookie;
    }

    private static void redirect(Exchange ex, List<Cookie> cookies) {
        List<String> headers;
        try {
            headers = ServerCookieEncoder.STRICT.encode(cookies);
        } catch (IllegalArgumentException e) {
            throw new BadInput("not a valid cookie (RFC 6265 4.1.1): " + e.getMessage());
        }
        FullHttpResponse response = Responses.redirect("/cookies");
        response.headers().add(HttpHeaderNames.SET_COOKIE, headers);
        ex.respond(response);
    }
}
