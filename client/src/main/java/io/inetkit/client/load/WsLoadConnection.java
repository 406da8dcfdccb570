package io.inetkit.client.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;

import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket load connection ({@code load ws://}): the last handler of
 * {@link io.inetkit.client.ws.WsClientInitializer}'s pipeline. Each message is one frame whose payload is the
 * run's message ({@link MessagePattern} with raw framing: the tag and filler, nothing around them), and its echo
 * must be one message of the same type whose payload is those bytes, checked in place as the TCP stream is.
 * The schedule, the timeouts and the censoring are the TCP connection's: a WebSocket echo is a TCP echo whose
 * boundaries the frames carry.
 *
 * <pre>
 *  out: 82 c0 MASK [64 bytes of message seq, masked]      (FIN, binary, masked, 64-byte payload; --text: 81)
 *  in:  82 40 [64 bytes of message seq]                   its echo, checked byte for byte
 *  end: 88 82 MASK 03 e8  →  the server's 88 02 03 e8     close 1000 at the end of the run, then its answer
 * </pre>
 *
 * The connection counts as up once the upgrade is done ({@link #upgraded}); a close frame from the server
 * during the run is counted by code and ends the connection ({@link ErrorKind#WS_CLOSED}).
 */
final class WsLoadConnection extends TcpLoadConnection {

    /** How long the end of the run waits for the server's answer to our close before closing the TCP connection. */
    private static final long CLOSE_ANSWER_MILLIS = 1000;

    private final boolean text;
    private Promise<Void> upgraded;
    /** Our close frame (or our answer to the server's) is sent: no other frame may follow it (RFC 6455 §5.5.1). */
    private boolean closeSent;

    WsLoadConnection(Worker worker, int gid) {
        super(worker, gid);
        this.text = worker.settings().webSocket().text();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        super.handlerAdded(ctx);
        upgraded = ctx.executor().newPromise();
    }

    /** Done once the server answered the upgrade with 101 (its Sec-WebSocket-Accept checked); failed otherwise. */
    Promise<Void> upgraded() {
        return upgraded;
    }

    @Override
    void sendPending(long now) {
        int n = (int) (Math.min(starget, sendLimit()) - sseq);
        if (n <= 0 || isDead()) {
            return;
        }
        long until = sseq + n;
        for (long seq = sseq; seq < until; seq++) {
            pattern.write(scratch, 0, gid, seq);
            ByteBuf payload = ctx.alloc().directBuffer(wire).writeBytes(scratch, 0, wire);
            ctx.write(text ? new TextWebSocketFrame(payload) : new BinaryWebSocketFrame(payload), ctx.voidPromise());
        }
        markSent(sseq, until, now);
        sseq = until;
        ctx.flush();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof CloseWebSocketFrame close) {
                serverClosed(close.statusCode());
                return;
            }
            if (!(msg instanceof WebSocketFrame frame) || isDead()) {
                return;
            }
            ByteBuf in = frame.content();
            boolean rightType = text ? frame instanceof TextWebSocketFrame : frame instanceof BinaryWebSocketFrame;
            if (!rightType || in.readableBytes() != wire || rseq >= sseq
                    || !expected.matches(gid, rseq, 0, in, in.readerIndex(), wire)) {
                fail(ErrorKind.MISMATCH); // another type, another size, more echoes than sent, or other bytes
                return;
            }
            long now = System.nanoTime();
            echoed(now, worker.inWindow(now));
            completed(1, now);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /**
     * The server's close frame. During the run it ends the connection and is counted by code (a draining server's
     * 1001, a 1009 for a message over its limit); at the end it answers ours, and the TCP connection can go.
     */
    private void serverClosed(int code) {
        if (closeSent) {
            ctx.close(); // the answer to ours: the closing handshake is complete
            return;
        }
        if (!worker.isStopped()) {
            worker.serverClosed(code < 0 ? WebSocketCloseStatus.EMPTY.code() : code);
        }
        if (ctx.channel().isActive()) {
            // answer it with its code (RFC 6455 §5.5.1; none for 1005, which must not be sent), then the end
            closeSent = true;
            ctx.writeAndFlush(code < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(code, ""));
        }
        fail(ErrorKind.WS_CLOSED);
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            upgraded.trySuccess(null);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!upgraded.isDone()) {
            upgraded.tryFailure(cause); // the connector counts it (ws-upgrade) and closes
            return;
        }
        if (cause instanceof WebSocketClientHandshakeException) {
            return;
        }
        super.exceptionCaught(ctx, cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        upgraded.tryFailure(new ClosedChannelException());
        super.channelInactive(ctx);
    }

    /**
     * The end of the run (or --reconnect): the closing handshake, our 1000 and then the server's answer, which
     * closes the TCP connection; without an answer within a second it is closed anyway.
     */
    @Override
    void close() {
        if (channel == null) {
            return;
        }
        if (upgraded != null && upgraded.isSuccess() && channel.isActive() && !closeSent) {
            closeSent = true;
            channel.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE));
            var fallback = channel.eventLoop().schedule(() -> {
                channel.close();
            }, CLOSE_ANSWER_MILLIS, TimeUnit.MILLISECONDS);
            channel.closeFuture().addListener(f -> fallback.cancel(false));
        } else {
            channel.close();
        }
    }
}
