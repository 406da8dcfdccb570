package io.inetkit.client;

import io.inetkit.common.cli.DurationConverter;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code -w}, as nc's: a connection with no traffic either way for the timeout is closed, and stderr says
 * why. Netty's {@link IdleStateHandler} (from {@link #newIdleState()}) watches reads and writes; this closes.
 */
final class IdleTimeoutHandler extends ChannelInboundHandlerAdapter {

    private final Duration timeout;
    private final PrintWriter err;

    IdleTimeoutHandler(Duration timeout, PrintWriter err) {
        this.timeout = timeout;
        this.err = err;
    }

    /** The handler that raises the idle event, placed before this one. */
    ChannelHandler newIdleState() {
        return new IdleStateHandler(0, 0, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Adds the watch and this at the end of {@code p}: {@code idle-state}, {@code idle-timeout}. */
    void addTo(ChannelPipeline p) {
        p.addLast(EchoClientInitializer.IDLE_STATE, newIdleState());
        p.addLast(EchoClientInitializer.IDLE_TIMEOUT, this);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            err.println("inetkit client: no traffic for " + DurationConverter.format(timeout) + " (-w): closing");
            err.flush();
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }
}
