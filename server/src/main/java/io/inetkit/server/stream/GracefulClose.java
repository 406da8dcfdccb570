package io.inetkit.server.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closing a TCP connection without losing the peer's echoes: a lingering close.
 *
 * <pre>
 *  server: ...echo, echo | last words (ERR) | FIN  ~~ reads and discards ~~ | close
 *  peer:   reads every echo, then EOF, then closes; the server closes too (or at the deadline)
 * </pre>
 *
 * Closing a socket that still has unread input makes the kernel send RST, and an RST can destroy echoes
 * that the peer has not read yet. So the server stops echoing, flushes what it owes, half-closes its
 * side (FIN; over TLS after a close_notify), and keeps reading (and dropping) until the peer closes or
 * {@code linger} runs out.
 */
public final class GracefulClose {

    /** Set on a connection that is closing: inbound frames are dropped, not echoed. */
    static final AttributeKey<Boolean> CLOSING = AttributeKey.valueOf(GracefulClose.class, "closing");

    private GracefulClose() {
    }

    public static boolean isClosing(Channel ch) {
        // hasAttr first: attr() would create the attribute, a few dozen bytes on every connection
        return ch.hasAttr(CLOSING) && Boolean.TRUE.equals(ch.attr(CLOSING).get());
    }

    /**
     * Flushes what the connection owes, writes {@code lastWords} (may be null), sends FIN, and closes when
     * the peer does or after {@code linger}. Must run on the channel's event loop. Idempotent.
     */
    public static void close(Channel ch, ByteBuf lastWords, Duration linger) {
        if (isClosing(ch) || !ch.isActive()) {
            if (lastWords != null) {
                lastWords.release();
            }
            if (!ch.isActive()) {
                ch.close();
            }
            return;
        }
        ch.attr(CLOSING).set(Boolean.TRUE);
        ch.config().setAutoRead(false);
        var deadline = ch.eventLoop().schedule(() -> ch.close(), linger.toNanos(), TimeUnit.NANOSECONDS);
        ch.closeFuture().addListener(f -> deadline.cancel(false));
        ch.writeAndFlush(lastWords == null ? Unpooled.EMPTY_BUFFER : lastWords).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess() || !(ch instanceof DuplexChannel duplex) || duplex.isInputShutdown()) {
                ch.close();
                return;
            }
            SslHandler tls = ch.pipeline().get(SslHandler.class);
            if (tls != null) {
                // TLS: close_notify first, so the peer reads a clean end of the session, not a truncation
                tls.closeOutbound().addListener((ChannelFutureListener) n -> halfClose(ch, duplex));
                return;
            }
            halfClose(ch, duplex);
        });
    }

    private static void halfClose(Channel ch, DuplexChannel duplex) {
        duplex.shutdownOutput().addListener((ChannelFutureListener) s -> {
            if (!s.isSuccess()) {
                ch.close();
            } else {
                ch.config().setAutoRead(true); // drain the peer's input so our close is a FIN, not an RST
                ch.read();
            }
        });
    }
}
