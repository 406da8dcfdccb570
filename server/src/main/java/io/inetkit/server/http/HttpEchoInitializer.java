package io.inetkit.server.http;

import io.inetkit.server.stream.IdleCloseHandler;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AsciiString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * The pipelines of the HTTP echo listener. A cleartext connection starts as
 *
 * <pre>
 *   idle ─ idle-closer ─ h2c ─ http1-handoff ─ errors
 *                         │
 *                         ├─ "PRI * HTTP/2.0" preface (prior knowledge) ─▶ http2-frame-codec ─ http2-multiplexer
 *                         ├─ "Upgrade: h2c" request ─▶ 101, then the same HTTP/2 pair (the request becomes stream 1)
 *                         └─ any other request: http1-handoff makes it
 *                            http-codec ─ http-keepalive ─ http-aggregator ─ chunked-writer ─ echo
 * </pre>
 *
 * and a TLS connection as {@code idle ─ idle-closer ─ tls ─ alpn ─ errors}, where ALPN picks {@code h2} (the
 * HTTP/2 pair) or {@code http/1.1} ({@code http-codec} and the HTTP/1.1 handlers). Each HTTP/2 stream is a child
 * channel of its own:
 *
 * <pre>
 *   http2-to-http ─ http-aggregator ─ chunked-writer ─ echo
 * </pre>
 *
 * so {@link HttpEchoHandler} answers HTTP/1.1 and HTTP/2 alike.
 */
final class HttpEchoInitializer extends ChannelInitializer<Channel> {

    static final String IDLE = "idle";
    static final String IDLE_CLOSER = "idle-closer";
    static final String TLS = "tls";
    static final String ALPN = "alpn";
    static final String H2C = "h2c";
    static final String HTTP1_HANDOFF = "http1-handoff";
    static final String ERRORS = "errors";
    static final String HTTP_CODEC = "http-codec";
    static final String HTTP_KEEPALIVE = "http-keepalive";
    static final String HTTP_AGGREGATOR = "http-aggregator";
    static final String CHUNKED_WRITER = "chunked-writer";
    static final String ECHO = "echo";
    static final String HTTP2_FRAME_CODEC = "http2-frame-codec";
    static final String HTTP2_MULTIPLEXER = "http2-multiplexer";
    static final String HTTP2_TO_HTTP = "http2-to-http";

    private static final Logger log = LoggerFactory.getLogger(HttpEchoInitializer.class);
    private static final ChannelHandler IDLE_CLOSE_HANDLER = new IdleCloseHandler();
    private static final ChannelHandler ERROR_HANDLER = new ConnectionErrorHandler();

    private final HttpEchoSettings settings;
    private final SslContext sslContext;

    /** @param sslContext the server's TLS context with ALPN {@code h2, http/1.1}, or null for cleartext */
    HttpEchoInitializer(HttpEchoSettings settings, SslContext sslContext) {
        this.settings = settings;
        this.sslContext = sslContext;
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast(IDLE, new IdleStateHandler(0, 0, settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        p.addLast(IDLE_CLOSER, IDLE_CLOSE_HANDLER);
        if (sslContext != null) {
            p.addLast(TLS, sslContext.newHandler(ch.alloc()));
            p.addLast(ALPN, new AlpnHandler());
        } else {
            HttpServerCodec codec = newHttpCodec();
            HttpServerUpgradeHandler upgrade = new HttpServerUpgradeHandler(codec, protocol ->
                    AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
                            ? new Http2ServerUpgradeCodec(newFrameCodec(), newMultiplexer("http")) : null,
                    settings.maxRequestSize());
            p.addLast(H2C, new CleartextHttp2ServerUpgradeHandler(codec, upgrade, new Http2Installer()));
            p.addLast(HTTP1_HANDOFF, new Http1Handoff());
        }
        p.addLast(ERRORS, ERROR_HANDLER);
    }

    private HttpServerCodec newHttpCodec() {
        return new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(settings.maxHeaderSize())
                .setMaxHeaderSize(settings.maxHeaderSize()));
    }

    /** Adds the HTTP/1.1 handlers after {@code base}. */
    private void addHttp1After(ChannelPipeline p, String base, String scheme) {
        p.addAfter(base, HTTP_KEEPALIVE, new HttpServerKeepAliveHandler());
        p.addAfter(HTTP_KEEPALIVE, HTTP_AGGREGATOR, new EchoRequestAggregator(settings.maxRequestSize()));
        p.addAfter(HTTP_AGGREGATOR, CHUNKED_WRITER, new ChunkedWriteHandler());
        p.addAfter(CHUNKED_WRITER, ECHO, new HttpEchoHandler(settings, scheme));
    }

    /** Adds the HTTP/2 connection handlers after {@code base}. */
    private void addHttp2After(ChannelPipeline p, String base, String scheme) {
        p.addAfter(base, HTTP2_FRAME_CODEC, newFrameCodec());
        p.addAfter(HTTP2_FRAME_CODEC, HTTP2_MULTIPLEXER, newMultiplexer(scheme));
    }

    private Http2FrameCodec newFrameCodec() {
        return Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings()
                        .maxHeaderListSize(settings.maxHeaderSize())
                        .maxConcurrentStreams(100))
                .build();
    }

    private Http2MultiplexHandler newMultiplexer(String scheme) {
        return new Http2MultiplexHandler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel stream) {
                ChannelPipeline p = stream.pipeline();
                p.addLast(HTTP2_TO_HTTP, new Http2StreamFrameToHttpObjectCodec(true));
                p.addLast(HTTP_AGGREGATOR, new EchoRequestAggregator(settings.maxRequestSize()));
                p.addLast(CHUNKED_WRITER, new ChunkedWriteHandler());
                p.addLast(ECHO, new HttpEchoHandler(settings, scheme));
            }
        });
    }

    /** Installs the HTTP/2 pair in its own place when the client opened with the HTTP/2 preface (h2c). */
    private final class Http2Installer extends ChannelHandlerAdapter {
        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            ChannelPipeline p = ctx.pipeline();
            addHttp2After(p, ctx.name(), "http");
            if (p.get(HTTP1_HANDOFF) != null) {
                p.remove(HTTP1_HANDOFF);
            }
            p.remove(this);
        }
    }

    /** On a cleartext connection's first HTTP/1.x request, replaces itself with the HTTP/1.1 handlers. */
    private final class Http1Handoff extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpMessage) {
                addHttp1After(ctx.pipeline(), ctx.name(), "http");
                ctx.pipeline().remove(this);
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
                addHttp1After(p, HTTP_CODEC, "https");
            } else {
                throw new IllegalStateException("unexpected ALPN protocol: " + protocol);
            }
        }

        @Override
        protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
            // a client that does not trust our certificate is routine for a test target: not a warning
            log.debug("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }

    /** Closes a connection that has been silent in both directions for the idle timeout. */
    @ChannelHandler.Sharable
    private static final class IdleCloseHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent) {
                log.debug("closing idle connection {}", ctx.channel());
                ctx.close();
            } else {
                ctx.fireUserEventTriggered(evt);
            }
        }
    }

    /** The end of a connection's pipeline: what nothing before handled closes it, logged at DEBUG. */
    @ChannelHandler.Sharable
    private static final class ConnectionErrorHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("closing {}: {}", ctx.channel(), cause.toString());
            ctx.close();
        }
    }
}
