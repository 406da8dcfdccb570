package io.inetkit.server.http;

import io.inetkit.server.ServerContext;
import io.inetkit.server.ServerSettings;
import io.inetkit.server.stream.ProxyHeaderHandler;
import io.inetkit.server.stream.StreamMeters;
import io.inetkit.server.stream.StreamProtocol;
import io.inetkit.server.tls.ServerTls;
import io.inetkit.server.tls.TlsFront;
import io.inetkit.server.tls.TlsMeters;
import io.inetkit.server.ws.WebSocketMeters;
import io.inetkit.server.ws.WebSocketRoute;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http2.Http2FrameCodec;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The httpbin-style HTTP echo ({@code --http PORT}: HTTP/1.1 and h2c; {@code --https PORT}: HTTP/1.1 and
 * HTTP/2 by ALPN) as one more protocol of a {@code StreamListener}, so its connections pass the server's
 * limits, idle timeout, drain and per-listener metrics exactly as the TCP echo's do. The pipeline is
 * {@link HttpEchoInitializer}'s; the endpoints are listed on {@link HttpEchoHandler}.
 *
 * <p>A stop ({@link #drain}): an HTTP/1.1 connection with no request in flight closes at once; one with a
 * request in flight finishes its response, says {@code Connection: close} in it and closes
 * ({@link HttpDrainHandler}); an HTTP/2 connection sends GOAWAY and closes when its open streams finish,
 * within the drain timeout.
 */
public final class HttpProtocol implements StreamProtocol {

    private final HttpEchoSettings settings;
    private final ServerTls tls;
    private final boolean proxy;

    private HttpProtocol(HttpEchoSettings settings, ServerTls tls, boolean proxy) {
        this.settings = settings;
        this.tls = tls;
        this.proxy = proxy;
    }

    /** ALPN's offer on an HTTPS listener: HTTP/2 first. */
    public static final java.util.List<String> ALPN = java.util.List.of(
            io.netty.handler.ssl.ApplicationProtocolNames.HTTP_2, io.netty.handler.ssl.ApplicationProtocolNames.HTTP_1_1);

    /**
     * The protocol of one {@code --http}/{@code --https} listener.
     *
     * @param tls the listener's certificates (with {@link #ALPN}), or null for cleartext
     */
    public static HttpProtocol of(ServerSettings.HttpListener listener, ServerTls tls) {
        return new HttpProtocol(listener.echo(), tls, listener.proxy());
    }

    /** The listener's TLS, or null. */
    public ServerTls tls() {
        return tls;
    }

    @Override
    public boolean proxyProtocol() {
        return proxy;
    }

    @Override
    public String name() {
        return tls == null ? "http" : "https";
    }

    @Override
    public String description() {
        String speaks = tls == null ? "HTTP/1.1 and h2c" : "HTTPS: HTTP/1.1 and HTTP/2 by ALPN";
        return proxy ? speaks + ", PROXY header" : speaks;
    }

    @Override
    public ChannelHandler newInitializer(StreamMeters meters, ServerContext context) {
        MeterRegistry registry = context.metrics.registry();
        Counter headTimeouts = Counter.builder("inetkit.http.request.timeouts").tag("listener", meters.name)
                .tag("phase", "head").description("HTTP/1.1 connections closed: no whole request head in time")
                .register(registry);
        Counter bodyTimeouts = Counter.builder("inetkit.http.request.timeouts").tag("listener", meters.name)
                .tag("phase", "body").description("HTTP/1.1 connections closed: a request body under the minimum rate")
                .register(registry);
        Counter http2Floods = Counter.builder("inetkit.http2.floods").tag("listener", meters.name)
                .description("HTTP/2 connections closed with ENHANCE_YOUR_CALM: a SETTINGS or PING flood")
                .register(registry);
        Counter refused = Counter.builder("inetkit.http.body.budget.refused").tag("listener", meters.name)
                .description("HTTP requests answered 503: their body did not fit in the body budget")
                .register(registry);
        BodyBudget budget = new BodyBudget(settings.bodyBudget(), refused,
                context.rateLimitedLog(LoggerFactory.getLogger(BodyBudgetHandler.class)));
        Gauge.builder("inetkit.http.body.budget.used", budget, BodyBudget::used).tag("listener", meters.name)
                .baseUnit("bytes").description("Bytes of request bodies the listener holds now")
                .strongReference(true).register(registry);
        Gauge.builder("inetkit.http.body.budget.limit", budget, BodyBudget::limit).tag("listener", meters.name)
                .baseUnit("bytes").description("Bytes of request bodies the listener may hold at once")
                .strongReference(true).register(registry);
        Counter allocationFailures = Counter.builder("inetkit.http.allocation.failures").tag("listener", meters.name)
                .description("HTTP connections closed because an allocation failed (out of heap or direct memory)")
                .register(registry);
        ConnectionErrorHandler errors = new ConnectionErrorHandler(allocationFailures,
                context.rateLimitedLog(LoggerFactory.getLogger(ConnectionErrorHandler.class)));
        TlsFront front = tls == null ? null : new TlsFront(tls, new TlsMeters(registry, meters.name),
                context.rateLimitedLog(LoggerFactory.getLogger(TlsFront.class)));
        return new HttpEchoInitializer(settings, front, meters, context.settings.limits().idleTimeout(),
                new ListenerGuards(headTimeouts, bodyTimeouts, http2Floods, budget, errors),
                ProxyHeaderHandler.requirement(meters, context, proxy), new WebSocketMeters(registry, meters.name));
    }

    @Override
    public void drain(Channel ch, Duration linger) {
        if (WebSocketRoute.upgraded(ch)) {
            WebSocketRoute.drain(ch, linger); // a /ws connection: close 1001, then the client's close
            return;
        }
        Http2FrameCodec http2 = ch.pipeline().get(Http2FrameCodec.class);
        if (http2 != null) {
            http2.gracefulShutdownTimeoutMillis(linger.toMillis());
            ch.close(); // the codec's close: GOAWAY, then the close once the open streams are done
            return;
        }
        if (ch.pipeline().get(HttpEchoInitializer.HTTP_DRAIN) instanceof HttpDrainHandler http1) {
            http1.drain();
            ch.eventLoop().schedule(() -> ch.close(), linger.toNanos(), TimeUnit.NANOSECONDS);
            return;
        }
        ch.close(); // no request yet (or a TLS handshake): nothing is owed
    }
}
