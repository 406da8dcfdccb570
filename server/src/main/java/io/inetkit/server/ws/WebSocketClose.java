package io.inetkit.server.ws;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.AttributeKey;

/**
 * Sees every close frame the server sends, whoever sends it: the echo handler (1009, the answer to the
 * peer's close), the drain (1001) and Netty's frame decoder (1002 for a protocol error, 1007 for invalid
 * UTF-8, 1009 for a frame over the limit), which writes from its own place near the front. So it sits right
 * behind the frame encoder, where all of them pass, counts each by code, and marks the connection: the
 * peer's close that follows is then the answer, and closes the connection without another close frame.
 */
@Sharable
final class WebSocketClose extends ChannelOutboundHandlerAdapter {

    private static final AttributeKey<Boolean> SENT = AttributeKey.valueOf(WebSocketClose.class, "sent");

    private final WebSocketMeters meters;

    WebSocketClose(WebSocketMeters meters) {
        this.meters = meters;
    }

    /** Whether the server has sent its close frame on {@code ch}. */
    static boolean sent(Channel ch) {
        return ch.hasAttr(SENT) && Boolean.TRUE.equals(ch.attr(SENT).get());
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof CloseWebSocketFrame close && !sent(ctx.channel())) {
            ctx.channel().attr(SENT).set(Boolean.TRUE);
            int code = close.statusCode();
            meters.close(code < 0 ? WebSocketCloseStatus.EMPTY.code() : code, true);
        }
        ctx.write(msg, promise);
    }
}
