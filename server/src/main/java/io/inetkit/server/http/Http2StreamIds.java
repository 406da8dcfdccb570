package io.inetkit.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameLogger;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.logging.LogLevel;

/**
 * The client's stream ids, as RFC 9113 orders them, where Netty answers a HEADERS frame on a stream it no
 * longer knows with a stream error {@code STREAM_CLOSED} ("we don't have enough information to know for sure,
 * so we choose the lesser of the two errors", in its decoder). This connection remembers enough to know:
 *
 * <pre>
 *   HEADERS on stream 5, then on stream 3 (never opened)   §5.1.1: a new stream's id must exceed every earlier one
 *                                                          → GOAWAY PROTOCOL_ERROR
 *   HEADERS on stream 1, answered and closed, then again   §5.1: a frame after END_STREAM on a closed stream
 *                                                          → GOAWAY STREAM_CLOSED
 *   HEADERS (trailers) on a stream the server reset        §5.4.2: frames the client sent before our RST_STREAM
 *                                                          arrived are to be expected: Netty's stream error stands
 * </pre>
 *
 * It rides on the frame codec's frame logger, the one hook Netty gives between its frame reader and its
 * decoder: every inbound frame passes it before the decoder acts on it, and an exception thrown here is handled
 * as the decoder's own (the codec looks for the {@link Http2Exception} in the cause). It still logs every frame,
 * at TRACE under this class's name, as Netty's frame logger does.
 *
 * <p>The streams closed and reset are remembered in rings of the last {@value #REMEMBERED} ids; a HEADERS
 * frame on an older closed stream gets PROTOCOL_ERROR rather than STREAM_CLOSED (both end the connection).
 * One per connection, on its event loop.
 */
final class Http2StreamIds extends Http2FrameLogger {

    /** Ids remembered per kind: more than the streams a client may have open at once (100). */
    static final int REMEMBERED = 256;

    private final int[] opened = new int[REMEMBERED];
    private final int[] reset = new int[REMEMBERED];
    private int openedNext;
    private int resetNext;

    Http2StreamIds() {
        super(LogLevel.TRACE, Http2StreamIds.class);
    }

    @Override
    public void logHeaders(Direction direction, ChannelHandlerContext ctx, int streamId, Http2Headers headers,
            int padding, boolean endStream) {
        if (direction == Direction.INBOUND) {
            check(ctx, streamId);
        }
        super.logHeaders(direction, ctx, streamId, headers, padding, endStream);
    }

    @Override
    public void logHeaders(Direction direction, ChannelHandlerContext ctx, int streamId, Http2Headers headers,
            int streamDependency, short weight, boolean exclusive, int padding, boolean endStream) {
        if (direction == Direction.INBOUND) {
            check(ctx, streamId);
        }
        super.logHeaders(direction, ctx, streamId, headers, streamDependency, weight, exclusive, padding, endStream);
    }

    @Override
    public void logRstStream(Direction direction, ChannelHandlerContext ctx, int streamId, long errorCode) {
        if (direction == Direction.OUTBOUND) {
            reset[resetNext++ % REMEMBERED] = streamId;
        }
        super.logRstStream(direction, ctx, streamId, errorCode);
    }

    private void check(ChannelHandlerContext ctx, int streamId) {
        if (streamId <= 0 || (streamId & 1) == 0) {
            return; // stream 0 and the server's even ids: the decoder's own connection errors
        }
        Http2Connection connection = ((Http2ConnectionHandler) ctx.handler()).connection();
        int last = connection.remote().lastStreamCreated();
        if (streamId > last) {
            opened[openedNext++ % REMEMBERED] = streamId; // the decoder opens it next
            return;
        }
        if (connection.stream(streamId) != null || contains(reset, streamId)) {
            return; // an open stream's trailers, or frames in flight across our RST_STREAM
        }
        if (contains(opened, streamId)) {
            throw new StreamIdError(Http2Exception.connectionError(Http2Error.STREAM_CLOSED,
                    "HEADERS on stream %d, closed after both ends ended it", streamId));
        }
        throw new StreamIdError(Http2Exception.connectionError(Http2Error.PROTOCOL_ERROR,
                "HEADERS opening stream %d after stream %d: new stream ids must increase", streamId, last));
    }

    private static boolean contains(int[] ring, int streamId) {
        for (int id : ring) {
            if (id == streamId) {
                return true;
            }
        }
        return false;
    }

    /**
     * Carries the connection error out of the logger's methods, which may not throw it: the codec finds it in the
     * cause and sends the GOAWAY with its code, as for the decoder's own errors.
     */
    static final class StreamIdError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StreamIdError(Http2Exception cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }
}
