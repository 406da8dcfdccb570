package io.inetkit.server.tcp;

import io.inetkit.server.RateLimitedLog;
import io.inetkit.server.stream.IdleCloseHandler;
import io.inetkit.server.stream.ProxyHeaderHandler;
import io.inetkit.server.stream.StreamListener;
import io.inetkit.server.stream.StreamMeters;
import io.inetkit.server.tls.TlsFront;

import io.inetkit.common.framing.FrameRun;
import io.inetkit.common.framing.Framing;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.time.Duration;

/**
 * The whole pipeline of one TCP echo connection. Every framing gets the same pipeline; only the decoder
 * differs, and {@link Framing#newEchoDecoder} is the one switch that picks it.
 *
 * <pre>
 *   socket ──► [proxy-decoder ──► proxy-header] ──► idle ──► [tls ──► tls-handshake] ──► framer ──► echo ──► errors
 *                                                   │        │          │        └ frame errors: log, ERR, lingering close ({@link FrameErrorHandler})
 *                                                   │        │          └ writes each frame back as it came; stops reading when not writable;
 *                                                   │        │            EOF from the peer: finishes the echoes, then closes ({@link FrameEchoHandler})
 *                                                   │        └ cuts frames (fixed / line / delimiter / length); absent for raw; an unfinished
 *                                                   │          frame waits in a buffer sized to it ({@link RightSizedCumulator})
 *                                                   └ closes the connection when nothing was read and no output moved for --idle-timeout;
 *                                                     absent for --idle-timeout 0 ({@link IdleCloseHandler})
 *   proxy-decoder, proxy-header: only on a {@code :proxy} listener; the PROXY header names the client, then
 *   both leave ({@link ProxyHeaderHandler})
 *   tls, tls-handshake: only on a {@code :tls} listener: the frames are the TLS session's plaintext ({@link TlsFront})
 * </pre>
 *
 * In front of all this, on the listening socket, {@link StreamListener} admits or refuses each connection.
 *
 * <p>The framer keeps the framing bytes (delimiters, length headers) in each frame, so the echo is the
 * peer's own bytes: a frame of the same framing, with nothing re-encoded. For {@code line} and {@code fixed}
 * it passes on the whole frames of a read together ({@link FrameRun}), echoed in one write.
 *
 * <p>The echo and error handlers are stateless and shared by every connection of the listener; the idle
 * handler and the framer hold per-connection state.
 */
final class TcpEchoInitializer extends ChannelInitializer<Channel> {

    static final String PROXY_DECODER = ProxyHeaderHandler.DECODER;
    static final String PROXY_HEADER = ProxyHeaderHandler.HEADER;
    static final String IDLE = StreamListener.IDLE;
    static final String FRAMER = "framer";
    static final String ECHO = "echo";
    static final String ERRORS = "errors";

    private final Framing framing;
    private final ProxyHeaderHandler.Requirement proxy;
    private final IdleCloseHandler.Timeout idle;
    private final ChannelHandler echo;
    private final ChannelHandler errors;
    private final TlsFront tls;

    /**
     * @param idleTimeout zero for no idle timeout
     * @param proxy       whether a PROXY header comes first ({@link ProxyHeaderHandler.Requirement#NONE}: no)
     * @param tls         the TLS in front of the framer, or null for none
     */
    TcpEchoInitializer(Framing framing, StreamMeters meters, Duration idleTimeout, RateLimitedLog errorLog,
                       ProxyHeaderHandler.Requirement proxy, TlsFront tls) {
        this.tls = tls;
        this.framing = framing;
        this.proxy = proxy;
        this.idle = IdleCloseHandler.timeout(meters, idleTimeout);
        this.echo = new FrameEchoHandler(meters);
        this.errors = new FrameErrorHandler(framing, meters, errorLog);
    }

    /** Without TLS. */
    TcpEchoInitializer(Framing framing, StreamMeters meters, Duration idleTimeout, RateLimitedLog errorLog,
                       ProxyHeaderHandler.Requirement proxy) {
        this(framing, meters, idleTimeout, errorLog, proxy, null);
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        proxy.addTo(p); // PROXY_DECODER, PROXY_HEADER
        idle.addTo(p); // IDLE
        if (tls != null) {
            tls.addTo(p); // TlsFront.TLS, TlsFront.HANDSHAKE
        }
        ChannelHandler framer = framing.newEchoDecoder();
        if (framer instanceof ByteToMessageDecoder decoder) {
            decoder.setCumulator(RightSizedCumulator.INSTANCE); // what a stalled peer leaves behind stays small
        }
        if (framer != null) {
            p.addLast(FRAMER, framer);
        }
        p.addLast(ECHO, echo);
        p.addLast(ERRORS, errors);
    }
}
