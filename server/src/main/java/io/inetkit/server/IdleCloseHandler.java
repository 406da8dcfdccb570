package io.inetkit.server;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection that an {@link io.netty.handler.timeout.IdleStateHandler} found silent: nothing read
 * and nothing written (no progress of pending output either) for {@code --idle-timeout}. Counted in
 * {@code inetkit_connections_idle_closed_total}; logged at DEBUG (one line per connection would be a
 * flood's worth of log).
 */
@Sharable
final class IdleCloseHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(IdleCloseHandler.class);

    private final StreamMeters meters;

    IdleCloseHandler(StreamMeters meters) {
        this.meters = meters;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            meters.idleClosed.increment();
            log.debug("{} {}: idle, closing", meters.name, ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }
}
