package io.inetkit.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * Answers each aggregated request like httpbin: the routing and the JSON of every endpoint.
 *
 * <pre>
 *   GET /ip HTTP/1.1                      HTTP/1.1 200 OK
 *   Host: 127.0.0.1:8080          ==&gt;     content-type: application/json
 *                                         content-length: 24
 *
 *                                         {"origin": "127.0.0.1"}
 * </pre>
 *
 * <p>Responses go out in request order: while a {@code /delay} is pending, the connection stops reading and
 * later (pipelined) requests wait here. A request the decoder could not parse gets 400 and the connection is
 * closed after it, since the decoder cannot find the next request's start.
 */
final class HttpEchoHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(HttpEchoHandler.class);

    static final String JSON = "application/json";
    private static final String SERVER = "inetkit";

    private final HttpEchoSettings settings;
    private final String scheme;
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    private ScheduledFuture<?> delayed;
    private FullHttpResponse delayedResponse;

    HttpEchoHandler(HttpEchoSettings settings, String scheme) {
        this.settings = settings;
        this.scheme = scheme;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (delayed != null) {
            waiting.add(request);
            ctx.channel().config().setAutoRead(false);
            return;
        }
        try {
            serve(ctx, request);
        } finally {
            request.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelDelayed();
        FullHttpRequest r;
        while ((r = waiting.poll()) != null) {
            r.release();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("closing {}: {}", ctx.channel(), cause.toString());
        ctx.close();
    }

    private void cancelDelayed() {
        if (delayed != null) {
            delayed.cancel(false);
            delayed = null;
        }
        if (delayedResponse != null) {
            delayedResponse.release();
            delayedResponse = null;
        }
    }

    private void serve(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (request.decoderResult().isFailure()) {
            badRequest(ctx, request, request.decoderResult().cause());
            return;
        }
        QueryStringDecoder query = new QueryStringDecoder(request.uri());
        String[] path;
        try {
            path = query.path().replaceAll("^/+|/+$", "").split("/+", -1);
            query.parameters(); // decodes now, so a bad escape is a 400 here rather than a failure later
        } catch (IllegalArgumentException e) {
            respond(ctx, request, error(HttpResponseStatus.BAD_REQUEST, "malformed URI " + request.uri() + ": "
                    + e.getMessage()));
            return;
        }
        String first = path[0];
        String second = path.length > 1 ? path[1] : null;
        HttpMethod method = request.method();
        boolean getLike = method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD);
        try {
            switch (first) {
                case "" -> respond(ctx, request, text(HttpResponseStatus.OK, index()));
                case "ip" -> requireGet(ctx, request, getLike, () -> json(HttpResponseStatus.OK,
                        EchoJson.object().put("origin", origin(ctx))));
                case "headers" -> requireGet(ctx, request, getLike, () -> json(HttpResponseStatus.OK,
                        EchoJson.object().set("headers", headers(request))));
                case "get" -> requireGet(ctx, request, getLike, () -> json(HttpResponseStatus.OK,
                        describe(ctx, request, query, false)));
                case "post" -> {
                    if (!method.equals(HttpMethod.POST)) {
                        respond(ctx, request, notAllowed("POST"));
                    } else {
                        respond(ctx, request, json(HttpResponseStatus.OK, describe(ctx, request, query, true)));
                    }
                }
                case "anything" -> respond(ctx, request, json(HttpResponseStatus.OK,
                        describe(ctx, request, query, true).put("method", method.name())));
                case "status" -> respond(ctx, request, status(second));
                case "bytes" -> requireGetStreamed(ctx, request, getLike, () -> bytes(ctx, request, second, query));
                case "stream" -> requireGetStreamed(ctx, request, getLike, () -> stream(ctx, request, second, query));
                case "redirect" -> requireGet(ctx, request, getLike, () -> redirect(second));
                case "delay" -> delay(ctx, request, second, query);
                case "gzip" -> requireGet(ctx, request, getLike, () -> gzip(ctx, request));
                default -> respond(ctx, request, error(HttpResponseStatus.NOT_FOUND, "no such endpoint: "
                        + query.path() + " (see GET /)"));
            }
        } catch (BadInput e) {
            respond(ctx, request, error(HttpResponseStatus.BAD_REQUEST, e.getMessage()));
        } catch (RuntimeException e) {
            // a bug here must still answer: the client gets a 500 and the reason, not a dropped connection
            log.debug("500 for {} {}", request.method(), request.uri(), e);
            respond(ctx, request, error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error: " + e));
        }
    }

    /** A piece of a path or query that does not fit the endpoint's grammar or limits. */
    private static final class BadInput extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadInput(String message) {
            super(message, null, false, false);
        }
    }

    private interface ResponseMaker {
        FullHttpResponse make();
    }

    private void requireGet(ChannelHandlerContext ctx, FullHttpRequest request, boolean getLike, ResponseMaker maker) {
        if (!getLike) {
            respond(ctx, request, notAllowed("GET, HEAD"));
        } else {
            respond(ctx, request, maker.make());
        }
    }

    private void requireGetStreamed(ChannelHandlerContext ctx, FullHttpRequest request, boolean getLike,
                                    Runnable streamer) {
        if (!getLike) {
            respond(ctx, request, notAllowed("GET, HEAD"));
        } else {
            streamer.run();
        }
    }

    // ---- endpoints ----

    private static String index() {
        return """
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
    }

    private FullHttpResponse status(String code) {
        int value = parseInt(code, "status code");
        if (value < 200 || value > 599) {
            throw new BadInput("status code must be in 200..599: " + code);
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(value), Unpooled.EMPTY_BUFFER);
        if (value >= 300 && value < 400 && value != 304) {
            response.headers().set(HttpHeaderNames.LOCATION, "/redirect/1");
        }
        return response;
    }

    private void bytes(ChannelHandlerContext ctx, FullHttpRequest request, String count, QueryStringDecoder query) {
        long n = parseLong(count, "byte count");
        if (n < 0 || n > settings.maxBytes()) {
            throw new BadInput("byte count must be in 0.." + settings.maxBytes() + ": " + count);
        }
        long seed = query.parameters().containsKey("seed")
                ? parseLong(query.parameters().get("seed").get(0), "seed") : System.nanoTime();
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM);
        HttpUtil.setContentLength(head, n);
        stream(ctx, request, head, new RandomBytesInput(n, seed));
    }

    private void stream(ChannelHandlerContext ctx, FullHttpRequest request, String count, QueryStringDecoder query) {
        int n = parseInt(count, "line count");
        if (n < 0 || n > settings.maxStreamLines()) {
            throw new BadInput("line count must be in 0.." + settings.maxStreamLines() + ": " + count);
        }
        ObjectNode template = describe(ctx, request, query, false);
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, JSON);
        if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
            head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE); // no chunks in 1.0: EOF ends it
        } else {
            HttpUtil.setTransferEncodingChunked(head, true);
        }
        stream(ctx, request, head, new LinesInput(n, i -> {
            ObjectNode line = EchoJson.object().put("id", i);
            line.setAll(template);
            return EchoJson.bytes(line);
        }));
    }

    private void stream(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponse head,
                        io.netty.handler.stream.ChunkedInput<ByteBuf> body) {
        head.headers().set(HttpHeaderNames.SERVER, SERVER);
        keepAlive(request, head);
        access(ctx, request, head.status());
        if (request.method().equals(HttpMethod.HEAD)) {
            ctx.write(new DefaultFullHttpResponse(head.protocolVersion(), head.status(), Unpooled.EMPTY_BUFFER,
                    head.headers(), io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE));
            return;
        }
        ctx.write(head);
        ctx.write(new HttpChunkedInput(body));
    }

    private FullHttpResponse redirect(String count) {
        int n = parseInt(count, "redirect count");
        if (n < 1) {
            throw new BadInput("redirect count must be >= 1: " + count);
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.FOUND,
                Unpooled.EMPTY_BUFFER);
        response.headers().set(HttpHeaderNames.LOCATION, n == 1 ? "/get" : "/redirect/" + (n - 1));
        return response;
    }

    private void delay(ChannelHandlerContext ctx, FullHttpRequest request, String seconds, QueryStringDecoder query) {
        BigDecimal value;
        try {
            value = new BigDecimal(seconds == null ? "" : seconds);
        } catch (NumberFormatException e) {
            throw new BadInput("delay must be a number of seconds: " + seconds);
        }
        BigDecimal max = BigDecimal.valueOf(settings.maxDelay().toMillis()).movePointLeft(3);
        if (value.signum() < 0 || value.compareTo(max) > 0) {
            throw new BadInput("delay must be in 0.." + max.stripTrailingZeros().toPlainString() + " seconds: "
                    + seconds);
        }
        long nanos = value.movePointRight(9).longValue();
        FullHttpResponse response = json(HttpResponseStatus.OK,
                describe(ctx, request, query, true).put("method", request.method().name()));
        finish(request, response);
        access(ctx, request, response.status());
        delayedResponse = response;
        delayed = ctx.executor().schedule(() -> {
            delayed = null;
            delayedResponse = null;
            ctx.writeAndFlush(response);
            serveWaiting(ctx);
        }, nanos, TimeUnit.NANOSECONDS);
    }

    /** Serves requests that came in behind a delayed one, until the next delayed one or none is left. */
    private void serveWaiting(ChannelHandlerContext ctx) {
        FullHttpRequest next;
        while (delayed == null && (next = waiting.poll()) != null) {
            try {
                serve(ctx, next);
            } finally {
                next.release();
            }
        }
        ctx.flush();
        if (delayed == null) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private FullHttpResponse gzip(ChannelHandlerContext ctx, FullHttpRequest request) {
        ObjectNode body = EchoJson.object().put("gzipped", true);
        body.set("headers", headers(request));
        body.put("method", request.method().name());
        body.put("origin", origin(ctx));
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
            gzip.write(EchoJson.bytes(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(compressed.toByteArray()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, JSON);
        response.headers().set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
        return response;
    }

    // ---- the JSON of a request ----

    /** httpbin's description of a request: args, headers, origin, url; with the body's data, form, json. */
    private ObjectNode describe(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder query,
                                boolean withBody) {
        ObjectNode node = EchoJson.object();
        node.set("args", params(query.parameters()));
        if (withBody) {
            byte[] body = ByteBufUtil.getBytes(request.content());
            node.put("data", text(body));
            String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE, "").toLowerCase(Locale.ROOT);
            ObjectNode form = EchoJson.object();
            if (type.startsWith(HttpHeaderValues.APPLICATION_X_WWW_FORM_URLENCODED.toString())) {
                try {
                    form = params(new QueryStringDecoder(new String(body, StandardCharsets.UTF_8), false)
                            .parameters());
                } catch (IllegalArgumentException e) {
                    // not really a form (curl sends any -d data with this type): data still shows it
                }
            }
            node.set("form", form);
            JsonNode json = type.contains("json") ? EchoJson.parseOrNull(body) : null;
            node.set("json", json);
        }
        node.set("headers", headers(request));
        node.put("origin", origin(ctx));
        node.put("url", url(ctx, request));
        return node;
    }

    private static ObjectNode params(Map<String, List<String>> params) {
        ObjectNode node = EchoJson.object();
        params.forEach((name, values) -> {
            if (values.size() == 1) {
                node.put(name, values.get(0));
            } else {
                values.forEach(node.putArray(name)::add);
            }
        });
        return node;
    }

    /** The request headers as sent (HTTP/2's are lower case), repeated ones joined with commas. */
    private static ObjectNode headers(FullHttpRequest request) {
        ObjectNode node = EchoJson.object();
        for (String name : request.headers().names()) {
            if (name.toLowerCase(Locale.ROOT).startsWith("x-http2-")) {
                continue; // Netty's HTTP/2-to-HTTP/1 bookkeeping, not something the client sent
            }
            node.put(name, String.join(",", request.headers().getAll(name)));
        }
        return node;
    }

    /** UTF-8 text as a string; anything else as a base64 data URL (as httpbin does). */
    private static String text(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return "data:application/octet-stream;base64," + Base64.getEncoder().encodeToString(body);
        }
    }

    private static String origin(ChannelHandlerContext ctx) {
        SocketAddress remote = ctx.channel().remoteAddress();
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return NetUtil.toAddressString(inet.getAddress());
        }
        return String.valueOf(remote);
    }

    private String url(ChannelHandlerContext ctx, FullHttpRequest request) {
        String host = request.headers().get(HttpHeaderNames.HOST);
        if (host == null && ctx.channel().localAddress() instanceof InetSocketAddress local) {
            host = NetUtil.toSocketAddressString(local);
        }
        return scheme + "://" + host + request.uri();
    }

    // ---- responses ----

    private static FullHttpResponse json(HttpResponseStatus status, JsonNode body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(EchoJson.bytes(body)));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, JSON);
        return response;
    }

    private static FullHttpResponse text(HttpResponseStatus status, String body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8)));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        return response;
    }

    private static FullHttpResponse error(HttpResponseStatus status, String message) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(EchoJson.error(message)));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, JSON);
        return response;
    }

    private static FullHttpResponse notAllowed(String allow) {
        FullHttpResponse response = error(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed; use " + allow);
        response.headers().set(HttpHeaderNames.ALLOW, allow);
        return response;
    }

    private void badRequest(ChannelHandlerContext ctx, FullHttpRequest request, Throwable cause) {
        String why;
        if (cause instanceof TooLongHttpHeaderException) {
            why = "request header block larger than " + settings.maxHeaderSize() + " bytes";
        } else if (cause instanceof TooLongHttpLineException) {
            why = "request line longer than " + settings.maxHeaderSize() + " bytes";
        } else {
            why = "malformed request: " + (cause.getMessage() == null ? cause.getClass().getSimpleName()
                    : cause.getMessage());
        }
        FullHttpResponse response = error(HttpResponseStatus.BAD_REQUEST, why);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        finish(request, response);
        log.debug("400 to {}: {}", origin(ctx), why);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private void respond(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
        finish(request, response);
        access(ctx, request, response.status());
        ctx.write(response);
    }

    /** Sets the length, keep-alive and server headers, and drops the body of a HEAD answer. */
    private static void finish(FullHttpRequest request, FullHttpResponse response) {
        response.headers().set(HttpHeaderNames.SERVER, SERVER);
        HttpUtil.setContentLength(response, response.content().readableBytes());
        keepAlive(request, response);
        if (request.method().equals(HttpMethod.HEAD)) {
            response.content().clear();
        }
    }

    private static void keepAlive(FullHttpRequest request, HttpResponse response) {
        if (request.protocolVersion().equals(HttpVersion.HTTP_1_0) && HttpUtil.isKeepAlive(request)
                && !response.headers().contains(HttpHeaderNames.CONNECTION)) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        response.setProtocolVersion(request.protocolVersion().equals(HttpVersion.HTTP_1_0)
                ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1);
    }

    private void access(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status) {
        if (log.isDebugEnabled()) {
            String protocol = ctx.channel() instanceof Http2StreamChannel ? "HTTP/2" : request.protocolVersion().text();
            log.debug("{} {} {} {} {}", origin(ctx), request.method(), request.uri(), protocol, status.code());
        }
    }

    private static int parseInt(String text, String what) {
        long value = parseLong(text, what);
        if (value > Integer.MAX_VALUE) {
            throw new BadInput(what + " too large: " + text);
        }
        return (int) value;
    }

    private static long parseLong(String text, String what) {
        if (text == null || text.isEmpty()) {
            throw new BadInput("missing " + what + " in the path");
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new BadInput(what + " must be an integer: " + text);
        }
    }
}
