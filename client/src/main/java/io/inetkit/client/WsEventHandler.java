package io.inetkit.client;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.util.ReferenceCountUtil;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The end of the WebSocket client's pipeline ({@link io.inetkit.client.ws.WsClientInitializer}): hands what
 * happens on the connection to the thread that drives it, in order, with the time it arrived: the upgrade done,
 * each whole message, the server's close frame, an error, the end of the connection.
 */
final class WsEventHandler extends ChannelInboundHandlerAdapter {

    sealed interface Event permits Upgraded, Message, CloseFrame, Failed, Closed {
    }

    /** The server answered the upgrade with 101 and a valid Sec-WebSocket-Accept. */
    record Upgraded(long nanoTime) implements Event {
    }

    /** One whole message: text (UTF-8, as the server's decoder checked it) or binary. */
    record Message(boolean text, byte[] data, long nanoTime) implements Event {
    }

    /** The server's close frame: its status code (1005 when it carried none) and reason. */
    record CloseFrame(int code, String reason) implements Event {
    }

    record Failed(Throwable cause) implements Event {
    }

    /** The TCP connection ended. */
    record Closed() implements Event {
    }

    /** RFC 6455 7.1.5: a close frame without a status code is reported as 1005. */
    static final int NO_STATUS = 1005;

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            events.add(new Upgraded(System.nanoTime()));
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        long now = System.nanoTime();
        try {
            if (msg instanceof TextWebSocketFrame text) {
                events.add(new Message(true, ByteBufUtil.getBytes(text.content()), now));
            } else if (msg instanceof BinaryWebSocketFrame binary) {
                events.add(new Message(false, ByteBufUtil.getBytes(binary.content()), now));
            } else if (msg instanceof CloseWebSocketFrame close) {
                int code = close.statusCode();
                events.add(new CloseFrame(code < 0 ? NO_STATUS : code, code < 0 ? "" : close.reasonText()));
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        events.add(new Failed(cause));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        events.add(new Closed());
        ctx.fireChannelInactive();
    }

    /** The next event, or null when none comes before the deadline ({@link System#nanoTime()}). */
    Event next(long deadlineNanos) throws InterruptedException {
        return events.poll(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
}
