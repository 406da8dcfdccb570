package io.inetkit.server.http;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;

/** {@code /status/{code}} and {@code /redirect/{n}}: answers with no body but a status and a {@code Location}. */
final class StatusEndpoints {

    private StatusEndpoints() {
    }

    /** That status; a 3xx other than 304 also says {@code Location: /redirect/1}. */
    static void status(Exchange ex) {
        int value = BadInput.parseInt(ex.argument(), "status code");
        if (value < 200 || value > 599) {
            throw new BadInput("status code must be in 200..599: " + ex.argument());
        }
        FullHttpResponse response = Responses.empty(HttpResponseStatus.valueOf(value));
        if (value >= 300 && value < 400 && value != 304) {
            response.headers().set(HttpHeaderNames.LOCATION, "/redirect/1");
        }
        ex.respond(response);
    }

    /** 302 to {@code /redirect/{n-1}}, and at the end to {@code /get}. */
    static void redirect(Exchange ex) {
        int n = BadInput.parseInt(ex.argument(), "redirect count");
        if (n < 1) {
            throw new BadInput("redirect count must be >= 1: " + ex.argument());
        }
        FullHttpResponse response = Responses.empty(HttpResponseStatus.FOUND);
        response.headers().set(HttpHeaderNames.LOCATION, n == 1 ? "/get" : "/redirect/" + (n - 1));
        ex.respond(response);
    }
}
