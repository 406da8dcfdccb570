package io.inetkit.server;

import io.inetkit.common.framing.Framing;
import io.inetkit.common.framing.IncompleteFrameException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;

/**
 * The last handler of a TCP connection: what to do with an exception.
 *
 * <ul>
 *   <li>A frame over MAX or a bad length field: one WARN line naming the peer, the limit and the size seen;
 *       an {@code ERR ...} frame where the framing can carry one; then a {@linkplain GracefulClose lingering
 *       close}. Other connections are untouched.</li>
 *   <li>Bytes of an unfinished frame at EOF: one WARN line ("13 bytes of an incomplete 20-byte frame
 *       discarded"); the connection finishes as usual.</li>
 *   <li>The peer reset the connection: DEBUG, close.</li>
 * </ul>
 */
@Sharable
final class FrameErrorHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(FrameErrorHandler.class);
    static final Duration ERROR_LINGER = Duration.ofSeconds(2);

    private final Framing framing;
    private final ListenerStats stats;

    FrameErrorHandler(Framing framing, ListenerStats stats) {
        this.framing = framing;
        this.stats = stats;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String listener = stats.name;
        String peer = String.valueOf(ctx.channel().remoteAddress());
        if (cause instanceof IncompleteFrameException incomplete) {
            stats.discardedBytes.add(incomplete.discardedBytes());
            log.warn("{} {}: {}", listener, peer, incomplete.getMessage());
            return;
        }
        if (cause instanceof DecoderException) {
            Throwable reason = cause.getCause() != null && cause.getMessage().startsWith(cause.getCause().getClass().getName())
                    ? cause.getCause() : cause;
            stats.frameErrors.increment();
            log.warn("{} {}: {}; closing", listener, peer, reason.getMessage());
            ByteBuf err = GracefulClose.isClosing(ctx.channel()) ? null
                    : framing.errorFrame(ctx.alloc(), "frame rejected: " + reason.getMessage()).orElse(null);
            GracefulClose.close(ctx.channel(), err, ERROR_LINGER);
            return;
        }
        if (cause instanceof IOException) {
            log.debug("{} {}: {}", listener, peer, cause.getMessage());
        } else {
            log.warn("{} {}: unexpected {}: {}; closing", listener, peer, cause.getClass().getSimpleName(),
                    cause.getMessage());
            log.debug("stack of the unexpected error", cause);
        }
        ctx.close();
    }
}
