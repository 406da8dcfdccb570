package io.inetkit.http.pipeline;

import io.inetkit.http.ClientOptions;
import io.inetkit.http.Target;
import io.inetkit.http.output.Trace;
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

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The pipelines of one client connection, every route top to bottom ({@code [..]} only with its flag):
 *
 * <pre>
 *   HTTP/1.1, http://             [raw] ─ http-codec ─ response-observer ─ [decompressor] ─ chunked-writer ─ exchange
 *   HTTP/2 prior knowledge, h2c   http2-frame-codec ─ http2-multiplexer ─ go-away ─ exchange
 *   https://, until ALPN          tls ─ alpn
 *     ALPN chose http/1.1         tls ─ [raw] ─ http-codec ─ response-observer ─ [decompressor] ─ chunked-writer ─ exchange
 *     ALPN chose h2 (or -prior-)  tls ─ http2-frame-codec ─ http2-multiplexer ─ go-away ─ exchange
 *   each HTTP/2 request stream    http2-to-http ─ response-observer ─ [decompressor] ─ chunked-writer ─ exchange
 * </pre>
 *
 * {@code raw} ({@code --raw}, HTTP/1.1 only) sees the bytes before the decoder; {@code response-observer}
 * sees the response head before the decompressor ({@code --compressed}, not with {@code --raw}) rewrites
 * it; {@code exchange} gets the body as the output should have it, and the close or failure of its
 * channel. On the connection's own pipeline the handlers feed the connection's current exchange
 * ({@link ConnectionState}); on a stream's, the stream's exchange. {@code alpn} takes itself out once it
 * has added the rest. There is no {@code Upgrade: h2c} route: {@code --http2} on http:// sends HTTP/1.1.
 */
public final class HttpClientInitializer extends ChannelInitializer<Channel> {

    static final String TLS = "tls";
    static final String ALPN = "alpn";
    static final String RAW = "raw";
    static final String HTTP_CODEC = "http-codec";
    static final String RESPONSE_OBSERVER = "response-observer";
    static final String DECOMPRESSOR = "decompressor";
    static final String CHUNKED_WRITER = "chunked-writer";
    static final String EXCHANGE = "exchange";
    static final String HTTP2_FRAME_CODEC = "http2-frame-codec";
    static final String HTTP2_MULTIPLEXER = "http2-multiplexer";
    static final String GO_AWAY = "go-away";
    static final String HTTP2_TO_HTTP = "http2-to-http";

    /** The protocol a connection speaks once its pipeline is in place, as curl names it. */
    public static final String PROTOCOL_HTTP_1_1 = "HTTP/1.1";
    public static final String PROTOCOL_HTTP_2 = "HTTP/2";

    /** Stream flow-control window we grant the server: large enough to keep a loopback download busy. */
    static final int HTTP2_WINDOW = 1024 * 1024;
    /** The longest status line accepted (Netty's default is 4096; curl takes longer ones). */
    static final int MAX_STATUS_LINE = 8192;

    /** How a connection starts: where the first byte it sends is HTTP. */
    enum Route {
        /** http:// with HTTP/1.1 (the default, {@code --http1.1}, {@code --http2}). */
        HTTP_1_1,
        /** http:// with {@code --http2-prior-knowledge}: h2c from the first byte. */
        HTTP_2_PRIOR_KNOWLEDGE,
        /** https://: the TLS handshake, then what ALPN chose. */
        TLS_ALPN
    }

    private final ClientOptions options;
    private final SslContext sslContext;
    private final Target target;
    private final Trace trace;
    private final ConnectionState state = new ConnectionState();
    private final CompletableFuture<String> ready = new CompletableFuture<>();

    /** @param sslContext the client's TLS context for an https:// target, null for http:// */
    public HttpClientInitializer(ClientOptions options, SslContext sslContext, Target target, Trace trace) {
        this.options = options;
        this.sslContext = sslContext;
        this.target = target;
        this.trace = trace;
    }

    Route route() {
        if (sslContext != null) {
            return Route.TLS_ALPN;
        }
        return options.version() == ClientOptions.Version.HTTP_2_PRIOR_KNOWLEDGE
                ? Route.HTTP_2_PRIOR_KNOWLEDGE : Route.HTTP_1_1;
    }

    /** What the connection's handlers share. */
    public ConnectionState state() {
        return state;
    }

    /**
     * Completes with {@link #PROTOCOL_HTTP_1_1} or {@link #PROTOCOL_HTTP_2} once the connection can carry
     * requests (at once for http://, after the handshake and ALPN for https://), or with what broke the
     * handshake.
     */
    public CompletableFuture<String> ready() {
        return ready;
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        switch (route()) {
            case HTTP_1_1 -> http1(p);
            case HTTP_2_PRIOR_KNOWLEDGE -> http2(p);
            case TLS_ALPN -> {
                SslHandler tls = sslContext.newHandler(ch.alloc(), target.host(), target.port());
                tls.setHandshakeTimeoutMillis(0); // the connect timeout and -m bound the handshake
                p.addLast(TLS, tls);
                p.addLast(ALPN, new AlpnHandler());
            }
        }
    }

    private void http1(ChannelPipeline p) {
        Supplier<Exchange> current = state::current;
        if (options.raw()) {
            p.addLast(RAW, new RawTeeHandler(current));
        }
        p.addLast(HTTP_CODEC, new HttpClientCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_STATUS_LINE)
                .setMaxHeaderSize(options.maxHeaderSize()), false, false));
        p.addLast(RESPONSE_OBSERVER, new ResponseObserver(current, PROTOCOL_HTTP_1_1, options.maxHeaderSize()));
        if (options.compressed() && !options.raw()) {
            p.addLast(DECOMPRESSOR, new HttpContentDecompressor(0));
        }
        p.addLast(CHUNKED_WRITER, new ChunkedWriteHandler());
        p.addLast(EXCHANGE, new ExchangeHandler(current));
        ready.complete(PROTOCOL_HTTP_1_1);
    }

    private void http2(ChannelPipeline p) {
        p.addLast(HTTP2_FRAME_CODEC, Http2FrameCodecBuilder.forClient()
                .initialSettings(Http2Settings.defaultSettings()
                        .pushEnabled(false)
                        .initialWindowSize(HTTP2_WINDOW)
                        .maxHeaderListSize(options.maxHeaderSize()))
                .build());
        p.addLast(HTTP2_MULTIPLEXER, new Http2MultiplexHandler(RefusePushedStream.INSTANCE));
        p.addLast(GO_AWAY, new GoAwayHandler(state));
        p.addLast(EXCHANGE, new ExchangeHandler(state::current));
        ready.complete(PROTOCOL_HTTP_2);
    }

    /** The pipeline of the HTTP/2 stream that carries {@code exchange}. */
    public ChannelHandler streamInitializer(Exchange exchange) {
        return new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel stream) {
                stream(stream.pipeline(), () -> exchange);
            }
        };
    }

    private void stream(ChannelPipeline p, Supplier<Exchange> exchange) {
        p.addLast(HTTP2_TO_HTTP, new Http2StreamFrameToHttpObjectCodec(false));
        p.addLast(RESPONSE_OBSERVER, new ResponseObserver(exchange, PROTOCOL_HTTP_2, options.maxHeaderSize()));
        if (options.compressed()) {
            p.addLast(DECOMPRESSOR, new HttpContentDecompressor(0));
        }
        p.addLast(CHUNKED_WRITER, new ChunkedWriteHandler());
        p.addLast(EXCHANGE, new ExchangeHandler(exchange));
    }

    /** h2 when ALPN chose it, or with {@code --http2-prior-knowledge} whatever ALPN said. */
    boolean http2After(String alpnProtocol) {
        return ApplicationProtocolNames.HTTP_2.equals(alpnProtocol)
                || options.version() == ClientOptions.Version.HTTP_2_PRIOR_KNOWLEDGE;
    }

    /** Server push is switched off in our SETTINGS; a stream the server opens anyway is closed. */
    @ChannelHandler.Sharable
    private static final class RefusePushedStream extends ChannelInboundHandlerAdapter {
        static final RefusePushedStream INSTANCE = new RefusePushedStream();

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.close();
        }
    }

    /** After the handshake, the rest of the route for what ALPN chose (HTTP/1.1 when it chose nothing). */
    private final class AlpnHandler extends ApplicationProtocolNegotiationHandler {
        AlpnHandler() {
            super(ApplicationProtocolNames.HTTP_1_1);
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            SslHandler tls = ctx.pipeline().get(SslHandler.class);
            if (trace.enabled() && tls != null) {
                traceSession(tls);
            }
            if (http2After(protocol)) {
                http2(ctx.pipeline());
            } else {
                http1(ctx.pipeline());
            }
        }

        private void traceSession(SslHandler tls) {
            SSLSession session = tls.engine().getSession();
            trace.info("SSL connection using " + session.getProtocol() + " / " + session.getCipherSuite());
            String selected = tls.applicationProtocol();
            trace.info(selected == null ? "ALPN: server did not agree on a protocol" : "ALPN: server accepted " + selected);
            try {
                if (session.getPeerCertificates()[0] instanceof X509Certificate certificate) {
                    trace.info("Server certificate: " + certificate.getSubjectX500Principal().getName());
                }
            } catch (SSLPeerUnverifiedException ignored) {
                // no certificate to show
            }
        }

        @Override
        protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
            ready.completeExceptionally(cause);
            ctx.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ready.completeExceptionally(cause); // before ALPN: a handshake that broke off
            ctx.close();
        }
    }
}
