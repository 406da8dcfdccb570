package io.inetkit.server.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;

/** The endpoints that show the request back: {@code /}, {@code /ip}, {@code /headers}, {@code /get}, {@code /post}, {@code /anything}. */
final class InspectionEndpoints {

    static final String INDEX = """
            inetkit HTTP echo (httpbin-style)
              GET  /ip              {"origin": "<client address>"}
              GET  /headers         the request headers
              GET  /get             method, args, headers, origin, url
              POST /post            the same and the body: data, form, json
              ANY  /anything[/...]  the same for any method
              ANY  /status/{code}   that status (200..599)
              GET  /bytes/{n}       n random bytes (?seed=S repeats them)
              GET  /stream/{n}      n JSON lines, chunked
              GET  /redirect/{n}    n redirects, then /get
              ANY  /delay/{s}       /anything's answer after s seconds
              GET  /gzip            a gzip-encoded body
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
