package io.inetkit.server.ws;

import io.inetkit.server.stream.ClientAddress;
import io.inetkit.server.stream.StreamMeters;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * Echoes every whole WebSocket message (fragments already reassembled by {@code WebSocketFrameAggregator}) as
 * a message of the same type with the same bytes, and answers the peer's close.
 *
 * <pre>
 *   client ─► 81 85 37 fa 21 3d 7f 9f 4d 51 58      masked text "Hello" (FIN, opcode 1, mask key 37fa213d)
 *   server ◄─ 81 05 48 65 6c 6c 6f                  the same message, unmasked, as a server sends it
 *   client ─► 88 82 ...  03 e8                      close 1000
 *   server ◄─ 88 02 03 e8                           close 1000 (the same code), then the TCP close
 * </pre>
 *
 * <ul>
 *   <li>a message over {@code --ws-max-message} (the aggregator's {@link TooLongFrameException}) is closed with
 *       1009 (message too big); a single frame over it is closed with 1009 by Netty's decoder, and so are an
 *       invalid UTF-8 text (1007) and every protocol error (1002): the decoder sends those close frames
 *       itself;</li>
 *   <li>the peer's close is answered with its own code (an empty close when it gave none, since 1005 must
 *       not be sent, RFC 6455 §7.4.1), then the connection closes;</li>
 *   <li>a reserved bit that no negotiated extension explains is closed with 1002;</li>
 *   <li>a plain HTTP request that is not the upgrade (another path) gets 404 and a close;</li>
 *   <li>the peer's FIN without a close frame closes the connection.</li>
 * </ul>
 * Writes are flushed once per read batch and reading stops while the peer does not take its echoes, as the TCP
 * echo does. Stateless per connection: one instance serves a listener.
 */
@Sharable
final class WebSocketEchoHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(WebSocketEchoHandler.class);

    private final StreamMeters stream;
    private final WebSocketMeters meters;
    private final String path;
    private final WebSocketClose closes;
    /** --ws-max-message: a single deflated frame can inflate past it without the aggregator seeing it. */
    private final int maxMessage;

    WebSocketEchoHandler(StreamMeters stream, WebSocketMeters meters, String path, int maxMessage) {
        this.maxMessage = maxMessage;
        this.stream = stream;
        this.meters = meters;
        this.path = path;
        this.closes = new WebSocketClose(meters);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) {
            WebSocketFrame frame = (WebSocketFrame) msg;
            if (frame.rsv() != 0) {
                // a reserved bit that no negotiated extension explains (permessage-deflate's RSV1 is gone by now)
                frame.release();
                ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.PROTOCOL_ERROR, "reserved bits set"))
                        .addListener(ChannelFutureListener.CLOSE);
                return;
            }
            int size = frame.content().readableBytes();
            if (size > maxMessage) {
                // one permessage-deflate frame that inflated past the limit (RFC 6455 §7.4.1: 1009, message too big)
                frame.release();
                ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.MESSAGE_TOO_BIG,
                        "message of " + size + " bytes over the limit of " + maxMessage))
                        .addListener(ChannelFutureListener.CLOSE);
                return;
            }
            if (WebSocketClose.sent(ctx.channel())) { // after our close frame no more data (RFC 6455 §5.5.1)
                stream.discardedBytes.increment(size);
                frame.release();
                return;
            }
            WebSocketMeters.Type type = msg instanceof TextWebSocketFrame ? WebSocketMeters.Type.TEXT
                    : WebSocketMeters.Type.BINARY;
            meters.message(type, size);
            stream.frameIn(1, size);
            ctx.write(frame, ctx.voidPromise()); // the same frame object: same type, same bytes
            stream.frameOut(1, size);
            if (!ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        } else if (msg instanceof CloseWebSocketFrame close) {
            closed(ctx, close);
        } else if (msg instanceof FullHttpRequest request) {
            notHere(ctx, request);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void closed(ChannelHandlerContext ctx, CloseWebSocketFrame close) {
        int code = close.statusCode(); // -1: no status code in the frame
        String reason = code < 0 ? "" : close.reasonText();
        close.release();
        meters.close(code < 0 ? WebSocketCloseStatus.EMPTY.code() : code, false);
        if (code >= 0 && !validCloseCode(code)) {
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.PROTOCOL_ERROR, "invalid close code " + code))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (WebSocketClose.sent(ctx.channel())) {
            ctx.close(); // the answer to our own close: the closing handshake is complete
            return;
        }
        CloseWebSocketFrame answer = code < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(code, reason);
        ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * The codes a close frame may carry (RFC 6455 §7.4): 1000-1003 and 1007-1011 of the RFC, 1012-1014 that
     * IANA registered since, 3000-3999 (registered) and 4000-4999 (private). 1004-1006 and 1015 are reserved
     * and must never be sent; everything else is unassigned.
     */
    static boolean validCloseCode(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    private void notHere(ChannelHandlerContext ctx, FullHttpRequest request) {
        request.release();
        ByteBuf body = Unpooled.copiedBuffer("no WebSocket here: upgrade on " + path + "\n", StandardCharsets.US_ASCII);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND, body);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            ctx.channel().config().setAutoRead(true);
        } else if (!ctx.channel().isWritable()) {
            ctx.flush();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            // the reassembled message outgrew --ws-max-message (RFC 6455 §7.4.1: 1009, message too big)
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.MESSAGE_TOO_BIG))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        DecompressionException inflate = io.inetkit.common.cli.Causes.find(cause, DecompressionException.class);
        if (inflate != null && !WebSocketClose.sent(ctx.channel())) {
            // permessage-deflate: a message that inflates past its room is too big (1009); data that does not
            // inflate at all is not consistent with the message (1007, RFC 6455 §7.4.1)
            boolean tooBig = String.valueOf(inflate.getMessage()).contains("maximum size");
            ctx.writeAndFlush(tooBig ? new CloseWebSocketFrame(WebSocketCloseStatus.MESSAGE_TOO_BIG)
                            : new CloseWebSocketFrame(WebSocketCloseStatus.INVALID_PAYLOAD_DATA, "bad deflate data"))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        // a reset, a protocol error the decoder has answered with its close: nothing more to say to this peer
        log.debug("{} {}: {}", meters.listener, ClientAddress.of(ctx.channel()), cause.toString());
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            // the peer's FIN without a close frame (1006, abnormal closure, is never sent): the connection is over;
            // the listener accepts with half-closure for the TCP echo's sake, so it would otherwise stay open
            ctx.close();
        } else if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            // behind the frame encoder, where the decoder's own close frames pass too ({@link WebSocketClose})
            ChannelHandlerContext encoder = ctx.pipeline().context(WebSocketFrameEncoder.class);
            if (encoder != null) {
                ctx.pipeline().addAfter(encoder.name(), WebSocketRoute.CLOSES, closes);
            }
        }
        ctx.fireUserEventTriggered(evt);
    }
}
