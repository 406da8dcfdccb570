package io.inetkit.server.http;

import io.inetkit.server.RateLimitedLog;
import io.inetkit.server.ServerSettings;
import io.inetkit.server.stream.ConnectionLimiter;
import io.inetkit.server.stream.ProxyHeaderHandler;
import io.inetkit.server.stream.TestMeters;

import io.inetkit.server.ws.WebSocketMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.inetkit.server.tls.TlsFront;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** {@link HttpEchoInitializer}s for tests: meters of their own, a body budget of {@code settings}. */
final class TestInitializers {

    private TestInitializers() {
    }

    static HttpEchoInitializer of(HttpEchoSettings settings, TlsFront tls, Duration idleTimeout) {
        return of(settings, tls, idleTimeout, budget(settings.bodyBudget()));
    }

    static HttpEchoInitializer of(HttpEchoSettings settings, TlsFront tls, Duration idleTimeout, BodyBudget budget) {
        return of(settings, tls, idleTimeout, budget, ProxyHeaderHandler.Requirement.NONE);
    }

    static HttpEchoInitializer of(HttpEchoSettings settings, TlsFront tls, Duration idleTimeout, BodyBudget budget,
                                  ProxyHeaderHandler.Requirement proxy) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        return new HttpEchoInitializer(settings, tls, TestMeters.of("http/0"), idleTimeout, new ListenerGuards(
                registry.counter("head-timeouts"), registry.counter("body-timeouts"), registry.counter("http2-floods"),
                budget, new ConnectionErrorHandler(registry.counter("allocation-failures"),
                        log(ConnectionErrorHandler.class))), proxy, new WebSocketMeters(registry, "http/0"));
    }

    /** A PROXY header first, from a balancer on loopback, under the default limits. */
    static ProxyHeaderHandler.Requirement proxyHeader() {
        return new ProxyHeaderHandler.Requirement(true, TestMeters.proxied("http/0"),
                new ConnectionLimiter(ServerSettings.Limits.DEFAULT), log(ProxyHeaderHandler.class),
                ServerSettings.Limits.DEFAULT, TimeUnit.SECONDS.toNanos(5));
    }

    static BodyBudget budget(long limit) {
        return new BodyBudget(limit, new SimpleMeterRegistry().counter("refused"), log(BodyBudgetHandler.class));
    }

    static RateLimitedLog log(Class<?> owner) {
        return new RateLimitedLog(LoggerFactory.getLogger(owner), 5);
    }
}
