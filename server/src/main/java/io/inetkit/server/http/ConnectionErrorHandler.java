package io.inetkit.server.http;

import io.inetkit.server.RateLimitedLog;

import io.micrometer.core.instrument.Counter;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Exception;
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
 *
 * <p>An HTTP/2 protocol error is answered with its code, as RFC 9113 asks. Netty's {@code Http2FrameCodec} fires
 * a connection error down the pipeline <em>before</em> it sends its GOAWAY, and its multiplexer fires a stream
 * error into the stream <em>before</em> its RST_STREAM: a plain close here would win that race, and the peer
 * would read GOAWAY NO_ERROR, or RST_STREAM CANCEL, instead of the code.
 *
 * <pre>
 *   PING of length 7 ─► Http2Exception(FRAME_SIZE_ERROR) ─► here: a close queued ─► codec: GOAWAY(FRAME_SIZE_ERROR)
 *   a stream's error  ─► Http2Exception(PROTOCOL_ERROR)   ─► here: RST_STREAM(PROTOCOL_ERROR), the stream closed
 * </pre>
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
        Http2Exception http2 = oom == null ? http2Error(cause) : null;
        if (http2 != null) {
            log.debug("{}: {}", ctx.channel(), cause.toString());
            if (ctx.channel() instanceof Http2StreamChannel) {
                // the stream, reset with the error's code; the multiplexer's own close, when one follows, finds it done
                ctx.writeAndFlush(new DefaultHttp2ResetFrame(http2.error())).addListener(ChannelFutureListener.CLOSE);
            } else {
                // the connection: Netty's codec sends its GOAWAY with the code as soon as this returns; the close
                // queued here comes after it (and sends no second GOAWAY), or is what closes if nothing did
                ctx.executor().execute(ctx::close);
            }
            return;
        }
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

    /** The HTTP/2 error in {@code cause} or its causes, or null. */
    static Http2Exception http2Error(Throwable cause) {
        for (Throwable t = cause; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof Http2Exception e) {
                return e;
            }
        }
        return null;
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
