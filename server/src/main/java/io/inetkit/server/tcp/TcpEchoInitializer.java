package io.inetkit.server.tcp;

import io.inetkit.server.RateLimitedLog;
import io.inetkit.server.stream.StreamMeters;

import io.inetkit.common.framing.Framing;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;

/**
 * The pipeline of one TCP echo connection. Every framing gets the same pipeline; only the decoder
 * differs, and {@link Framing#newEchoDecoder} is the one switch that picks it.
 *
 * <pre>
 *   socket ──► framer ──► echo ──► errors
 *              │          │        └ frame errors: log, ERR, lingering close
 *              │          └ writes each frame back as it came; stops reading when not writable;
 *              │            EOF from the peer: finishes the echoes, then closes
 *              └ cuts frames (fixed / line / delimiter / length); absent for raw
 * </pre>
 *
 * {@link StreamListener} puts the connection-level handlers (idle timeout) in front of these.
 *
 * <p>The framer keeps the framing bytes (delimiters, length headers) in each frame, so the echo is the
 * peer's own bytes: a frame of the same framing, with nothing re-encoded. For {@code line} and {@code fixed}
 * it passes on the whole frames of a read together ({@link io.inetkit.common.framing.FrameRun}), echoed in
 * one write.
 */
public final class TcpEchoInitializer extends ChannelInitializer<Channel> {

    static final String FRAMER = "framer";
    static final String ECHO = "echo";
    static final String ERRORS = "errors";

    private final Framing framing;
    private final ChannelHandler echo;
    private final ChannelHandler errors;

    public TcpEchoInitializer(Framing framing, StreamMeters meters, RateLimitedLog errorLog) {
        this.framing = framing;
        this.echo = new FrameEchoHandler(meters);
        this.errors = new FrameErrorHandler(framing, meters, errorLog);
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        ChannelHandler framer = framing.newEchoDecoder();
        if (framer != null) {
            p.addLast(FRAMER, framer);
        }
        p.addLast(ECHO, echo);
        p.addLast(ERRORS, errors);
    }
}
