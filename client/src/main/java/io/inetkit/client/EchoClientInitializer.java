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
 *  socket ──► idle-state ──► idle-timeout ──► [proxy-encoder ──► proxy-header] ──► [tls] ──► framer ──► events ──► close-on-eof
 *  (tls: with --tls, Netty's SslHandler, sending --sni or HOST; after the PROXY header, which a balancer reads in clear)
 *             │              │                │                                   │          │          └ the server's EOF
 *             │              │                │                                   │          │            closes (half-closure
 *             │              │                │                                   │          │            is on, so our own
 *             │              │                │                                   │          │            EOF does not)
 *             │              │                │                                   │          └ one-shot: frames, errors and
 *             │              │                │                                   │            the close, in order, to the
 *             │              │                │                                   │            driving thread
 *             │              │                │                                   │            ({@link EventQueueHandler});
 *             │              │                │                                   │            interactive: prints each echo
 *             │              │                │                                   │            ({@link PrintingHandler})
 *             │              │                │                                   └ the server's framing, framing bytes
 *             │              │                │                                     stripped (kept for interactive line);
 *             │              │                │                                     absent for raw
 *             │              │                └ --proxy-protocol: the PROXY header first, then both leave
 *             │              │                  ({@link ProxyHeaderSender})
 *             │              └ closes on that event, saying why ({@link IdleTimeoutHandler})
 *             └ with -w only: an event after that long without a read or a write (Netty's IdleStateHandler)
 *  writes: framed by {@link Framing#frame} before they enter the pipeline
 * </pre>
 */
final class EchoClientInitializer extends ChannelInitializer<Channel> {

    static final String IDLE_STATE = "idle-state";
    static final String IDLE_TIMEOUT = "idle-timeout";
    static final String FRAMER = "framer";
    static final String EVENTS = "events";
    static final String CLOSE_ON_EOF = "close-on-eof";
    static final String TLS = "tls";

    private final Framing framing;
    private final boolean keepFraming;
    private final IdleTimeoutHandler idleTimeout;
    private final ChannelHandler events;
    private final ProxyHeaderSender proxy;
    private ClientSettings tls;

    /**
     * @param keepFraming whether the frames keep their framing bytes (interactive {@code line}, which prints
     *                    each echoed line with the line end it came with)
     * @param idleTimeout -w's handler, or null without -w
     * @param proxy       the PROXY header to send first, or null for none
     * @param events      the handler that receives the frames: {@link EventQueueHandler} or {@link PrintingHandler}
     */
    EchoClientInitializer(Framing framing, boolean keepFraming, IdleTimeoutHandler idleTimeout, ProxyHeaderSender proxy,
                          ChannelHandler events) {
        this.framing = framing;
        this.keepFraming = keepFraming;
        this.idleTimeout = idleTimeout;
        this.events = events;
        this.proxy = proxy;
    }

    /** With {@code settings.tls()}: TLS to {@code settings.host()}, after the PROXY header. */
    EchoClientInitializer tls(ClientSettings settings) {
        this.tls = settings.tls() == null ? null : settings;
        return this;
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        if (idleTimeout != null) {
            idleTimeout.addTo(p); // IDLE_STATE, IDLE_TIMEOUT
        }
        if (proxy != null) {
            proxy.addTo(p); // ProxyHeaderSender.ENCODER, ProxyHeaderSender.HEADER
        }
        if (tls != null) {
            p.addLast(TLS, TlsOptions.newHandler(tls.tls(), ch.alloc(), tls.serverName(), tls.host(), tls.port(), true));
        }
        ChannelHandler framer = framing.newDecoder(keepFraming);
        if (framer != null) {
            p.addLast(FRAMER, framer);
        }
        p.addLast(EVENTS, events);
        p.addLast(CLOSE_ON_EOF, new CloseOnEofHandler());
    }
}
