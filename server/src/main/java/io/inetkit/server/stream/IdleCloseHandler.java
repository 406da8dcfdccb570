package io.inetkit.server.stream;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that was silent for {@code --idle-timeout}: nothing read, and no progress of the output
 * it owes its peer (a peer that slowly reads a long echo is not idle). Counted in
 * {@code inetkit_connections_idle_closed_total}; logged at DEBUG (one line per connection would be a flood's
 * worth of log).
 *
 * <pre>
 *   read ─┐ read ─┐                        check: silent for the timeout? close : check again when it could be
 *   ──────┴───────┴────────────────────────┴──────────────
 *                 └── last activity ──────►│ (timeout)
 * </pre>
 *
 * <p>What Netty's {@code IdleStateHandler(observeOutput)} plus a handler that closes on its event would do,
 * in one handler and without their per-message costs: it stamps the clock once per read batch (not per
 * message), does not wrap each write in a promise with a listener, and observes the output only when the
 * check runs. One check is scheduled per connection at a time, so an idle connection costs this object,
 * its pipeline slot and one scheduled task.
 */
public final class IdleCloseHandler extends ChannelInboundHandlerAdapter implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(IdleCloseHandler.class);

    /** The listener's meters and timeout, shared by its connections (two fields less on each). */
    private final Timeout timeout;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> check;
    private long lastActivity;
    private long lastPendingBytes;
    private long lastProgress;

    public IdleCloseHandler(StreamMeters meters, long timeoutNanos) {
        this(new Timeout(meters, timeoutNanos));
    }

    private IdleCloseHandler(Timeout timeout) {
        if (timeout.nanos <= 0) {
            throw new IllegalArgumentException("timeoutNanos must be > 0: " + timeout.nanos);
        }
        this.timeout = timeout;
    }

    /**
     * One listener's idle timeout, as its initializer keeps it: every protocol's pipeline starts with
     * {@value StreamListener#IDLE} in the same way, so this is the one place that decides it.
     *
     * @param timeout {@code --idle-timeout}; zero for none
     */
    public static Timeout timeout(StreamMeters meters, Duration timeout) {
        return new Timeout(meters, timeout.toNanos());
    }

    /** What {@link #timeout} returns: the meters to count in, and the timeout in nanoseconds (zero: none). */
    public record Timeout(StreamMeters meters, long nanos) {

        /** Adds a connection's idle handler as {@value StreamListener#IDLE}; nothing when the timeout is zero. */
        public void addTo(ChannelPipeline p) {
            if (nanos > 0) {
                p.addLast(StreamListener.IDLE, new IdleCloseHandler(this));
            }
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive() && ctx.channel().isRegistered()) {
            start(); // an accepted connection is active before its pipeline is built
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start();
        ctx.fireChannelActive();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        lastActivity = now();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    private void start() {
        if (check == null) {
            lastActivity = now();
            check = ctx.executor().schedule(this, timeout.nanos, TimeUnit.NANOSECONDS);
        }
    }

    private void stop() {
        ScheduledFuture<?> c = check;
        if (c != null) {
            c.cancel(false);
        }
    }

    /** The check, on the connection's event loop. */
    @Override
    public void run() {
        if (!ctx.channel().isOpen()) {
            return;
        }
        long now = now();
        if (outputProgressed()) {
            lastActivity = now;
        }
        long silent = now - lastActivity;
        if (silent >= timeout.nanos) {
            timeout.meters.idleClosed.increment();
            log.debug("{} {}: idle, closing", timeout.meters.name, ClientAddress.of(ctx.channel()));
            ctx.close();
            return;
        }
        check = ctx.executor().schedule(this, timeout.nanos - silent, TimeUnit.NANOSECONDS);
    }

    /** The event loop's clock: {@link System#nanoTime()}, or a test's. */
    private long now() {
        return ctx.executor().ticker().nanoTime();
    }

    /** True when the queued output shrank or moved on since the last check: the peer is taking its echoes. */
    private boolean outputProgressed() {
        ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
        long pending = out == null ? 0 : out.totalPendingWriteBytes();
        long progress = out == null ? 0 : out.currentProgress();
        boolean changed = pending != lastPendingBytes || progress != lastProgress;
        lastPendingBytes = pending;
        lastProgress = progress;
        return changed;
    }
}
