package io.inetkit.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;

/**
 * The endpoints that send bodies: {@code /bytes/{n}} and {@code /stream/{n}} streamed a chunk at a time as the
 * client reads ({@link GeneratedInput}), so a large one costs one chunk of memory; {@code /gzip} compressed.
 */
final class DataEndpoints {

    private DataEndpoints() {
    }

    /** {@code n} pseudo-random bytes; {@code ?seed=S} repeats them. */
    static void bytes(Exchange ex) {
        long max = ex.settings().maxBytes();
        long n = BadInput.parseLong(ex.argument(), "byte count");
        if (n < 0 || n > max) {
            throw new BadInput("byte count must be in 0.." + max + ": " + ex.argument());
        }
        long seed = ex.query().parameters().containsKey("seed")
                ? BadInput.parseLong(ex.query().parameters().get("seed").get(0), "seed") : System.nanoTime();
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM);
        HttpUtil.setContentLength(head, n);
        ex.stream(head, GeneratedInput.randomBytes(n, seed));
    }

    /** {@code n} JSON lines, each {@code /get}'s answer with an {@code id}; chunked (HTTP/1.0: until EOF). */
    static void stream(Exchange ex) {
        int max = ex.settings().maxStreamLines();
        int n = BadInput.parseInt(ex.argument(), "line count");
        if (n < 0 || n > max) {
            throw new BadInput("line count must be in 0.." + max + ": " + ex.argument());
        }
        ObjectNode template = EchoJson.describe(ex, false);
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, Responses.JSON);
        if (ex.request().protocolVersion().equals(HttpVersion.HTTP_1_0)) {
            head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE); // no chunks in 1.0: EOF ends it
        } else {
            HttpUtil.setTransferEncodingChunked(head, true);
        }
        ex.stream(head, GeneratedInput.lines(n, i -> {
            ObjectNode line = EchoJson.object().put("id", i);
            line.setAll(template);
            return EchoJson.bytes(line);
        }));
    }

    /** A gzip-encoded JSON body: {@code gzipped}, headers, method, origin. */
    static void gzip(Exchange ex) {
        FullHttpRequest request = ex.request();
        ObjectNode body = EchoJson.object().put("gzipped", true);
        body.set("headers", EchoJson.headers(request));
        body.put("method", request.method().name());
        body.put("origin", ex.origin());
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
            gzip.write(EchoJson.bytes(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(compressed.toByteArray()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, Responses.JSON);
        response.headers().set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
        ex.respond(response);
    }
}
