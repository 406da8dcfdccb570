package io.inetkit.server.admin;

import io.inetkit.server.Listener;
import io.inetkit.server.ServerContext;
import io.inetkit.server.ServerSettings;
import io.inetkit.server.ServerStartException;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.util.NetUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The admin HTTP listener ({@code --admin 127.0.0.1:9505}): {@code /metrics} and {@code /health}, on the
 * server's event loops. The server closes it last, so {@code /health} answers 503 through the drain.
 * Its connections' pipeline is {@link AdminInitializer}'s.
 */
public final class AdminListener implements Listener {

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
                .childHandler(new AdminInitializer(admin));
        ChannelFuture bound = b.bind(address, endpoint.port()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            ServerStartException e = ServerStartException.bindFailed("admin http", address, endpoint.port(), bound.cause());
            throw new ServerStartException(e.getMessage() + " (--admin off disables it)", bound.cause());
        }
        channel = bound.channel();
        InetSocketAddress a = localAddress();
        log.info("admin listening on http {} (/metrics, /health)", NetUtil.toSocketAddressString(a));
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
