package io.inetkit.server.admin;

import io.inetkit.server.Listener;
import io.inetkit.server.ServerContext;
import io.inetkit.server.ServerSettings;
import io.inetkit.server.ServerStartException;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.ReadTimeoutHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The admin HTTP listener ({@code --admin 127.0.0.1:9505}): {@code /metrics} and {@code /health}, on the
 * server's event loops. The server closes it last, so {@code /health} answers 503 through the drain.
 *
 * <pre>
 *   socket ──► read-timeout ──► http ──► keep-alive ──► aggregator ──► admin
 *              └ 30 s without a request: close        └ whole requests (8 KiB at most)
 * </pre>
 */
public final class AdminListener implements Listener {

    static final String READ_TIMEOUT = "read-timeout";
    static final String HTTP = "http";
    static final String KEEP_ALIVE = "keep-alive";
    static final String AGGREGATOR = "aggregator";
    static final String ADMIN = "admin";
    static final int READ_TIMEOUT_SECONDS = 30;

    private static final Logger log = LoggerFactory.getLogger(AdminListener.class);

    private final ServerSettings.Admin endpoint;
    private final Supplier<String> metrics;
    private final BooleanSupplier serving;
    private Channel channel;

    public AdminListener(ServerSettings.Admin endpoint, Supplier<String> metrics, BooleanSupplier serving) {
        this.endpoint = endpoint;
        this.metrics = metrics;
        this.serving = serving;
    }

    @Override
    public void start(ServerContext context) {
        InetAddress address;
        try {
            address = InetAddress.getByName(endpoint.host());
        } catch (UnknownHostException e) {
            throw new ServerStartException("cannot resolve admin address '" + endpoint.host() + "'", e);
        }
        AdminHandler admin = new AdminHandler(metrics, serving);
        ServerBootstrap b = new ServerBootstrap()
                .group(context.group)
                .channel(context.transport.serverChannelClass())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ChannelPipeline p = ch.pipeline();
                        p.addLast(READ_TIMEOUT, new ReadTimeoutHandler(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS));
                        p.addLast(HTTP, new HttpServerCodec());
                        p.addLast(KEEP_ALIVE, new HttpServerKeepAliveHandler());
                        p.addLast(AGGREGATOR, new HttpObjectAggregator(8192));
                        p.addLast(ADMIN, admin);
                    }
                });
        ChannelFuture bound = b.bind(address, endpoint.port()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            ServerStartException e = ServerStartException.bindFailed("admin http", address, endpoint.port(), bound.cause());
            throw new ServerStartException(e.getMessage() + " (--admin off disables it)", bound.cause());
        }
        channel = bound.channel();
        InetSocketAddress a = localAddress();
        log.info("admin listening on http {}:{} (/metrics, /health)", a.getAddress().getHostAddress(), a.getPort());
    }

    @Override
    public String name() {
        InetSocketAddress a = localAddress();
        return "admin/" + (a == null ? endpoint.port() : a.getPort());
    }

    @Override
    public InetSocketAddress localAddress() {
        return channel == null ? null : (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().awaitUninterruptibly();
        }
    }

    @Override
    public String summary() {
        return name();
    }
}
