package io.inetkit.server.admin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The admin endpoints:
 *
 * <pre>
 * GET /metrics   200  text/plain; version=0.0.4    every meter, Prometheus text format
 * GET /health    200  "serving\n"                  while the server serves
 *                503  "draining\n"                 once a stop began: take it out of rotation
 * GET /          200  the list of endpoints
 * other paths    404;  other methods 405 (GET and HEAD are allowed)
 * malformed      400, and the connection closes (request line or headers too long, bad chunk)
 * </pre>
 *
 * Keeps no per-connection state, so one instance serves every admin connection.
 */
@Sharable
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String PLAIN_TEXT = "text/plain; charset=utf-8";

    private static final Logger log = LoggerFactory.getLogger(AdminHandler.class);

    private final Supplier<String> metrics;
    private final BooleanSupplier serving;

    AdminHandler(Supplier<String> metrics, BooleanSupplier serving) {
        this.metrics = metrics;
        this.serving = serving;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (request.decoderResult().isFailure()) {
            // a request line or header block over the decoder's limits, or a bad chunk: the decoder has
            // stopped reading this connection, and the request it cut short must not be answered as if whole
            FullHttpResponse response = text(HttpResponseStatus.BAD_REQUEST, PLAIN_TEXT, "bad request\n");
            HttpUtil.setKeepAlive(response, false);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        boolean head = request.method().equals(HttpMethod.HEAD);
        FullHttpResponse response;
        if (!request.method().equals(HttpMethod.GET) && !head) {
            response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, PLAIN_TEXT, "method not allowed: use GET\n");
            response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
        } else {
            String path = new QueryStringDecoder(request.uri()).path();
            response = switch (path) {
                case "/metrics" -> text(HttpResponseStatus.OK, PROMETHEUS_TEXT, metrics.get());
                case "/health" -> serving.getAsBoolean()
                        ? text(HttpResponseStatus.OK, PLAIN_TEXT, "serving\n")
                        : text(HttpResponseStatus.SERVICE_UNAVAILABLE, PLAIN_TEXT, "draining\n");
                case "/" -> text(HttpResponseStatus.OK, PLAIN_TEXT,
                        "inetkit server admin\n/metrics  Prometheus text\n/health   200 serving, 503 draining\n");
                default -> text(HttpResponseStatus.NOT_FOUND, PLAIN_TEXT, "not found: " + path + "\n");
            };
        }
        if (head) {
            int length = response.content().readableBytes();
            response.content().clear();
            HttpUtil.setContentLength(response, length);
        }
        HttpUtil.setKeepAlive(response, HttpUtil.isKeepAlive(request));
        ctx.writeAndFlush(response);
    }

    private static FullHttpResponse text(HttpResponseStatus status, String contentType, String body) {
        ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                status, content);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        HttpUtil.setContentLength(response, content.readableBytes());
        return response;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("admin {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
