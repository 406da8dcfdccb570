package io.inetkit.server.http;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code /status/{codes}} and the redirects: {@code /redirect/{n}}, {@code /relative-redirect/{n}},
 * {@code /absolute-redirect/{n}}, {@code /redirect-to?url=&status_code=}. Each answers as httpbin does, its
 * headers and bodies included (a teapot for 418).
 */
final class StatusEndpoints {

    /** httpbin's 418 body, and what it says where to read about it. */
    static final String TEAPOT = """

                -=[ teapot ]=-

                   _...._
                 .'  _ _ `.
                | ."` ^ `". _,
                \\_;`"---"`|//
                  |       ;/
                  \\_     _/
                    `\"""`
            """;
    private static final String TEAPOT_INFO = "http://tools.ietf.org/html/rfc2324";
    private static final String PAYMENT_INFO = "http://vimeo.com/22053820";
    /** The statuses {@code /status} gives a {@code Location}, as httpbin's. */
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 305, 307);

    private StatusEndpoints() {
    }

    /**
     * That status, or one of a comma-separated list ({@code 200,500:3}: weights after a colon, 1 if none).
     * httpbin's extras: a 3xx says {@code Location: /redirect/1}, 401 asks for Basic, 402 and 418 have a body.
     */
    static void status(Exchange ex) {
        int value = pick(ex.argument());
        HttpResponseStatus status = HttpResponseStatus.valueOf(value);
        FullHttpResponse response;
        if (value == 418) {
            response = Responses.untyped(status, TEAPOT);
            response.headers().set("x-more-info", TEAPOT_INFO);
        } else if (value == 402) {
            response = Responses.untyped(status, "Fuck you, pay me!");
            response.headers().set("x-more-info", PAYMENT_INFO);
        } else if (REDIRECTS.contains(value)) {
            response = Responses.empty(status);
            response.headers().set(HttpHeaderNames.LOCATION, "/redirect/1");
        } else if (value == 401) {
            response = Responses.empty(status);
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"Fake Realm\"");
        } else if (value == 304 || value == 407) {
            response = Responses.empty(status);
        } else {
            response = Responses.html(status, "");
        }
        ex.respond(response);
    }

    private static int pick(String argument) {
        if (argument == null || argument.isEmpty()) {
            throw new BadInput("missing status code in the path");
        }
        List<String> choices = List.of(argument.split(",", -1));
        int[] codes = new int[choices.size()];
        double[] weights = new double[choices.size()];
        double total = 0;
        for (int i = 0; i < codes.length; i++) {
            String[] parts = choices.get(i).split(":", 2);
            codes[i] = BadInput.parseInt(parts[0], "status code");
            if (codes[i] < 200 || codes[i] > 599) {
                throw new BadInput("status code must be in 200..599: " + parts[0]);
            }
            try {
                weights[i] = parts.length == 2 ? Double.parseDouble(parts[1]) : 1;
            } catch (NumberFormatException e) {
                throw new BadInput("weight must be a number: " + parts[1]);
            }
            if (!(weights[i] >= 0) || Double.isInfinite(weights[i])) {
                throw new BadInput("weight must be a finite number >= 0: " + parts[1]);
            }
            total += weights[i];
        }
        double roll = ThreadLocalRandom.current().nextDouble() * total;
        for (int i = 0; i < codes.length; i++) {
            roll -= weights[i];
            if (roll < 0) {
                return codes[i];
            }
        }
        return codes[codes.length - 1]; // all weights 0, or rounding at the top
    }

    /** 302 to {@code /relative-redirect/{n-1}} (httpbin's choice), the last to {@code /get}; absolute with {@code ?absolute=true}. */
    static void redirect(Exchange ex) {
        int n = count(ex);
        List<String> absolute = ex.query().parameters().get("absolute");
        if (absolute != null && absolute.get(0).equalsIgnoreCase("true")) {
            ex.respond(Responses.redirect(ex.base() + (n == 1 ? "/get" : "/absolute-redirect/" + (n - 1))));
        } else {
            ex.respond(Responses.redirect(n == 1 ? "/get" : "/relative-redirect/" + (n - 1)));
        }
    }

    /** 302 with a relative {@code Location}: {@code /relative-redirect/{n-1}}, the last to {@code /get}. */
    static void relativeRedirect(Exchange ex) {
        int n = count(ex);
        FullHttpResponse response = Responses.html(HttpResponseStatus.FOUND, "");
        response.headers().set(HttpHeaderNames.LOCATION, n == 1 ? "/get" : "/relative-redirect/" + (n - 1));
        ex.respond(response);
    }

    /** 302 with an absolute {@code Location} on the host the client named. */
    static void absoluteRedirect(Exchange ex) {
        int n = count(ex);
        ex.respond(Responses.redirect(ex.base() + (n == 1 ? "/get" : "/absolute-redirect/" + (n - 1))));
    }

    /** A redirect to {@code url}, with {@code status_code} if it is a 3xx (else 302, as httpbin). */
    static void redirectTo(Exchange ex) {
        List<String> url = ex.query().parameters().get("url");
        if (url == null || url.get(0).isEmpty()) {
            throw new BadInput("missing url in the query: /redirect-to?url=...");
        }
        int code = 302;
        List<String> status = ex.query().parameters().get("status_code");
        if (status != null) {
            int asked = BadInput.parseInt(status.get(0), "status_code");
            if (asked >= 300 && asked < 400) {
                code = asked;
            }
        }
        FullHttpResponse response = Responses.html(HttpResponseStatus.valueOf(code), "");
        response.headers().set(HttpHeaderNames.LOCATION, url.get(0));
        ex.respond(response);
    }

    private static int count(Exchange ex) {
        int n = BadInput.parseInt(ex.argument(), "redirect count");
        if (n < 1) {
            throw new BadInput("redirect count must be >= 1: " + ex.argument());
        }
        return n;
    }
}
