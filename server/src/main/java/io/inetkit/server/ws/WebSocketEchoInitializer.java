package io.inetkit.server.ws;

import io.inetkit.server.stream.IdleCloseHandler;
import io.inetkit.server.stream.ProxyHeaderHandler;
import io.inetkit.server.stream.StreamListener;
import io.inetkit.server.stream.StreamMeters;
import io.inetkit.server.tls.TlsFront;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;

import java.time.Duration;

/**
 * The whole pipeline of one WebSocket echo connection ({@code --ws PORT[:PATH]}).
 *
 * <pre>
 *   socket ──► [proxy-decoder ──► proxy-header] ──► idle ──► [tls ──► tls-handshake] ──► http ──► http-aggregator
 *          ──► ws-deflate ──► ws ──► ws-aggregator ──► echo
 *
 *   http, http-aggregator: the opening handshake, an HTTP/1.1 GET with Upgrade: websocket (a request head of at
 *                          most {@value #MAX_HANDSHAKE} bytes); at the 101 Netty swaps them for its frame decoder and
 *                          encoder, and the encoder gets {@value #CLOSES} behind it ({@link WebSocketClose})
 *   ws-deflate:            permessage-deflate (RFC 7692) when the client offers it; a message inflates to at most
 *                          --ws-max-message
 *   ws:                    Netty's protocol handler: the handshake on PATH (and below it), pongs for pings, masking
 *                          required, reserved opcodes and bits, control frames ≤ 125 bytes and unfragmented, close
 *                          codes checked, UTF-8 of text checked across fragments: 1002 or 1007 and a close
 *   ws-aggregator:         fragments reassembled into one message of at most --ws-max-message (else 1009)
 *   echo:                  each message back as the same type and bytes; the peer's close answered
 *                          ({@link WebSocketEchoHandler})
 * </pre>
 */
final class WebSocketEchoInitializer extends ChannelInitializer<Channel> {

    static final String IDLE = StreamListener.IDLE;
    static final String HTTP = "http";
    static final String HTTP_AGGREGATOR = "http-aggregator";
    static final String DEFLATE = "ws-deflate";
    static final String WS = "ws";
    static final String WS_AGGREGATOR = "ws-aggregator";
    static final String ECHO = "echo";
    static final String CLOSES = "ws-closes";
    /** The largest opening handshake request accepted (its head; a GET has no body). */
    static final int MAX_HANDSHAKE = 8192;

    private final int maxMessage;
    private final ProxyHeaderHandler.Requirement proxy;
    private final IdleCloseHandler.Timeout idle;
    private final TlsFront tls;
    private final WebSocketEchoHandler echo;
    private final WebSocketServerProtocolConfig config;

    WebSocketEchoInitializer(String path, int maxMessage, StreamMeters stream, WebSocketMeters meters,
                             Duration idleTimeout, ProxyHeaderHandler.Requirement proxy, TlsFront tls) {
        this.maxMessage = maxMessage;
        this.proxy = proxy;
        this.idle = IdleCloseHandler.timeout(stream, idleTimeout);
        this.tls = tls;
        this.echo = new WebSocketEchoHandler(stream, meters, path);
        this.config = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(path)
                .checkStartsWith(true) // PATH, PATH?query and PATH/below; "/" takes every path
                .handleCloseFrames(false) // the echo handler answers closes, and counts them
                .dropPongFrames(true)
                .sendCloseFrame(null) // a close frame only for a cause: the decoder and the echo send their own
                .decoderConfig(WebSocketDecoderConfig.newBuilder()
                        .maxFramePayloadLength(maxMessage)
                        .expectMaskedFrames(true)
                        .allowMaskMismatch(false)
                        .allowExtensions(true) // RSV1 for permessage-deflate; the echo refuses any bit left over
                        .closeOnProtocolViolation(true)
                        .withUTF8Validator(true)
                        .build())
                .build();
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        proxy.addTo(p); // PROXY_DECODER, PROXY_HEADER
        idle.addTo(p); // IDLE
        if (tls != null) {
            tls.addTo(p); // TlsFront.TLS, TlsFront.HANDSHAKE
        }
        p.addLast(HTTP, new HttpServerCodec(MAX_HANDSHAKE, MAX_HANDSHAKE, 8192));
        p.addLast(HTTP_AGGREGATOR, new HttpObjectAggregator(MAX_HANDSHAKE));
        p.addLast(DEFLATE, new WebSocketServerCompressionHandler(maxMessage));
        p.addLast(WS, new WebSocketServerProtocolHandler(config));
        p.addLast(WS_AGGREGATOR, new WebSocketFrameAggregator(maxMessage));
        p.addLast(ECHO, echo);
    }
}
