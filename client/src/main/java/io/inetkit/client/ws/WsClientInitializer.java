package io.inetkit.client.ws;

import io.inetkit.client.TlsOptions;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
import io.netty.handler.ssl.SslContext;

/**
 * The pipeline of a WebSocket client connection ({@code inetkit client ws://} and {@code inetkit load ws://}),
 * top to bottom:
 *
 * <pre>
 *  socket ──► [tls] ──► http-codec ──► http-aggregator ──► [deflate] ──► ws ──► ws-aggregator ──► last
 *             │         │              │                   │             │      │                 └ the client's or
 *             │         │              │                   │             │      │                   the load's handler:
 *             │         │              │                   │             │      │                   whole messages
 *             │         │              │                   │             │      └ a fragmented message, reassembled
 *             │         │              │                   │             │        (up to maxMessage; more fails the
 *             │         │              │                   │             │        connection with 1009)
 *             │         │              │                   │             └ Netty's handshaker: sends the upgrade
 *             │         │              │                   │               (GET PATH, Upgrade: websocket,
 *             │         │              │                   │               Sec-WebSocket-Key), checks the 101 and
 *             │         │              │                   │               its Sec-WebSocket-Accept, then swaps the
 *             │         │              │                   │               HTTP codec for the frame codec (masked
 *             │         │              │                   │               frames out, as RFC 6455 5.3 wants); answers
 *             │         │              │                   │               pings; passes close frames on, so the
 *             │         │              │                   │               last handler sees the server's code
 *             │         │              │                   └ permessage-deflate (RFC 7692), offered in the upgrade
 *             │         │              │                     and used when the server accepts it; off: not offered
 *             │         │              └ the upgrade's response, whole (removed with the codec after the 101)
 *             │         └ the upgrade request and its response
 *             └ wss://: Netty's SslHandler, sending SNI
 * </pre>
 *
 * <p>The last handler learns that the upgrade is done from the user event
 * {@link WebSocketClientProtocolHandler.ClientHandshakeStateEvent#HANDSHAKE_COMPLETE}, and that it failed from an
 * exception ({@link io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException}: its response has the
 * HTTP status the server answered with).
 */
public final class WsClientInitializer extends ChannelInitializer<Channel> {

    public static final String TLS = "tls";
    public static final String HTTP_CODEC = "http-codec";
    public static final String HTTP_AGGREGATOR = "http-aggregator";
    public static final String DEFLATE = "deflate";
    public static final String WS = "ws";
    public static final String WS_AGGREGATOR = "ws-aggregator";
    public static final String LAST = "last";

    /** Room for the upgrade's response headers (and a short error body). */
    private static final int MAX_UPGRADE_RESPONSE = 64 * 1024;

    private final WsUrl url;
    private final SslContext tls;
    private final String serverName;
    private final boolean resume;
    private final boolean deflate;
    private final int maxMessage;
    private final long handshakeTimeoutMillis;
    private final ChannelHandler last;

    /**
     * @param tls        with {@code wss://}: the client context; null for {@code ws://}
     * @param serverName with TLS: the name sent by SNI and verified, or null (an IP address)
     * @param resume     with TLS: offer the last session to this host and port again
     * @param deflate    offer permessage-deflate
     * @param maxMessage the largest message (and frame) accepted from the server, in bytes
     */
    public WsClientInitializer(WsUrl url, SslContext tls, String serverName, boolean resume, boolean deflate,
                               int maxMessage, long handshakeTimeoutMillis, ChannelHandler last) {
        this.url = url;
        this.tls = tls;
        this.serverName = serverName;
        this.resume = resume;
        this.deflate = deflate;
        this.maxMessage = maxMessage;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
        this.last = last;
    }

    /** Whether the server took permessage-deflate: its encoder and decoder are in {@code p} after the upgrade. */
    public static boolean deflating(ChannelPipeline p) {
        return p.names().stream().anyMatch(n -> n.contains("PerMessageDeflate"));
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        if (tls != null) {
            p.addLast(TLS, TlsOptions.newHandler(tls, ch.alloc(), serverName, url.host(), url.port(), resume));
        }
        p.addLast(HTTP_CODEC, new HttpClientCodec());
        p.addLast(HTTP_AGGREGATOR, new HttpObjectAggregator(MAX_UPGRADE_RESPONSE));
        if (deflate) {
            // room to inflate: Netty's zlib decoder wants twice its remaining input free before each step, and
            // fails short of its limit otherwise; the message limit itself is the aggregator's and the frame's
            p.addLast(DEFLATE, new WebSocketClientCompressionHandler((int) Math.min(Integer.MAX_VALUE - 8, 3L * maxMessage)));
        }
        p.addLast(WS, new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(url.uri())
                .version(WebSocketVersion.V13)
                .allowExtensions(deflate)
                .maxFramePayloadLength(maxMessage)
                .handleCloseFrames(false) // the last handler prints or counts the server's code, and answers it
                .dropPongFrames(true)
                .handshakeTimeoutMillis(handshakeTimeoutMillis)
                .build()));
        p.addLast(WS_AGGREGATOR, new WebSocketFrameAggregator(maxMessage));
        p.addLast(LAST, last);
    }
}
