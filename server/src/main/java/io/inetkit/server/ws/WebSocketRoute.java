package io.inetkit.server.ws;

import io.inetkit.server.stream.StreamMeters;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The WebSocket echo's handlers behind an HTTP/1.1 codec, one route shared by the {@code --ws} listener
 * ({@link WebSocketEchoInitializer}) and the HTTP listener's {@code /ws} ({@link WebSocketUpgrade}):
 *
 * <pre>
 *   http-codec ─► ws-handshake ─► ws-deflate ─► ws ─► ws-aggregator ─► ws-echo
 *
 *   ws-handshake:  the opening handshake, a GET with Upgrade: websocket, whole (a head of at most
 *                  {@value #MAX_HANDSHAKE} bytes); at the 101 Netty swaps the codec for its frame decoder and
 *                  encoder, and the encoder gets {@value #CLOSES} behind it ({@link WebSocketClose})
 *   ws-deflate:    permessage-deflate (RFC 7692) when the client offers it; a message inflates to at most the limit
 *   ws:            Netty's protocol handler: the handshake on PATH (and below it), pongs for pings, masking
 *                  required, reserved opcodes and bits, control frames ≤ 125 bytes and unfragmented, close codes
 *                  checked, UTF-8 of text checked across fragments: 1002 or 1007 and a close
 *   ws-aggregator: fragments reassembled into one message of at most the limit (else 1009)
 *   ws-echo:       each message back as the same type and bytes; the peer's close answered ({@link WebSocketEchoHandler})
 * </pre>
 */
public final class WebSocketRoute {

    static final String HANDSHAKE = "ws-handshake";
    static final String DEFLATE = "ws-deflate";
    static final String WS = "ws";
    static final String AGGREGATOR = "ws-aggregator";
    static final String ECHO = "ws-echo";
    static final String CLOSES = "ws-closes";
    /** The largest opening handshake request accepted (its head; a GET has no body). */
    static final int MAX_HANDSHAKE = 8192;

    private final int maxMessage;
    private final WebSocketEchoHandler echo;
    private final WebSocketServerProtocolConfig config;

    /**
     * @param path       where the upgrade is taken, and below it ({@code /}: every path)
     * @param maxMessage the largest message, reassembled and inflated, in bytes
     */
    public WebSocketRoute(String path, int maxMessage, StreamMeters stream, WebSocketMeters meters) {
        this.maxMessage = maxMessage;
        this.echo = new WebSocketEchoHandler(stream, meters, path, maxMessage);
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

    /** Adds the route after {@code base}, the HTTP codec's name or the last handler before the route. */
    public void addAfter(ChannelPipeline p, String base) {
        p.addAfter(base, HANDSHAKE, new HttpObjectAggregator(MAX_HANDSHAKE));
        p.addAfter(HANDSHAKE, DEFLATE, new WebSocketServerCompressionHandler(inflateLimit(maxMessage)));
        p.addAfter(DEFLATE, WS, new WebSocketServerProtocolHandler(config));
        p.addAfter(WS, AGGREGATOR, new WebSocketFrameAggregator(maxMessage));
        p.addAfter(AGGREGATOR, ECHO, echo);
    }

    /**
     * The inflater's buffer limit for a message of up to {@code maxMessage} bytes. Netty's zlib decoder asks for
     * room for twice the input it has left before each step and fails when its buffer cannot grow that far, even
     * when the output would fit: with the limit at {@code maxMessage}, a 700-byte binary message failed a 1024
     * limit. A frame's compressed payload is at most {@code maxMessage} (the frame decoder's limit), so three
     * times it never fails early; the echo handler checks the inflated size against {@code maxMessage} itself.
     */
    public static int inflateLimit(int maxMessage) {
        return (int) Math.min(Integer.MAX_VALUE - 8, 3L * maxMessage);
    }

    /** Whether {@code ch} has been upgraded to WebSocket (its frame encoder is in place). */
    public static boolean upgraded(Channel ch) {
        return ch.pipeline().get(WebSocketFrameEncoder.class) != null;
    }

    /**
     * A stop: a close frame 1001 (going away); the client's close in answer ends the connection
     * ({@link WebSocketEchoHandler}), the deadline {@code linger} otherwise. On the channel's event loop.
     */
    public static void drain(Channel ch, Duration linger) {
        var deadline = ch.eventLoop().schedule(() -> ch.close(), linger.toNanos(), TimeUnit.NANOSECONDS);
        ch.closeFuture().addListener(f -> deadline.cancel(false));
        ch.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE, "server stopping"));
    }
}
