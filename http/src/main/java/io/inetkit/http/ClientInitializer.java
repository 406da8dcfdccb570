package io.inetkit.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContentDecompressor;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedWriteHandler;

import javax.net.ssl.SSLSession;

/**
 * The client's pipelines. A connection starts as
 *
 * <pre>
 *   [tls ─ alpn ─] connection
 * </pre>
 *
 * and, once it knows its protocol (at once for cleartext, after the handshake and ALPN for TLS), becomes
 *
 * <pre>
 *   HTTP/1.1:  [tls ─] [raw ─] http-codec ─ response-observer ─ [decompressor ─] chunked-writer ─ exchange ─ connection
 *   HTTP/2:    [tls ─] http2-frame-codec ─ http2-multiplexer ─ connection
 *              and per request a stream channel:
 *              http2-to-http ─ response-observer ─ [decompressor ─] chunked-writer ─ exchange
 * </pre>
 *
 * {@code raw} ({@code --raw}) sees the bytes before the decoder; {@code response-observer} sees the response
 * head before the decompressor ({@code --compressed}) rewrites it; {@code exchange} gets the body as the
 * output should have it.
 */
final class ClientInitializer extends ChannelInitializer<Channel> {

    static final String TLS = "tls";
    static final String ALPN = "alpn";
    static final String RAW = "raw";
    static final String HTTP_CODEC = "http-codec";
    static final String RESPONSE_OBSERVER = "response-observer";
    static final String DECOMPRESSOR = "decompressor";
    static final String CHUNKED_WRITER = "chunked-writer";
    static final String EXCHANGE = "exchange";
    static final String CONNECTION = "connection";
    static final String HTTP2_FRAME_CODEC = "http2-frame-codec";
    static final String HTTP2_MULTIPLEXER = "http2-multiplexer";
    static final String HTTP2_TO_HTTP = "http2-to-http";

    /** Stream flow-control window we grant the server: large enough to keep a loopback download busy. */
    static final int HTTP2_WINDOW = 1024 * 1024;

    private final ClientOptions options;
    private final SslContext sslContext;
    private final Target target;
    private final Trace trace;
    private ClientConnection connection;

    ClientInitializer(ClientOptions options, SslContext sslContext, Target target, Trace trace) {
        this.options = options;
        this.sslContext = sslContext;
        this.target = target;
        this.trace = trace;
    }

    void connection(ClientConnection value) {
        connection = value;
    }

    @Override
    protected void initChannel(Channel ch) {
        connection.channel(ch);
        ChannelPipeline p = ch.pipeline();
        if (sslContext != null) {
            SslHandler tls = sslContext.newHandler(ch.alloc(), target.host(), target.port());
            tls.setHandshakeTimeoutMillis(0); // the connect timeout and -m bound the handshake
            p.addLast(TLS, tls);
            p.addLast(ALPN, new AlpnHandler());
            p.addLast(CONNECTION, new ClientHandlers.ConnectionHandler());
        } else {
            p.addLast(CONNECTION, new ClientHandlers.ConnectionHandler());
            if (options.version() == ClientOptions.Version.HTTP_2_PRIOR_KNOWLEDGE) {
                addHttp2Before(p, CONNECTION);
                connection.ready("HTTP/2");
            } else {
                addHttp1Before(p, CONNECTION);
                connection.ready("HTTP/1.1");
            }
        }
    }

    private void addHttp1Before(ChannelPipeline p, String base) {
        if (options.raw()) {
            p.addBefore(base, RAW, new ClientHandlers.RawTeeHandler());
        }
        p.addBefore(base, HTTP_CODEC, new HttpClientCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(8192)
                .setMaxHeaderSize(options.maxHeaderSize()), false, false));
        p.addBefore(base, RESPONSE_OBSERVER, new ClientHandlers.ResponseObserver(options.maxHeaderSize()));
        if (options.compressed() && !options.raw()) {
            p.addBefore(base, DECOMPRESSOR, new HttpContentDecompressor(0));
        }
        p.addBefore(base, CHUNKED_WRITER, new ChunkedWriteHandler());
        p.addBefore(base, EXCHANGE, new ClientHandlers.ExchangeHandler());
    }

    private void addHttp2Before(ChannelPipeline p, String base) {
        p.addBefore(base, HTTP2_FRAME_CODEC, Http2FrameCodecBuilder.forClient()
                .initialSettings(Http2Settings.defaultSettings()
                        .pushEnabled(false)
                        .initialWindowSize(HTTP2_WINDOW)
                        .maxHeaderListSize(options.maxHeaderSize()))
                .build());
        p.addBefore(base, HTTP2_MULTIPLEXER, new Http2MultiplexHandler(new RefusePushedStream()));
    }

    /** The pipeline of each HTTP/2 request stream. */
    ChannelHandler streamInitializer() {
        return new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel stream) {
                ChannelPipeline p = stream.pipeline();
                p.addLast(HTTP2_TO_HTTP, new Http2StreamFrameToHttpObjectCodec(false));
                p.addLast(RESPONSE_OBSERVER, new ClientHandlers.ResponseObserver(options.maxHeaderSize()));
                if (options.compressed()) {
                    p.addLast(DECOMPRESSOR, new HttpContentDecompressor(0));
                }
                p.addLast(CHUNKED_WRITER, new ChunkedWriteHandler());
                p.addLast(EXCHANGE, new ClientHandlers.ExchangeHandler());
            }
        };
    }

    /** Server push is switched off in our SETTINGS; a stream the server opens anyway is closed. */
    @ChannelHandler.Sharable
    private static final class RefusePushedStream extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.close();
        }
    }

    /** After the handshake: HTTP/2 if ALPN chose h2 (or with prior knowledge), HTTP/1.1 otherwise. */
    private final class AlpnHandler extends ApplicationProtocolNegotiationHandler {
        AlpnHandler() {
            super(ApplicationProtocolNames.HTTP_1_1);
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            SslHandler tls = ctx.pipeline().get(SslHandler.class);
            if (trace.enabled() && tls != null) {
                SSLSession session = tls.engine().getSession();
                trace.info("SSL connection using " + session.getProtocol() + " / " + session.getCipherSuite());
                String selected = tls.applicationProtocol();
                trace.info(selected == null ? "ALPN: server did not agree on a protocol"
                        : "ALPN: server accepted " + selected);
                try {
                    trace.info("Server certificate: " + ((java.security.cert.X509Certificate)
                            session.getPeerCertificates()[0]).getSubjectX500Principal().getName());
                } catch (javax.net.ssl.SSLPeerUnverifiedException | ClassCastException ignored) {
                    // no certificate to show
                }
            }
            boolean h2 = ApplicationProtocolNames.HTTP_2.equals(protocol)
                    || options.version() == ClientOptions.Version.HTTP_2_PRIOR_KNOWLEDGE;
            if (h2) {
                addHttp2Before(ctx.pipeline(), CONNECTION);
                connection.ready("HTTP/2");
            } else {
                addHttp1Before(ctx.pipeline(), CONNECTION);
                connection.ready("HTTP/1.1");
            }
        }

        @Override
        protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
            connection.failed(cause);
            ctx.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            connection.failed(cause); // before ALPN: a handshake that broke off
            ctx.close();
        }
    }
}
