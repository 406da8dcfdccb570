package io.inetkit.server.http;

import io.micrometer.core.instrument.Counter;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * The slow-body guard of an HTTP/1.1 connection: once a request's head has arrived, its body must arrive at
 * {@code minRate} bytes a second on average, counted from the head and judged after a grace period, as
 * Kestrel's {@code MinRequestBodyDataRate} does (240 B/s after 5 s). A client that sends a large body a byte at
 * a time would otherwise hold the connection and the body's buffer for as long as the idle timeout allows.
 *
 * <pre>
 *   head ─► timing ──(LastHttpContent: the body is whole)──► waiting for the next head
 *           └ once a second: past the grace and bytes &lt; minRate × seconds →
 *                 HTTP/1.1 408 Request Timeout
 *                 connection: close
 *                 content-length: 0
 *             then close; inetkit_http_request_timeouts_total{phase="body"}, logged at DEBUG
 * </pre>
 *
 * Seconds in which the connection is not reading (auto-read off: a pipelined request in front is still being
 * answered) are not counted: the client cannot be slow while the server does not read. The 408 is sent only
 * when no earlier response is still being written; otherwise the connection is closed without it. Sits right
 * after {@code http-codec}, with {@code head-timeout}, which guards the head.
 */
final class RequestBodyRateHandler extends ChannelDuplexHandler {

    private static final Logger log = LoggerFactory.getLogger(RequestBodyRateHandler.class);
    private static final long TICK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final long minRate;
    private final long graceNanos;
    private final Counter timeouts;
    private ScheduledFuture<?> ticker;
    /** Reading time and body bytes of the request being received. */
    private long countedNanos;
    private long bytes;
    private long lastTick;
    /** Requests whose head was decoded and whose response is not yet wholly written. */
    private int inFlight;

    /**
     * @param minRate    bytes a second, more than zero: zero means no handler at all
     * @param graceNanos how long a body may be slower than that before it is judged
     */
    RequestBodyRateHandler(long minRate, long graceNanos, Counter timeouts) {
        if (minRate <= 0 || graceNanos < 0) {
            throw new IllegalArgumentException("minRate must be > 0 and graceNanos >= 0: " + minRate + ", " + graceNanos);
        }
        this.minRate = minRate;
        this.graceNanos = graceNanos;
        this.timeouts = timeouts;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            inFlight++;
            stop();
            if (BodyBudgetHandler.hasBody(request)) {
                start(ctx);
            }
        }
        if (msg instanceof HttpContent content && ticker != null) {
            bytes += content.content().readableBytes();
            if (msg instanceof LastHttpContent) {
                stop();
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ResponseEnd.write(ctx, msg, promise, () -> inFlight = Math.max(0, inFlight - 1));
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop(); // an h2c upgrade: HTTP/2 has its own flow control
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    private void start(ChannelHandlerContext ctx) {
        stop();
        countedNanos = 0;
        bytes = 0;
        lastTick = ctx.executor().ticker().nanoTime();
        ticker = ctx.executor().scheduleAtFixedRate(() -> tick(ctx), TICK_NANOS, TICK_NANOS, TimeUnit.NANOSECONDS);
    }

    private void stop() {
        if (ticker != null) {
            ticker.cancel(false);
            ticker = null;
        }
    }

    private void tick(ChannelHandlerContext ctx) {
        long now = ctx.executor().ticker().nanoTime();
        if (ctx.channel().config().isAutoRead()) {
            countedNanos += now - lastTick;
        }
        lastTick = now;
        if (countedNanos > graceNanos && bytes < minRate * (countedNanos / 1e9)) {
            stop();
            timeouts.increment();
            log.debug("closing {}: {} body bytes in {} ms, under {} B/s", ctx.channel(), bytes,
                    TimeUnit.NANOSECONDS.toMillis(countedNanos), minRate);
            if (inFlight == 1) {
                FullHttpResponse timeout = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.REQUEST_TIMEOUT, Unpooled.EMPTY_BUFFER);
                timeout.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                        .setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
                ctx.writeAndFlush(timeout).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.close();
            }
        }
    }
}
