package io.inetkit.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;

/**
 * Decides, per request, whether its body is buffered, before {@code http-aggregator} buffers it: only an
 * endpoint that echoes the body ({@code /post}, {@code /anything}, {@code /delay}: {@link Router#needsBody})
 * gets it, and only within the listener's {@link BodyBudget}. Every other body is dropped as it streams in, so
 * the aggregator hands on the request with an empty one.
 *
 * <pre>
 *   POST /post, content-length: 999999   budget has room ─► reserved, the body passes to the aggregator
 *                                        budget full     ─► 503, Retry-After: 1, connection: close; body dropped
 *   POST /post, chunked                  reserved chunk by chunk; the chunk that does not fit ─► 503 as above
 *   GET /get with a body                 the body dropped chunk by chunk; GET /get answered as without one
 * </pre>
 *
 * A refusal travels as the request's decoder result ({@link BodyBudget.Exhausted}), so the router answers it
 * in request order, like a malformed request. A body's reservation is given back once its response's last byte
 * is written (the echo's response holds a copy of it until then), or when the connection closes. A body over
 * {@code maxRequestSize} is left to the aggregator's 413 and not reserved.
 */
final class BodyBudgetHandler extends ChannelDuplexHandler {

    /** What happens to the body of the request being read. */
    private enum Mode {
        /** Between requests, or a request without a body to come. */
        IDLE,
        /** Buffered: each chunk is within the reservation or reserved as it comes. */
        RESERVED,
        /** Over maxRequestSize: passed on for the aggregator to refuse (413) and drop. */
        OVERSIZED,
        /** Not needed: each chunk released here; the aggregator gets an empty last one, to end the request. */
        DROPPED,
        /** Refused, or failed: the aggregator has handed the request on; each chunk released here, the last too. */
        REFUSED
    }

    /** What one request holds of the budget, until its response is written. */
    private static final class Reservation {
        long bytes;
        boolean released;
    }

    private final BodyBudget budget;
    private final int maxRequestSize;
    /** One per request read whose response has not been written to the end, in request order. */
    private final ArrayDeque<Reservation> inFlight = new ArrayDeque<>();
    private Mode mode = Mode.IDLE;
    /** The reservation of the request being read. */
    private Reservation current;
    private long received;
    private String requestLine;

    BodyBudgetHandler(BodyBudget budget, int maxRequestSize) {
        this.budget = budget;
        this.maxRequestSize = maxRequestSize;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            head(ctx, request);
            if (!(msg instanceof LastHttpContent)) {
                ctx.fireChannelRead(msg);
                return;
            }
        }
        if (msg instanceof HttpContent content) {
            body(ctx, content);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void head(ChannelHandlerContext ctx, HttpRequest request) {
        current = new Reservation();
        inFlight.add(current);
        received = 0;
        requestLine = request.method() + " " + request.uri();
        if (request instanceof LastHttpContent) {
            mode = Mode.IDLE; // a whole request (HTTP/2 headers with END_STREAM): nothing more to come
            return;
        }
        if (request.decoderResult().isFailure()) {
            mode = Mode.REFUSED; // the aggregator hands it on at once
            return;
        }
        if (!hasBody(request) || !Router.needsBody(request)) {
            mode = Mode.DROPPED;
            return;
        }
        long length = HttpUtil.getContentLength(request, -1L);
        if (length > maxRequestSize) {
            mode = Mode.OVERSIZED;
        } else if (length < 0 || reserve(length)) {
            mode = Mode.RESERVED; // chunked: reserved as the chunks come
        } else {
            refuse(ctx, length);
            // refused before the body was sent, if the client waits for 100 Continue: then it need not send it
            request.headers().remove(HttpHeaderNames.EXPECT);
            request.setDecoderResult(DecoderResult.failure(new BodyBudget.Exhausted(budget.limit())));
            mode = Mode.REFUSED;
        }
    }

    /**
     * Whether a body follows {@code request}'s head: RFC 9112 6.3, a request has one only with a
     * {@code Transfer-Encoding: chunked} or a {@code Content-Length} above zero. (A bodiless request needs no route
     * lookup here, nor a clock in {@link RequestBodyRateHandler}.)
     */
    static boolean hasBody(HttpRequest request) {
        String length = request.headers().get(HttpHeaderNames.CONTENT_LENGTH);
        return HttpUtil.isTransferEncodingChunked(request) || length != null && !"0".equals(length);
    }

    private void body(ChannelHandlerContext ctx, HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        switch (mode) {
            case RESERVED -> {
                received += content.content().readableBytes();
                if (received > maxRequestSize) {
                    mode = Mode.OVERSIZED; // the aggregator answers 413; what it buffered goes with that chunk
                    ctx.fireChannelRead(content);
                } else if (received <= current.bytes || reserve(received - current.bytes)) {
                    ctx.fireChannelRead(content);
                } else {
                    refuse(ctx, received - current.bytes);
                    DecoderResult result = content.decoderResult();
                    content.release();
                    // ends the aggregation with the failure: the router answers 503 in request order
                    LastHttpContent end = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
                    end.setDecoderResult(result.isFailure() ? result
                            : DecoderResult.failure(new BodyBudget.Exhausted(budget.limit())));
                    ctx.fireChannelRead(end);
                    mode = Mode.REFUSED;
                }
            }
            case OVERSIZED -> ctx.fireChannelRead(content);
            case DROPPED -> {
                DecoderResult result = content.decoderResult();
                ReferenceCountUtil.release(content);
                if (result.isFailure()) {
                    // a malformed chunk still ends the request with its failure: 400, as without this handler
                    LastHttpContent end = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
                    end.setDecoderResult(result);
                    ctx.fireChannelRead(end);
                    mode = Mode.IDLE;
                    return;
                }
                if (last) {
                    ctx.fireChannelRead(LastHttpContent.EMPTY_LAST_CONTENT);
                }
            }
            case REFUSED -> content.release();
            case IDLE -> ctx.fireChannelRead(content); // nothing of ours: the aggregator decides
        }
        if (last) {
            mode = Mode.IDLE;
        }
    }

    private boolean reserve(long bytes) {
        if (!budget.tryReserve(bytes)) {
            return false;
        }
        if (current.released) {
            budget.release(bytes); // its response is already out (a 413): nothing holds the bytes
        } else {
            current.bytes += bytes;
        }
        return true;
    }

    private void refuse(ChannelHandlerContext ctx, long bytes) {
        budget.refused(ctx.channel(), requestLine, bytes);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof LastHttpContent && !isInformational(msg)) {
            Reservation done = inFlight.poll();
            if (done != null && done.bytes > 0) {
                ChannelPromise written = promise.unvoid();
                written.addListener(f -> release(done));
                ctx.write(msg, written);
                return;
            }
            if (done != null) {
                done.released = true;
            }
        }
        ctx.write(msg, promise);
    }

    /** A 100 Continue is not the request's answer: the body follows. */
    private static boolean isInformational(Object msg) {
        return msg instanceof HttpResponse response && response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
    }

    private void release(Reservation r) {
        if (!r.released) {
            r.released = true;
            budget.release(r.bytes);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseAll();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseAll();
    }

    private void releaseAll() {
        Reservation r;
        while ((r = inFlight.poll()) != null) {
            release(r);
        }
    }
}
