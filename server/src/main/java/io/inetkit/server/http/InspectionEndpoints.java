package io.inetkit.server.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The endpoints that show the request back: {@code /}, {@code /ip}, {@code /headers}, {@code /user-agent},
 * {@code /get}, {@code /post} (and {@code /put}, {@code /patch}, {@code /delete}), {@code /anything}.
 */
final class InspectionEndpoints {

    static final String INDEX = """
            inetkit HTTP echo (httpbin-style); OPTIONS on any route is a CORS preflight
              GET  /ip /headers /user-agent /uuid   what they say
              GET  /get                       args, headers, origin, url
              POST /post, PUT /put, PATCH /patch, DELETE /delete
                                              the same and the body: data, files, form, json
              ANY  /anything[/...]            the same for any method, with method
              ANY  /status/{code[,code:weight]}   that status (200..599)
              GET  /redirect/{n} /relative-redirect/{n} /absolute-redirect/{n}   n redirects, then /get
              ANY  /redirect-to?url=U&status_code=C   a redirect to U
              GET  /cookies, /cookies/set?name=value, /cookies/delete?name
              GET  /basic-auth/{user}/{passwd} /hidden-basic-auth/{user}/{passwd} /bearer
              GET  /digest-auth/{qop}/{user}/{passwd}[/{algorithm}]
              GET  /response-headers?name=value /cache /cache/{n} /etag/{etag}
              GET  /bytes/{n} (?seed=S) /stream/{n} /range/{n} /links/{n}/{offset} /base64/{value}
              GET  /drip?numbytes=N&duration=S&delay=S&code=C   N bytes over S seconds
              GET  /gzip /deflate              compressed JSON
              GET  /html /json /xml /robots.txt /deny /encoding/utf8 /image[/png|jpeg|webp|svg]
              ANY  /delay/{s}                 /post's answer after s seconds
            """;


    private InspectionEndpoints() {
    }

    static void index(Exchange ex) {
        ex.respond(Responses.text(HttpResponseStatus.OK, INDEX));
    }

    /** {@code {"origin": "127.0.0.1"}}. */
    static void ip(Exchange ex) {
        ex.respond(Responses.json(HttpResponseStatus.OK, EchoJson.object().put("origin", ex.origin())));
    }

    /** {@code {"user-agent": "..."}}, null when the client sent none. */
    static void userAgent(Exchange ex) {
        ex.respond(Responses.json(HttpResponseStatus.OK, EchoJson.object().put("user-agent",
                ex.request().headers().get(HttpHeaderNames.USER_AGENT))));
    }

    static void headers(Exchange ex) {
        ex.respond(Responses.json(HttpResponseStatus.OK,
                EchoJson.object().set("headers", EchoJson.headers(ex.request()))));
    }

    static void get(Exchange ex) {
        ex.respond(Responses.json(HttpResponseStatus.OK, EchoJson.describe(ex, false)));
    }

    static void post(Exchange ex) {
        ex.respond(Responses.json(HttpResponseStatus.OK, EchoJson.describe(ex, true)));
    }

    static void anything(Exchange ex) {
        ex.respond(Responses.json(HttpResponseStatus.OK,
                EchoJson.describe(ex, true).put("method", ex.method().name())));
    }
}
