package io.inetkit.server.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Map.entry;

/**
 * The route table: a request's first path segment picks its endpoint, which allows some methods
 * (405 with {@code Allow} for others; OPTIONS, a CORS preflight, to every one). A path or query the endpoint
 * cannot use is a 400 ({@link BadInput}), an unknown endpoint httpbin's HTML 404, a bug a 500 with the reason;
 * a request the decoder could not parse gets 400 and the connection closes after it, since the decoder cannot
 * find the next request's start. A request whose body did not fit in the listener's body budget
 * ({@link BodyBudgetHandler}) gets 503 with {@code Retry-After} and a close, since the rest of its body is not read. Only the endpoints marked {@code body} below see a body.
 *
 * <pre>
 *   /            ANY       the index                 InspectionEndpoints
 *   /ip /headers /get      GET, HEAD                 InspectionEndpoints
 *   /post /put /patch /delete  that method           InspectionEndpoints   body
 *   /anything[/...]  ANY                             InspectionEndpoints   body
 *   /status/{codes} /redirect-to  ANY                StatusEndpoints
 *   /redirect/{n} /relative-redirect/{n} /absolute-redirect/{n}  GET, HEAD   StatusEndpoints
 *   /bytes/{n} /stream/{n} /stream-bytes/{n} /gzip  GET, HEAD   DataEndpoints
 *   /delay/{s}   ANY                                 DelayEndpoint         body
 *   /user-agent                      GET, HEAD       InspectionEndpoints
 *   /uuid /base64/{v} /deflate /range/{n} /links/{n}/{offset} /drip  GET, HEAD   DataEndpoints
 *   /cookies[/set|/delete]           GET, HEAD       CookieEndpoints
 *   /basic-auth/{u}/{p} /hidden-basic-auth/{u}/{p} /bearer  GET, HEAD   AuthEndpoints
 *   /digest-auth/{qop}/{u}/{p}[/{algorithm}]   GET, HEAD   DigestAuth
 *   /response-headers  GET, HEAD, POST; /cache[/{n}] /etag/{etag}  GET, HEAD   CachingEndpoints
 *   /html /json /xml /robots.txt /deny /encoding/utf8 /image[/{type}] /forms/post  GET, HEAD   DocumentEndpoints
 * </pre>
 */
final class Router {

    private static final Logger log = LoggerFactory.getLogger(HttpEchoHandler.class);

    /** What an endpoint does with an exchange whose method it allows. */
    interface Endpoint {
        void serve(Exchange exchange);
    }

    /**
     * The methods a route takes: {@code header} as the {@code Allow} header says it, {@code names} to look a
     * request's method up in (so that no request splits the header).
     */
    private record Methods(String header, Set<String> names) {
        static Methods of(String header) {
            return new Methods(header, Set.of(header.split(", ")));
        }
    }

    /**
     * An endpoint and the methods it takes; {@code allow} null for any.
     * {@code body}: the endpoint echoes the request body, so it needs it whole; every other one is answered as
     * if there were none, and its body is dropped as it arrives ({@link BodyBudgetHandler}).
     */
    private record Route(Methods allow, Endpoint endpoint, boolean body) {
        Route(Methods allow, Endpoint endpoint) {
            this(allow, endpoint, false);
        }

        boolean allows(HttpMethod method) {
            return allow == null || allow.names().contains(method.name());
        }

        /** The {@code Allow} header: httpbin's lists, OPTIONS first. */
        String allowHeader() {
            return allow == null ? ANY : allow.header();
        }
    }

    // as httpbin lists them in Allow: every route also answers OPTIONS, a CORS preflight
    private static final Methods GET = Methods.of("OPTIONS, GET, HEAD");
    private static final Methods POST = Methods.of("OPTIONS, POST");
    private static final Methods GET_POST = Methods.of("OPTIONS, GET, HEAD, POST");
    private static final Methods PUT = Methods.of("OPTIONS, PUT");
    private static final Methods PATCH = Methods.of("OPTIONS, PATCH");
    private static final Methods DELETE = Methods.of("OPTIONS, DELETE");
    private static final String ANY = "DELETE, OPTIONS, GET, POST, PATCH, TRACE, PUT, HEAD";
    /** How long a client refused for the body budget should wait: bodies in flight take about that to finish. */
    static final int RETRY_AFTER_SECONDS = 1;

    private static final Map<String, Route> ROUTES = Map.ofEntries(
            entry("", new Route(null, InspectionEndpoints::index)),
            entry("ip", new Route(GET, InspectionEndpoints::ip)),
            entry("headers", new Route(GET, InspectionEndpoints::headers)),
            entry("get", new Route(GET, InspectionEndpoints::get)),
            entry("post", new Route(POST, InspectionEndpoints::post, true)),
            entry("put", new Route(PUT, InspectionEndpoints::post, true)),
            entry("patch", new Route(PATCH, InspectionEndpoints::post, true)),
            entry("delete", new Route(DELETE, InspectionEndpoints::post, true)),
            entry("anything", new Route(null, InspectionEndpoints::anything, true)),
            entry("status", new Route(null, StatusEndpoints::status)),
            entry("redirect", new Route(GET, StatusEndpoints::redirect)),
            entry("relative-redirect", new Route(GET, StatusEndpoints::relativeRedirect)),
            entry("absolute-redirect", new Route(GET, StatusEndpoints::absoluteRedirect)),
            entry("redirect-to", new Route(null, StatusEndpoints::redirectTo)),
            entry("bytes", new Route(GET, DataEndpoints::bytes)),
            entry("stream", new Route(GET, DataEndpoints::stream)),
            entry("stream-bytes", new Route(GET, DataEndpoints::streamBytes)),
            entry("gzip", new Route(GET, DataEndpoints::gzip)),
            entry("delay", new Route(null, DelayEndpoint::delay, true)),
            entry("user-agent", new Route(GET, InspectionEndpoints::userAgent)),
            entry("uuid", new Route(GET, DataEndpoints::uuid)),
            entry("base64", new Route(GET, DataEndpoints::base64)),
            entry("deflate", new Route(GET, DataEndpoints::deflate)),
            entry("range", new Route(GET, DataEndpoints::range)),
            entry("links", new Route(GET, DataEndpoints::links)),
            entry("drip", new Route(GET, DataEndpoints::drip)),
            entry("cookies", new Route(GET, CookieEndpoints::cookies)),
            entry("basic-auth", new Route(GET, AuthEndpoints::basicAuth)),
            entry("hidden-basic-auth", new Route(GET, AuthEndpoints::hiddenBasicAuth)),
            entry("bearer", new Route(GET, AuthEndpoints::bearer)),
            entry("digest-auth", new Route(GET, DigestAuth::digestAuth)),
            entry("response-headers", new Route(GET_POST, CachingEndpoints::responseHeaders)),
            entry("cache", new Route(GET, CachingEndpoints::cache)),
            entry("etag", new Route(GET, CachingEndpoints::etag)),
            entry("html", new Route(GET, DocumentEndpoints::html)),
            entry("forms", new Route(GET, DocumentEndpoints::formsPost)),
            entry("json", new Route(GET, DocumentEndpoints::json)),
            entry("xml", new Route(GET, DocumentEndpoints::xml)),
            entry("robots.txt", new Route(GET, DocumentEndpoints::robots)),
            entry("deny", new Route(GET, DocumentEndpoints::deny)),
            entry("encoding", new Route(GET, DocumentEndpoints::encoding)),
            entry("image", new Route(GET, DocumentEndpoints::image)));

    private final HttpEchoSettings settings;
    private final String scheme;
    /**
     * The client's address as text, made on the first request: a connection's (or an HTTP/2 stream's) client
     * does not change, the PROXY header having named it before the first request.
     */
    private String origin;

    /** @param scheme {@code http} or {@code https}, for the {@code url} the endpoints report */
    Router(HttpEchoSettings settings, String scheme) {
        this.settings = settings;
        this.scheme = scheme;
    }

    /**
     * Whether the endpoint {@code request} goes to echoes its body: only then is the body buffered. False for
     * a path or method that gets an error (400, 404, 405): the error needs no body either.
     */
    static boolean needsBody(HttpRequest request) {
        String first;
        try {
            first = segments(new QueryStringDecoder(request.uri()).path()).get(0);
        } catch (IllegalArgumentException e) {
            return false;
        }
        Route route = ROUTES.get(first);
        return route != null && route.body() && route.allows(request.method())
                && !request.method().equals(HttpMethod.OPTIONS);
    }

    /**
     * A decoded path's segments, the endpoint's name first: {@code /status/418} is {@code [status, 418]}; runs of
     * slashes count as one, and leading and trailing ones as none ({@code //status//418/} is the same); the root
     * is {@code [""]}. By hand rather than by regular expression: every request comes through here.
     */
    static List<String> segments(String path) {
        List<String> segments = new ArrayList<>(4);
        int start = 0;
        int length = path.length();
        while (start < length) {
            while (start < length && path.charAt(start) == '/') {
                start++;
            }
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = length;
            }
            if (end > start) {
                segments.add(path.substring(start, end));
            }
            start = end;
        }
        if (segments.isEmpty()) {
            segments.add("");
        }
        return segments;
    }

    void serve(ChannelHandlerContext ctx, FullHttpRequest request, PipelinedRequests order) {
        if (request.decoderResult().isFailure()) {
            badRequest(ctx, request, request.decoderResult().cause());
            return;
        }
        if (request.protocolVersion().majorVersion() != 1) {
            // e.g. "PRI * HTTP/2.0" not followed by the rest of the HTTP/2 preface: no HTTP/1.x request to answer
            closeWith(ctx, request, HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED,
                    request.protocolVersion() + " is not HTTP/1.x; for HTTP/2 send the whole connection preface");
            return;
        }
        QueryStringDecoder query = new QueryStringDecoder(request.uri());
        List<String> path;
        try {
            path = segments(query.path());
            query.parameters(); // decodes now, so a bad escape is a 400 here rather than a failure later
        } catch (IllegalArgumentException e) {
            new Exchange(ctx, request, query, List.of(), origin(ctx), settings, scheme, order).respond(Responses.error(
                    HttpResponseStatus.BAD_REQUEST, "malformed URI " + request.uri() + ": " + e.getMessage()));
            return;
        }
        Exchange exchange = new Exchange(ctx, request, query, path.subList(1, path.size()), origin(ctx), settings,
                scheme, order);
        Route route = ROUTES.get(path.get(0));
        try {
            if (route == null) {
                exchange.respond(Responses.notFound());
            } else if (request.method().equals(HttpMethod.OPTIONS)) {
                // a CORS preflight (Responses.cors adds what it asks for), or a client asking what the route takes
                FullHttpResponse preflight = Responses.html(HttpResponseStatus.OK, "");
                preflight.headers().set(HttpHeaderNames.ALLOW, route.allowHeader());
                exchange.respond(preflight);
            } else if (!route.allows(request.method())) {
                exchange.respond(Responses.notAllowed(route.allowHeader()));
            } else {
                route.endpoint().serve(exchange);
            }
        } catch (BadInput e) {
            exchange.respond(Responses.error(HttpResponseStatus.BAD_REQUEST, e.getMessage()));
        } catch (RuntimeException e) {
            // a bug here must still answer: the client gets a 500 and the reason, not a dropped connection
            log.debug("500 for {} {}", request.method(), request.uri(), e);
            exchange.respond(Responses.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error: " + e));
        }
    }

    private String origin(ChannelHandlerContext ctx) {
        if (origin == null) {
            origin = Exchange.origin(ctx);
        }
        return origin;
    }

    private void badRequest(ChannelHandlerContext ctx, FullHttpRequest request, Throwable cause) {
        if (cause instanceof BodyBudget.Exhausted) {
            // RFC 9110 15.6.4: a temporary overload; the client may retry, on a new connection (this one's
            // body was not read)
            FullHttpResponse response = Responses.error(HttpResponseStatus.SERVICE_UNAVAILABLE, cause.getMessage());
            response.headers().set(HttpHeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
            closeWith(ctx, request, response, cause.getMessage());
            return;
        }
        String why;
        if (cause instanceof TooLongHttpHeaderException) {
            why = "request header block larger than " + settings.maxHeaderSize() + " bytes";
        } else if (cause instanceof TooLongHttpLineException) {
            why = "request line longer than " + settings.maxHeaderSize() + " bytes";
        } else {
            why = "malformed request: " + (cause.getMessage() == null ? cause.getClass().getSimpleName()
                    : cause.getMessage());
        }
        closeWith(ctx, request, HttpResponseStatus.BAD_REQUEST, why);
    }

    /** Answers {@code status} and closes: the connection's next bytes cannot be trusted to start a request. */
    private static void closeWith(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status,
            String why) {
        closeWith(ctx, request, Responses.error(status, why), why);
    }

    private static void closeWith(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response,
            String why) {
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        Responses.finish(request, response);
        log.debug("{} to {}: {}", response.status().code(), Exchange.origin(ctx), why);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
