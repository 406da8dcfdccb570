package io.inetkit.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Keeps one connection's responses in request order. While an answer is held back ({@code /delay}), the
 * connection stops reading, and requests that came in behind it (pipelined) wait here; once it goes out they
 * are served in order, until the next held answer or none is left.
 *
 * <pre>
 *   GET /delay/1, GET /ip ──►  /delay held 1 s; /ip waits  ──► 200 (delay), 200 (ip)
 * </pre>
 */
final class PipelinedRequests {

    /** Answers one request (the router). */
    interface Server {
        void serve(ChannelHandlerContext ctx, FullHttpRequest request);
    }

    private final Server server;
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    private ScheduledFuture<?> delayed;
    private FullHttpResponse delayedResponse;

    PipelinedRequests(Server server) {
        this.server = server;
    }

    /** Serves {@code request} now, or after the held answer; releases it once served. */
    void offer(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (delayed != null) {
            waiting.add(request);
            ctx.channel().config().setAutoRead(false);
            return;
        }
        try {
            server.serve(ctx, request);
        } finally {
            request.release();
        }
    }

    /** Writes {@code response} after {@code nanos}, and holds the requests behind it until then. */
    void hold(ChannelHandlerContext ctx, FullHttpResponse response, long nanos) {
        delayedResponse = response;
        delayed = ctx.executor().schedule(() -> {
            delayed = null;
            delayedResponse = null;
            ctx.writeAndFlush(response);
            serveWaiting(ctx);
        }, nanos, TimeUnit.NANOSECONDS);
    }

    private void serveWaiting(ChannelHandlerContext ctx) {
        FullHttpRequest next;
        while (delayed == null && (next = waiting.poll()) != null) {
            try {
                server.serve(ctx, next);
            } finally {
                next.release();
            }
        }
        ctx.flush();
        if (delayed == null) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** The connection closed: drops the held answer and the waiting requests. */
    void close() {
        if (delayed != null) {
            delayed.cancel(false);
            delayed = null;
        }
        if (delayedResponse != null) {
            delayedResponse.release();
            delayedResponse = null;
        }
        FullHttpRequest r;
        while ((r = waiting.poll()) != null) {
            r.release();
        }
    }
}
