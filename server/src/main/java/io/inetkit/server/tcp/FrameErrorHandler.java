package io.inetkit.server.tcp;

import io.inetkit.server.RateLimitedLog;
import io.inetkit.server.stream.ClientAddress;
import io.inetkit.server.stream.GracefulClose;
import io.inetkit.server.stream.StreamMeters;

import io.inetkit.common.framing.Framing;
import io.inetkit.common.framing.IncompleteFrameException;
import io.inetkit.server.stream.StreamMeters.FrameError;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
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
 *   <li>A bad frame in the input of a connection already closing (drained and dropped anyway): DEBUG.</li>
 *   <li>The peer reset the connection: DEBUG, close.</li>
 * </ul>
 *
 * A peer can send bad frames at will, so the WARN lines go through a {@link RateLimitedLog}; every error
 * is counted in {@code inetkit_frame_errors_total{kind}}.
 */
@Sharable
final class FrameErrorHandler extends ChannelInboundHandlerAdapter {

    static final Logger log = LoggerFactory.getLogger(FrameErrorHandler.class);
    static final Duration ERROR_LINGER = Duration.ofSeconds(2);

    private final Framing framing;
    private final StreamMeters meters;
    private final RateLimitedLog warnings;

    FrameErrorHandler(Framing framing, StreamMeters meters, RateLimitedLog warnings) {
        this.framing = framing;
        this.meters = meters;
        this.warnings = warnings;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String listener = meters.name;
        String peer = String.valueOf(ClientAddress.of(ctx.channel()));
        if (cause instanceof IncompleteFrameException incomplete) {
            meters.frameErrors(FrameError.INCOMPLETE).increment();
            meters.discardedBytes.increment(incomplete.discardedBytes());
            warnings.warn("{} {}: {}", listener, peer, incomplete.getMessage());
            return;
        }
        if (cause instanceof DecoderException && GracefulClose.isClosing(ctx.channel())) {
            // the input of a closing connection is being drained and dropped; its frames do not matter
            log.debug("{} {}: while closing: {}", listener, peer, cause.getMessage());
            return;
        }
        if (cause instanceof DecoderException) {
            // a plain DecoderException only wraps what a decoder threw; its own subclasses are the reason
            Throwable reason = cause.getClass() == DecoderException.class && cause.getCause() != null
                    ? cause.getCause() : cause;
            meters.frameErrors(kind(reason)).increment();
            warnings.warn("{} {}: {}; closing", listener, peer, reason.getMessage());
            ByteBuf err = framing.errorFrame(ctx.alloc(), "frame rejected: " + reason.getMessage()).orElse(null);
            GracefulClose.close(ctx.channel(), err, ERROR_LINGER);
            return;
        }
        if (cause instanceof IOException) {
            log.debug("{} {}: {}", listener, peer, cause.getMessage());
        } else {
            warnings.warn("{} {}: unexpected {}: {}; closing", listener, peer, cause.getClass().getSimpleName(),
                    cause.getMessage());
            log.debug("stack of the unexpected error", cause);
        }
        ctx.close();
    }

    private static FrameError kind(Throwable reason) {
        if (reason instanceof TooLongFrameException) {
            return FrameError.TOO_LONG;
        }
        if (reason instanceof CorruptedFrameException) {
            return FrameError.CORRUPT;
        }
        return FrameError.OTHER;
    }
}
