package io.inetkit.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

/** The responses the endpoints build, and the headers every response gets. */
final class Responses {

    static final String JSON = "application/json";
    static final String SERVER = "inetkit";
    /** The type httpbin (Flask) gives every answer that does not choose one, bodiless ones included. */
    static final String HTML = "text/html; charset=utf-8";
    /** What a preflight may use: the methods httpbin lists. */
    static final String CORS_METHODS = "GET, POST, PUT, DELETE, PATCH, OPTIONS";
    static final int CORS_MAX_AGE_SECONDS = 3600;

    /** Werkzeug's pages, byte for byte, so that clients that match on them see what httpbin sends. */
    private static final String NOT_FOUND_PAGE = """
            <!doctype html>
            <html lang=en>
            <title>404 Not Found</title>
            <h1>Not Found</h1>
            <p>The requested URL was not found on the server. If you entered the URL manually please check your \
            spelling and try again.</p>
            """;
    private static final String NOT_ALLOWED_PAGE = """
            <!doctype html>
            <html lang=en>
            <title>405 Method Not Allowed</title>
            <h1>Method Not Allowed</h1>
            <p>The method is not allowed for the requested URL.</p>
            """;

    private Responses() {
    }

    /**
     * A response with {@code content}: its headers are the endpoint's to set, and it has no trailers, so it
     * makes no second header table for them (one per response saved: every answer comes through here).
     */
    static FullHttpResponse of(HttpResponseStatus status, ByteBuf content) {
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content, DefaultHttpHeadersFactory.headersFactory().newHeaders(),
                EmptyHttpHeaders.INSTANCE);
    }

    static FullHttpResponse json(HttpResponseStatus status, JsonNode body) {
        FullHttpResponse response = of(status, Unpooled.wrappedBuffer(EchoJson.bytes(body)));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, JSON);
        return response;
    }

    static FullHttpResponse text(HttpResponseStatus status, String body) {
        FullHttpResponse response = untyped(status, body);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        return response;
    }

    static FullHttpResponse html(HttpResponseStatus status, String body) {
        FullHttpResponse response = untyped(status, body);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HTML);
        return response;
    }

    /** A text body without a {@code Content-Type}, as httpbin sends a few. */
    static FullHttpResponse untyped(HttpResponseStatus status, String body) {
        return of(status, Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8)));
    }

    static FullHttpResponse empty(HttpResponseStatus status) {
        return of(status, Unpooled.EMPTY_BUFFER);
    }

    /** {@code {"error": "message"}}. */
    static FullHttpResponse error(HttpResponseStatus status, String message) {
        FullHttpResponse response = of(status, Unpooled.wrappedBuffer(EchoJson.error(message)));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, JSON);
        return response;
    }

    /** 404 as httpbin sends it: an HTML page. */
    static FullHttpResponse notFound() {
        return html(HttpResponseStatus.NOT_FOUND, NOT_FOUND_PAGE);
    }

    /** 405 with {@code Allow: allow}, an HTML page as httpbin's. */
    static FullHttpResponse notAllowed(String allow) {
        FullHttpResponse response = html(HttpResponseStatus.METHOD_NOT_ALLOWED, NOT_ALLOWED_PAGE);
        response.headers().set(HttpHeaderNames.ALLOW, allow);
        return response;
    }

    /** 302 to {@code target} with Werkzeug's page that links to it. */
    static FullHttpResponse redirect(String target) {
        String href = escape(target);
        FullHttpResponse response = html(HttpResponseStatus.FOUND, """
                <!doctype html>
                <html lang=en>
                <title>Redirecting...</title>
                <h1>Redirecting...</h1>
                <p>You should be redirected automatically to the target URL: <a href="%s">%s</a>. If not, \
                click the link.
                """.formatted(href, href));
        response.headers().set(HttpHeaderNames.LOCATION, target);
        return response;
    }

    /** {@code text} safe inside an HTML element or a quoted attribute. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    /**
     * httpbin's CORS headers, on every answer so that a browser's page on any origin can read it: the
     * request's {@code Origin} (or {@code *}) and credentials allowed; to OPTIONS, also the preflight's answer.
     */
    static void cors(HttpRequest request, HttpHeaders headers) {
        headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN,
                request.headers().get(HttpHeaderNames.ORIGIN, "*"));
        headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        if (request.method().equals(HttpMethod.OPTIONS)) {
            headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, CORS_METHODS);
            headers.set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, CORS_MAX_AGE_SECONDS);
            String asked = request.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
            if (asked != null) {
                headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, asked);
            }
        }
    }

    /** Sets the length, keep-alive, server and CORS headers, and drops the body of a HEAD answer. */
    static void finish(FullHttpRequest request, FullHttpResponse response) {
        response.headers().set(HttpHeaderNames.SERVER, SERVER);
        cors(request, response.headers());
        HttpUtil.setContentLength(response, response.content().readableBytes());
        keepAlive(request, response);
        if (request.method().equals(HttpMethod.HEAD)) {
            response.content().clear();
        }
    }

    /** Answers in the request's version (1.0 or 1.1), and keeps an HTTP/1.0 keep-alive connection open. */
    static void keepAlive(FullHttpRequest request, HttpResponse response) {
        if (request.protocolVersion().equals(HttpVersion.HTTP_1_0) && HttpUtil.isKeepAlive(request)
                && !response.headers().contains(HttpHeaderNames.CONNECTION)) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        response.setProtocolVersion(request.protocolVersion().equals(HttpVersion.HTTP_1_0)
                ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1);
    }
}
