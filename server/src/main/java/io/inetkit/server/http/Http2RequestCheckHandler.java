package io.inetkit.server.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * On an HTTP/2 stream, before its frames become an HTTP request: a request without the pseudo-header fields
 * RFC 9113 §8.3.1 requires is malformed (§8.1.1), a stream error of type PROTOCOL_ERROR.
 *
 * <pre>
 *   HEADERS  :method GET  :scheme http  :authority x      (no :path)
 *   ─► RST_STREAM(PROTOCOL_ERROR), and nothing of it reaches the endpoints
 * </pre>
 *
 * Every request needs {@code :method}; all but CONNECT also {@code :scheme} and a non-empty {@code :path}.
 * Netty's conversion to an HTTP/1.x request would otherwise fail on a null, and the stream be cancelled
 * (RST_STREAM CANCEL) rather than refused with the code the RFC names. Netty's codec checks the rest: the
 * order and names of the fields, and a content-length that the DATA frames contradict.
 */
final class Http2RequestCheckHandler extends ChannelInboundHandlerAdapter {

    /** The request's head has passed: a later HEADERS frame is its trailer. */
    private boolean seenHead;
    private boolean refused;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg); // what follows a refused request's head
            return;
        }
        if (msg instanceof Http2HeadersFrame frame && !complete(frame.headers())) {
            refused = true;
            ReferenceCountUtil.release(msg);
            ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.PROTOCOL_ERROR))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /** True when a head has what §8.3.1 requires, or a trailer (a HEADERS frame after the head) has none. */
    private boolean complete(Http2Headers headers) {
        if (seenHead) {
            return headers.method() == null && headers.scheme() == null && headers.path() == null;
        }
        seenHead = true;
        if (headers.method() == null) {
            return false;
        }
        if (HttpMethod.CONNECT.asciiName().contentEquals(headers.method())) {
            return true;
        }
        return headers.scheme() != null && headers.path() != null && headers.path().length() > 0;
    }
}
