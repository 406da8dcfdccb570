package io.inetkit.server.http;

import io.inetkit.server.tls.TlsFront;
import io.inetkit.server.ws.WebSocketMeters;
import io.inetkit.server.ws.WebSocketRoute;
import io.inetkit.server.ws.WebSocketUpgrade;
import io.inetkit.server.stream.ClientAddress;
import io.inetkit.server.stream.IdleCloseHandler;
import io.inetkit.server.stream.ProxyHeaderHandler;
import io.inetkit.server.stream.StreamListener;
import io.inetkit.server.stream.StreamMeters;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.AsciiString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/**
 * The whole pipeline of one connection of an HTTP echo listener, every route top to bottom.
 *
 * <pre>
 *   on a {@code :proxy} listener, first: socket ─► proxy-decoder ─► proxy-header ─► (the route below from idle);
 *              the PROXY header names the client, then both leave ({@link ProxyHeaderHandler}), before TLS
 *   cleartext: socket ─► idle ─► h2c-preface ─► http-codec ─► lingering-close ─► head-timeout ─► body-rate ─► h2c-upgrade ─► http1-handoff ─► errors
 *     "PRI * HTTP/2.0" first (prior knowledge): idle ─► http2-frame-codec ─► http2-multiplexer ─► http2-flood ─► errors
 *     "Upgrade: h2c" request: 101, then          idle ─► http2-frame-codec ─► http2-multiplexer ─► http2-flood ─► errors
 *                                                (the upgrade request becomes stream 1)
 *     any other request:     idle ─► http-codec ─► lingering-close ─► head-timeout ─► body-rate ─► HTTP/1.1 ─► errors
 *   TLS:       socket ─► idle ─► tls ─► tls-handshake ─► alpn ─► errors   ({@link TlsFront})
 *     ALPN h2:               idle ─► tls ─► http2-frame-codec ─► http2-multiplexer ─► http2-flood ─► errors
 *     ALPN http/1.1 or none: idle ─► tls ─► http-codec ─► head-timeout ─► body-rate ─► HTTP/1.1 ─► errors
 *
 *   HTTP/1.1 = ws-upgrade ─► http-keepalive ─► http-drain ─► body-budget ─► http-aggregator ─► chunked-writer ─► echo
 *     a GET /ws with Upgrade: websocket: http-codec ─► (the WebSocket echo's route, {@link WebSocketRoute})
 *   an HTTP/2 stream (a child channel of http2-multiplexer):
 *              http2-to-http ─► body-budget ─► http-aggregator ─► chunked-writer ─► echo ─► errors
 *
 *   idle            the server's --idle-timeout ({@link IdleCloseHandler}); absent for 0
 *   h2c-preface     looks at the first bytes once: the HTTP/2 preface switches to HTTP/2; else it leaves
 *   head-timeout    the next request's head must arrive within the header timeout ({@link RequestHeadTimeoutHandler});
 *                   absent for 0
 *   lingering-close a close while a request body still arrives: FIN, and the rest read and dropped
 *                   ({@link LingeringCloseHandler}), so the client reads the answer instead of a reset
 *   body-rate       a request body must arrive at the minimum rate ({@link RequestBodyRateHandler}); absent for 0
 *   h2c-upgrade     answers "Upgrade: h2c" on the first request with 101 and switches to HTTP/2; passes other
 *                   requests on; leaves with http1-handoff
 *   http1-handoff   on the first HTTP/1.x request, puts the HTTP/1.1 handlers in its place and h2c-upgrade's
 *   http2-flood     SETTINGS and PING floods: GOAWAY ENHANCE_YOUR_CALM ({@link Http2ControlFloodHandler})
 *   ws-upgrade      a request for /ws asking for WebSocket: the HTTP/1.1 handlers and request guards leave, the
 *                   WebSocket route takes their place ({@link WebSocketUpgrade})
 *   http-drain      a stop: closes when no request is in flight, else after the response ({@link HttpDrainHandler})
 *   body-budget     buffers a body only for an endpoint that echoes it, and only within the listener's budget
 *                   (503 beyond); drops every other body as it arrives ({@link BodyBudgetHandler})
 *   http-aggregator a whole request, body up to maxRequestSize (413 beyond) ({@link EchoRequestAggregator})
 *   chunked-writer  streams /bytes and /stream as the client reads them
 *   echo            the endpoints ({@link HttpEchoHandler}), the same for HTTP/1.1 and HTTP/2
 *   errors          what nothing before handled: connection closed; logged at DEBUG, an allocation failure
 *                   counted and logged at WARN; an HTTP/2 protocol error left to the codec, which answers
 *                   with its code ({@link ConnectionErrorHandler})
 * </pre>
 *
 * In front of all this, on the listening socket, the {@code StreamListener} admits or refuses each
 * connection; {@link HttpProtocol} says how a connection drains on stop.
 *
 * <p>Over 300 lines on purpose: one initializer per pipeline lists the whole route, and this pipeline has
 * five routes (cleartext, prior knowledge, h2c upgrade, TLS with ALPN h2 or HTTP/1.1) and the HTTP/2 stream's.
 */
final class HttpEchoInitializer extends ChannelInitializer<Channel> {

    static final String PROXY_DECODER = ProxyHeaderHandler.DECODER;
    static final String PROXY_HEADER = ProxyHeaderHandler.HEADER;
    static final String IDLE = StreamListener.IDLE;
    static final String TLS = TlsFront.TLS;
    static final String ALPN = "alpn";
    static final String H2C_PREFACE = "h2c-preface";
    static final String H2C_UPGRADE = "h2c-upgrade";
    static final String HTTP1_HANDOFF = "http1-handoff";
    static final String ERRORS = "errors";
    static final String HTTP_CODEC = "http-codec";
    static final String HEAD_TIMEOUT = "head-timeout";
    static final String BODY_RATE = "body-rate";
    static final String LINGERING_CLOSE = "lingering-close";
    static final String WS_UPGRADE = "ws-upgrade";
    static final String HTTP_KEEPALIVE = "http-keepalive";
    static final String HTTP_DRAIN = "http-drain";
    static final String BODY_BUDGET = "body-budget";
    static final String HTTP_AGGREGATOR = "http-aggregator";
    static final String CHUNKED_WRITER = "chunked-writer";
    static final String ECHO = "echo";
    static final String HTTP2_FRAME_CODEC = "http2-frame-codec";
    static final String HTTP2_MULTIPLEXER = "http2-multiplexer";
    static final String HTTP2_FLOOD = "http2-flood";
    /** {@code http2-flood}: at most this many SETTINGS and PING frames from a peer ... */
    static final int MAX_CONTROL_FRAMES = 100;
    /** ... within this window. */
    static final Duration CONTROL_FRAME_WINDOW = Duration.ofSeconds(10);
    static final String HTTP2_TO_HTTP = "http2-to-http";

    private static final Logger log = LoggerFactory.getLogger(HttpEchoInitializer.class);
    /**
     * Outbound bytes queued per connection before a streaming answer ({@code /bytes}, {@code /stream}) waits
     * for the client to read: larger than the TCP echo's, since a chunk of {@code /bytes} is 16 KiB.
     */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(64 * 1024, 256 * 1024);

    private static final ByteBuf PREFACE = Unpooled.unreleasableBuffer(Http2CodecUtil.connectionPrefaceBuf()).asReadOnly();

    private final HttpEchoSettings settings;
    private final TlsFront tls;
    private final IdleCloseHandler.Timeout idle;
    private final ListenerGuards guards;
    private final ProxyHeaderHandler.Requirement proxy;
    private final WebSocketRoute wsRoute;

    /**
     * @param tls          the listener's TLS, its contexts with ALPN {@code h2, http/1.1}; null for cleartext
     * @param idleTimeout  the server's {@code --idle-timeout}; zero for none
     * @param guards       what the listener's connections share: the body budget, {@code errors}, the counters
     * @param proxy        whether a PROXY header comes first ({@link ProxyHeaderHandler.Requirement#NONE}: no)
     * @param ws           the meters of the WebSocket connections on {@code /ws}
     */
    HttpEchoInitializer(HttpEchoSettings settings, TlsFront tls, StreamMeters meters, Duration idleTimeout,
                        ListenerGuards guards, ProxyHeaderHandler.Requirement proxy, WebSocketMeters ws) {
        this.proxy = proxy;
        this.wsRoute = new WebSocketRoute(WebSocketUpgrade.PATH, settings.wsMaxMessage(), meters, ws);
        this.settings = settings;
        this.tls = tls;
        this.idle = IdleCloseHandler.timeout(meters, idleTimeout);
        this.guards = guards;
    }

    @Override
    protected void initChannel(Channel ch) {
        // the listener's child options are the TCP echo's (half-closure, so the echo can finish after the peer's
        // FIN; 64 KiB water marks); HTTP keeps its own: a client's FIN closes the connection, larger water marks
        ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, false);
        ch.config().setWriteBufferWaterMark(WATER_MARK);
        ChannelPipeline p = ch.pipeline();
        proxy.addTo(p); // PROXY_DECODER, PROXY_HEADER: the header comes before the TLS handshake
        idle.addTo(p); // IDLE
        if (tls != null) {
            tls.addTo(p); // TLS, TlsFront.HANDSHAKE
            p.addLast(ALPN, new AlpnHandler());
        } else {
            HttpServerCodec codec = newHttpCodec();
            p.addLast(H2C_PREFACE, new PriorKnowledgeHandler());
            p.addLast(HTTP_CODEC, codec);
            addRequestGuardsAfter(p, HTTP_CODEC);
            p.addLast(H2C_UPGRADE, new HttpServerUpgradeHandler(codec, protocol ->
                    AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
                            ? new Http2ServerUpgradeCodec(HTTP2_FRAME_CODEC, newFrameCodec(), new MultiplexerInstaller())
                            : null,
                    settings.maxRequestSize()));
            p.addLast(HTTP1_HANDOFF, new Http1Handoff());
        }
        p.addLast(ERRORS, guards.errors());
    }

    private HttpServerCodec newHttpCodec() {
        return new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(settings.maxHeaderSize())
                .setMaxHeaderSize(settings.maxHeaderSize()));
    }

    /**
     * Adds {@code lingering-close} (cleartext only), {@code head-timeout} and {@code body-rate} after {@code base}
     * (the last two absent when their setting is zero).
     *
     * @return the name the HTTP/1.1 handlers go after: the last of them, or {@code base} without them
     */
    private String addRequestGuardsAfter(ChannelPipeline p, String base) {
        String last = base;
        if (tls == null) { // over TLS the session's close_notify ends it: see LingeringCloseHandler
            p.addAfter(last, LINGERING_CLOSE, new LingeringCloseHandler());
            last = LINGERING_CLOSE;
        }
        if (!settings.headerTimeout().isZero()) {
            p.addAfter(last, HEAD_TIMEOUT, new RequestHeadTimeoutHandler(settings.headerTimeout().toNanos(), guards.headTimeouts()));
            last = HEAD_TIMEOUT;
        }
        if (settings.minBodyRate() > 0) {
            p.addAfter(last, BODY_RATE, new RequestBodyRateHandler(settings.minBodyRate(),
                    HttpEchoSettings.BODY_RATE_GRACE.toNanos(), guards.bodyTimeouts()));
            last = BODY_RATE;
        }
        return last;
    }

    /**
     * Removes {@code lingering-close}, {@code head-timeout} and {@code body-rate}, where they are: the connection
     * has become HTTP/2.
     */
    private static void removeRequestGuards(ChannelPipeline p) {
        for (String name : List.of(LINGERING_CLOSE, HEAD_TIMEOUT, BODY_RATE)) {
            if (p.get(name) != null) {
                p.remove(name);
            }
        }
    }

    /** Adds the HTTP/1.1 handlers after {@code base}, {@code ws-upgrade} first. */
    private void addHttp1After(ChannelPipeline p, String base, String scheme) {
        p.addAfter(base, WS_UPGRADE, new WebSocketUpgrade(wsRoute, HttpEchoInitializer::leaveHttp1));
        p.addAfter(WS_UPGRADE, HTTP_KEEPALIVE, new HttpServerKeepAliveHandler());
        p.addAfter(HTTP_KEEPALIVE, HTTP_DRAIN, new HttpDrainHandler());
        p.addAfter(HTTP_DRAIN, BODY_BUDGET, new BodyBudgetHandler(guards.bodyBudget(), settings.maxRequestSize()));
        p.addAfter(BODY_BUDGET, HTTP_AGGREGATOR, new EchoRequestAggregator(settings.maxRequestSize()));
        p.addAfter(HTTP_AGGREGATOR, CHUNKED_WRITER, new ChunkedWriteHandler());
        p.addAfter(CHUNKED_WRITER, ECHO, new HttpEchoHandler(settings, scheme));
    }

    /**
     * Removes the HTTP/1.1 handlers and the request guards (a head timeout would close a WebSocket): the
     * connection has become a WebSocket ({@link WebSocketUpgrade}).
     */
    private static void leaveHttp1(ChannelPipeline p) {
        removeRequestGuards(p);
        for (String name : List.of(HTTP_KEEPALIVE, HTTP_DRAIN, BODY_BUDGET, HTTP_AGGREGATOR, CHUNKED_WRITER, ECHO)) {
            if (p.get(name) != null) {
                p.remove(name);
            }
        }
    }

    /** Adds the HTTP/2 connection handlers after {@code base}. */
    private void addHttp2After(ChannelPipeline p, String base, String scheme) {
        p.addAfter(base, HTTP2_FRAME_CODEC, newFrameCodec());
        addMultiplexerAfter(p, HTTP2_FRAME_CODEC, scheme);
    }

    /** Adds {@code http2-multiplexer} and {@code http2-flood}, which sees the frames the multiplexer passes on. */
    private void addMultiplexerAfter(ChannelPipeline p, String base, String scheme) {
        p.addAfter(base, HTTP2_MULTIPLEXER, newMultiplexer(scheme));
        p.addAfter(HTTP2_MULTIPLEXER, HTTP2_FLOOD,
                new Http2ControlFloodHandler(MAX_CONTROL_FRAMES, CONTROL_FRAME_WINDOW.toNanos(), guards.http2Floods()));
    }

    private Http2FrameCodec newFrameCodec() {
        return Http2FrameCodecBuilder.forServer()
                // RFC 9113 §8.3.1: a request without :method, :scheme or :path is RST_STREAM PROTOCOL_ERROR
                .validateRequiredPseudoHeaders(true)
                // RFC 9113 5.1 and 5.1.1: HEADERS on a lower stream id is a connection error (Http2StreamIds)
                .frameLogger(new Http2StreamIds())
                .initialSettings(Http2Settings.defaultSettings()
                        .maxHeaderListSize(settings.maxHeaderSize())
                        .maxConcurrentStreams(100))
                .build();
    }

    private Http2MultiplexHandler newMultiplexer(String scheme) {
        return new Http2MultiplexHandler(newStreamInitializer(scheme));
    }

    /** The pipeline of one HTTP/2 stream (a child channel of the connection). */
    ChannelInitializer<Channel> newStreamInitializer(String scheme) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel stream) {
                ChannelPipeline p = stream.pipeline();
                // no second validation of the headers: the frame codec's HPACK decoder has validated the request's
                // (RFC 9113 8.2), and a response's were validated as the endpoint set them on its HTTP/1.1 message
                p.addLast(HTTP2_TO_HTTP, new Http2StreamFrameToHttpObjectCodec(true, false));
                p.addLast(BODY_BUDGET, new BodyBudgetHandler(guards.bodyBudget(), settings.maxRequestSize()));
                p.addLast(HTTP_AGGREGATOR, new EchoRequestAggregator(settings.maxRequestSize()));
                p.addLast(CHUNKED_WRITER, new ChunkedWriteHandler());
                p.addLast(ECHO, new HttpEchoHandler(settings, scheme));
                p.addLast(ERRORS, guards.errors());
            }
        };
    }

    /**
     * A cleartext connection's first bytes: the HTTP/2 connection preface ({@code PRI * HTTP/2.0...}, prior
     * knowledge) puts the HTTP/2 handlers in place of the HTTP/1.1 ones; anything else removes this handler and
     * goes on (as Netty's {@code CleartextHttp2ServerUpgradeHandler} does, with the handlers named).
     */
    private final class PriorKnowledgeHandler extends ByteToMessageDecoder {
        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            int length = PREFACE.readableBytes();
            int seen = Math.min(in.readableBytes(), length);
            ChannelPipeline p = ctx.pipeline();
            if (!ByteBufUtil.equals(PREFACE, PREFACE.readerIndex(), in, in.readerIndex(), seen)) {
                p.remove(this);
            } else if (seen == length) {
                p.remove(HTTP_CODEC);
                removeRequestGuards(p);
                p.remove(H2C_UPGRADE);
                p.remove(HTTP1_HANDOFF);
                addHttp2After(p, ctx.name(), "http");
                p.remove(this); // hands the preface on to the frame codec
            }
        }
    }

    /**
     * Put after {@code http2-frame-codec} by the h2c upgrade (whose codec names only the frame codec): adds the
     * multiplexer under its name before the upgrade request becomes stream 1, then leaves.
     */
    private final class MultiplexerInstaller extends ChannelHandlerAdapter {
        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            ChannelPipeline p = ctx.pipeline();
            addMultiplexerAfter(p, ctx.name(), "http");
            removeRequestGuards(p);
            if (p.get(HTTP1_HANDOFF) != null) {
                p.remove(HTTP1_HANDOFF);
            }
            p.remove(this);
        }
    }

    /** On a cleartext connection's first HTTP/1.x request, replaces itself and h2c-upgrade with the HTTP/1.1 handlers. */
    private final class Http1Handoff extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpMessage) {
                ChannelPipeline p = ctx.pipeline();
                addHttp1After(p, ctx.name(), "http");
                // only the first request may ask for h2c (RFC 9113 3.1 retired the upgrade; curl asks on the
                // first): the upgrade handler would otherwise look at every message of a long connection
                p.remove(H2C_UPGRADE);
                p.remove(this);
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** After the TLS handshake, installs HTTP/2 or HTTP/1.1 as ALPN decided (HTTP/1.1 without ALPN). */
    private final class AlpnHandler extends ApplicationProtocolNegotiationHandler {
        AlpnHandler() {
            super(ApplicationProtocolNames.HTTP_1_1);
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            ChannelPipeline p = ctx.pipeline();
            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                addHttp2After(p, ctx.name(), "https");
            } else if (ApplicationProtocolNames.HTTP_1_1.equals(protocol)) {
                p.addAfter(ctx.name(), HTTP_CODEC, newHttpCodec());
                addHttp1After(p, addRequestGuardsAfter(p, HTTP_CODEC), "https");
            } else {
                throw new IllegalStateException("unexpected ALPN protocol: " + protocol);
            }
        }

        @Override
        protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // counted and logged (rate-limited) by TlsFront.HANDSHAKE, ahead of this
        }
    }
}
