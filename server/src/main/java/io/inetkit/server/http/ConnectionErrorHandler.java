package io.inetkit.server.http;

import io.inetkit.server.RateLimitedLog;

import io.micrometer.core.instrument.Counter;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2StreamChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of every HTTP pipeline (connection or HTTP/2 stream): what nothing before handled closes the
 * connection. A client that misbehaves is routine, logged at DEBUG; an allocation that failed
 * ({@code OutOfMemoryError}, Netty's {@code OutOfDirectMemoryError}, also as the cause of a decoder's exception)
 * is the server's trouble: the connection that caused it is closed, so what it held is freed, and it is counted
 * and logged at WARN, a few lines a second at most.
 *
 * <pre>
 *   exceptionCaught(DecoderException(OutOfDirectMemoryError)) ─► inetkit_http_allocation_failures_total + 1,
 *       WARN "closing [id: 0x..., L:/127.0.0.1:8080 - R:/127.0.0.1:40312]: out of memory: ...", close
 * </pre>
 *
 * An HTTP/2 stream that fails so closes its whole connection: the connection's other streams share its memory.
 * One instance per listener.
 */
@ChannelHandler.Sharable
final class ConnectionErrorHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ConnectionErrorHandler.class);

    private final Counter allocationFailures;
    private final RateLimitedLog warnings;

    ConnectionErrorHandler(Counter allocationFailures, RateLimitedLog warnings) {
        this.allocationFailures = allocationFailures;
        this.warnings = warnings;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        OutOfMemoryError oom = outOfMemory(cause);
        if (oom == null) {
            log.debug("closing {}: {}", ctx.channel(), cause.toString());
            ctx.close();
            return;
        }
        allocationFailures.increment();
        // a stream's parent is its connection (a TCP connection's parent is the listening socket: not that)
        Channel connection = ctx.channel() instanceof Http2StreamChannel ? ctx.channel().parent() : ctx.channel();
        warnings.warn("closing {}: out of memory: {}", connection, oom.getMessage());
        connection.close();
    }

    /** The allocation failure in {@code cause} or its causes, or null. */
    static OutOfMemoryError outOfMemory(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError oom) {
                return oom;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
