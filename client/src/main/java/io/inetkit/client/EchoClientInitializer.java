package io.inetkit.client;

import io.inetkit.common.framing.Framing;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;

/**
 * The pipeline of the TCP echo client, top to bottom:
 *
 * <pre>
 *  socket ──► [proxy-encoder ──► proxy-header] ──► framer ──► events ──► close-on-eof
 *              └ --proxy-protocol: the PROXY header first, then both leave ({@link ProxyHeaderSender})
 *             │          │          └ the server's EOF closes (half-closure is on, so our own EOF does not)
 *             │          └ one-shot: frames, errors and the close, in order, to the driving thread
 *             │            ({@link EventQueueHandler}); interactive: prints each echo ({@link PrintingHandler})
 *             └ the server's framing, framing bytes stripped; absent for raw, where a read is what came
 *  writes: framed by {@link Framing#frame} before they enter the pipeline
 * </pre>
 */
final class EchoClientInitializer extends ChannelInitializer<Channel> {

    static final String FRAMER = "framer";
    static final String EVENTS = "events";
    static final String CLOSE_ON_EOF = "close-on-eof";

    private final Framing framing;
    private final ChannelHandler events;
    private final ProxyHeaderSender proxy;

    /**
     * @param events the handler that receives the frames: {@link EventQueueHandler} or {@link PrintingHandler}
     * @param proxy  the PROXY header to send first, or null for none
     */
    EchoClientInitializer(Framing framing, ChannelHandler events, ProxyHeaderSender proxy) {
        this.framing = framing;
        this.events = events;
        this.proxy = proxy;
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        if (proxy != null) {
            proxy.addTo(p); // ProxyHeaderSender.ENCODER, ProxyHeaderSender.HEADER
        }
        ChannelHandler framer = framing.newDecoder(false);
        if (framer != null) {
            p.addLast(FRAMER, framer);
        }
        p.addLast(EVENTS, events);
        p.addLast(CLOSE_ON_EOF, new CloseOnEofHandler());
    }
}
