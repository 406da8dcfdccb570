package io.inetkit.http;

import io.inetkit.server.EchoServer;
import io.inetkit.server.ServerSettings;
import io.inetkit.server.tls.Tls;

import java.time.Duration;

/**
 * The server's httpbin-style listener for the client's tests: a real {@link EchoServer} with one {@code --http}
 * or {@code --https} listener on a free loopback port.
 */
final class EchoTarget implements AutoCloseable {

    private final EchoServer server;

    private EchoTarget(Tls tls) {
        server = new EchoServer(ServerSettings.builder()
                .http(0, tls)
                .ioThreads(1)
                .drainTimeout(Duration.ofSeconds(1))
                .build()).start();
    }

    /** {@code --http 0}: HTTP/1.1 and h2c. */
    static EchoTarget http() {
        return new EchoTarget(Tls.none());
    }

    /** {@code --https 0} with {@code tls}: HTTP/1.1 and HTTP/2 by ALPN. */
    static EchoTarget https(Tls tls) {
        return new EchoTarget(tls);
    }

    int port() {
        return server.httpAddresses().get(0).getPort();
    }

    void stop() {
        server.stop();
    }

    @Override
    public void close() {
        stop();
    }
}
