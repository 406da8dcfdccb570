package io.inetkit.server.http;

import io.inetkit.server.Listener;
import io.inetkit.server.ServerContext;
import io.inetkit.server.ServerSettings;
import io.inetkit.server.ServerStartException;

import io.inetkit.server.http.HttpEchoServer;
import io.inetkit.server.http.HttpEchoSettings;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The httpbin-style HTTP echo of the http module ({@code /ip}, {@code /get}, {@code /status/{code}}, ...)
 * mounted on the server's event loops: {@code --http PORT} (HTTP/1.1 and h2c) and {@code --https PORT}
 * (HTTP/1.1 and HTTP/2 by ALPN). It keeps its own request limits and closes its connections when the
 * server stops.
 */
public final class HttpListener implements Listener {

    private final ServerSettings.HttpListener spec;
    private volatile HttpEchoServer server;

    public HttpListener(ServerSettings.HttpListener spec) {
        this.spec = spec;
    }

    @Override
    public void start(ServerContext context) {
        HttpEchoSettings settings = HttpEchoSettings.of(spec.port())
                .withBindAddress(context.bindAddress)
                .withTls(spec.tls());
        try {
            server = new HttpEchoServer(settings, context.group, context.transport).start();
        } catch (IOException e) {
            throw new ServerStartException(e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        HttpEchoServer s = server;
        return (spec.isTls() ? "https/" : "http/") + (s == null ? spec.port() : s.port());
    }

    @Override
    public InetSocketAddress localAddress() {
        HttpEchoServer s = server;
        return s == null ? null : s.localAddress();
    }

    @Override
    public void close() {
        HttpEchoServer s = server;
        if (s != null) {
            s.stop();
        }
    }

    @Override
    public String summary() {
        return name() + ": HTTP echo stopped";
    }
}
