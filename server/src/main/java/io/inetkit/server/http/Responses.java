package io.inetkit.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

/** The responses the endpoints build, and the headers every response gets. */
final class Responses {

    static final String JSON = "application/json";
    static final String SERVER = "inetkit";

    private Responses() {
    }

    static FullHttpResponse json(HttpResponseStatus status, JsonNode body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(EchoJson.bytes(body)));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, JSON);
        return response;
    }

    static FullHttpResponse text(HttpResponseStatus status, String body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8)));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        return response;
    }

    static FullHttpResponse empty(HttpResponseStatus status) {
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
    }

    /** {@code {"error": "message"}}. */
    static FullHttpResponse error(HttpResponseStatus status, String message) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(EchoJson.error(message)));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, JSON);
        return response;
    }

    /** 405 with {@code Allow: allow}. */
    static FullHttpResponse notAllowed(String allow) {
        FullHttpResponse response = error(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed; use " + allow);
        response.headers().set(HttpHeaderNames.ALLOW, allow);
        return response;
    }

    /** Sets the length, keep-alive and server headers, and drops the body of a HEAD answer. */
    static void finish(FullHttpRequest request, FullHttpResponse response) {
        response.headers().set(HttpHeaderNames.SERVER, SERVER);
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
