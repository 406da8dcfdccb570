package io.inetkit.server.http;

import io.micrometer.core.instrument.Counter;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * The slowloris guard of an HTTP/1.1 connection: while no request is being served, the head of the next one
 * (request line and headers) must arrive whole within the header timeout, or the connection is closed without
 * an answer, as nginx does on {@code client_header_timeout}.
 *
 * <pre>
 *   accepted ─► armed ──(a request head decoded)──► served ──(its response's last byte on the wire)──► armed
 *               └ timeout: closed, inetkit_http_request_timeouts_total{phase="head"}, logged at DEBUG
 * </pre>
 *
 * The clock runs from the connection's start and from the end of each response, so one head sent a byte a
 * second and a kept-alive connection that sends nothing more both end after the timeout; a response that a
 * client reads slowly is not counted against it (the write's completion re-arms it, not the write). Pipelined
 * requests are counted: the clock restarts only when every decoded request has been answered.
 * Sits right after {@code http-codec}, so it sees whole request heads and whole response messages.
 */
final class RequestHeadTimeoutHandler extends ChannelDuplexHandler {

    private static final Logger log = LoggerFactory.getLogger(RequestHeadTimeoutHandler.class);

    private final long timeoutNanos;
    private final Counter timeouts;
    /** The pending check of the clock, or null. */
    private ScheduledFuture<?> timer;
    /** Whether the clock runs: no request in flight, the next head awaited since {@link #idleSince}. */
    private boolean waiting;
    private long idleSince;
    /** Requests whose head was decoded and whose response is not yet wholly written. */
    private int inFlight;

    /** @param timeoutNanos more than zero: zero means no handler at all */
    RequestHeadTimeoutHandler(long timeoutNanos, Counter timeouts) {
        if (timeoutNanos <= 0) {
            throw new IllegalArgumentException("timeoutNanos must be > 0: " + timeoutNanos);
        }
        this.timeoutNanos = timeoutNanos;
        this.timeouts = timeouts;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            arm(ctx); // added by the initializer of an accepted connection, or after the TLS handshake
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        arm(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel(); // an h2c upgrade or prior knowledge: HTTP/2 has its own rules
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            inFlight++;
            disarm();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ResponseEnd.write(ctx, msg, promise, () -> {
            if (inFlight > 0 && --inFlight == 0) {
                arm(ctx);
            }
        });
    }

    /**
     * Starts the clock. One timer at most, never cancelled per request: a request only stops the clock
     * ({@link #disarm}), and a timer that fires finds the clock stopped, or restarted later and not yet run out,
     * and lapses or waits for the rest. Scheduling and cancelling a task per request cost more than the rest of
     * this handler (Netty's {@code IdleStateHandler} does the same).
     */
    private void arm(ChannelHandlerContext ctx) {
        if (inFlight == 0 && ctx.channel().isActive()) {
            waiting = true;
            idleSince = ctx.executor().ticker().nanoTime();
            if (timer == null) {
                schedule(ctx, timeoutNanos);
            }
        }
    }

    private void disarm() {
        waiting = false;
    }

    private void schedule(ChannelHandlerContext ctx, long nanos) {
        timer = ctx.executor().schedule(() -> expire(ctx), nanos, TimeUnit.NANOSECONDS);
    }

    /** The handler leaves or the connection closes: nothing is timed any more. */
    private void cancel() {
        waiting = false;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void expire(ChannelHandlerContext ctx) {
        timer = null;
        if (!waiting || !ctx.channel().isActive()) {
            return;
        }
        long left = idleSince + timeoutNanos - ctx.executor().ticker().nanoTime();
        if (left > 0) {
            schedule(ctx, left); // the clock restarted after this timer was set
            return;
        }
        timeouts.increment();
        log.debug("closing {}: no whole request head within {} ms", ctx.channel(),
                TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
        ctx.close();
    }
}
