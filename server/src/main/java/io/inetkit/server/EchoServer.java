package io.inetkit.server;

import io.inetkit.common.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The echo server: TCP listeners, each with its framing, and UDP listeners, on one event loop group.
 *
 * <p>One lifecycle: {@link #start()} returns once every listener is bound (port 0 takes any free port:
 * see {@link #tcpAddresses()}); {@link #stop()} drains: it stops accepting, echoes what was already
 * received, closes each connection gracefully, and gives up waiting after the drain timeout.
 *
 * <pre>{@code
 * EchoServer server = new EchoServer(ServerSettings.builder().tcp(0, Framing.parse("line")).build()).start();
 * int port = server.tcpAddresses().get(0).getPort();
 * ...
 * server.stop();
 * }</pre>
 */
public final class EchoServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EchoServer.class);

    /** Outbound bytes queued per connection before it stops reading its peer. */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 64 * 1024);

    private final ServerSettings settings;
    private final List<ListenerStats> stats = new ArrayList<>();
    private final List<Channel> listeners = new ArrayList<>();
    private final List<InetSocketAddress> tcpAddresses = new ArrayList<>();
    private final List<InetSocketAddress> udpAddresses = new ArrayList<>();
    private final ChannelGroup connections = new DefaultChannelGroup("connections", GlobalEventExecutor.INSTANCE);
    private Transport transport;
    private EventLoopGroup group;
    private boolean stopped;

    public EchoServer(ServerSettings settings) {
        this.settings = settings;
    }

    /**
     * Binds every listener; returns once all are bound.
     *
     * @throws ServerStartException when an address cannot be bound or resolved, or the transport is unavailable;
     *                              nothing stays bound then
     */
    public synchronized EchoServer start() {
        if (group != null) {
            throw new IllegalStateException("already started");
        }
        Transport.Selection selection;
        try {
            selection = Transport.select(settings.transport());
        } catch (IllegalArgumentException e) {
            throw new ServerStartException(e.getMessage(), e);
        }
        transport = selection.transport();
        if (selection.fallbackReason() != null) {
            log.info("transport {} ({})", transport.label(), selection.fallbackReason());
        } else {
            log.info("transport {}", transport.label());
        }
        InetAddress bindAddress;
        try {
            bindAddress = InetAddress.getByName(settings.bind());
        } catch (UnknownHostException e) {
            throw new ServerStartException("cannot resolve bind address '" + settings.bind() + "'", e);
        }
        group = transport.newGroup(settings.ioThreads(), "inetkit-io");
        try {
            for (ServerSettings.TcpListener l : settings.tcp()) {
                bindTcp(bindAddress, l);
            }
            for (ServerSettings.UdpListener l : settings.udp()) {
                bindUdp(bindAddress, l);
            }
        } catch (RuntimeException e) {
            listeners.forEach(Channel::close);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            group = null;
            throw e;
        }
        return this;
    }

    private void bindTcp(InetAddress address, ServerSettings.TcpListener l) {
        String name = "tcp/" + l.port() + " " + l.framing().spec();
        ListenerStats s = new ListenerStats(name);
        EchoServerInitializer initializer = new EchoServerInitializer(l.framing(), s);
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(new io.netty.channel.ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.add(ch);
                        ch.pipeline().addLast(initializer);
                    }
                });
        Channel ch = bind("tcp", address, l.port(), b.bind(address, l.port()));
        InetSocketAddress bound = (InetSocketAddress) ch.localAddress();
        s.name = "tcp/" + bound.getPort() + " " + l.framing().spec();
        tcpAddresses.add(bound);
        stats.add(s);
        log.info("listening on tcp {}:{} ({})", bound.getAddress().getHostAddress(), bound.getPort(), l.framing().spec());
    }

    private void bindUdp(InetAddress address, ServerSettings.UdpListener l) {
        String name = "udp/" + l.port();
        ListenerStats s = new ListenerStats(name);
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(transport.datagramChannelClass())
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(new UdpEchoHandler(s));
        Channel ch = bind("udp", address, l.port(), b.bind(address, l.port()));
        InetSocketAddress bound = (InetSocketAddress) ch.localAddress();
        s.name = "udp/" + bound.getPort();
        udpAddresses.add(bound);
        stats.add(s);
        log.info("listening on udp {}:{}", bound.getAddress().getHostAddress(), bound.getPort());
    }

    private Channel bind(String proto, InetAddress address, int port, ChannelFuture future) {
        future.awaitUninterruptibly();
        if (!future.isSuccess()) {
            Throwable cause = future.cause();
            String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            if (why.contains("Address already in use")) {
                why = "address already in use";
            } else if (why.contains("Permission denied") || why.contains("permission denied")) {
                why = "permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)";
            } else if (cause instanceof IOException && why.contains("Cannot assign requested address")) {
                why = "no such local address";
            }
            throw new ServerStartException("cannot listen on " + proto + " " + address.getHostAddress() + ":" + port
                    + ": " + why, cause);
        }
        listeners.add(future.channel());
        return future.channel();
    }

    /** The bound address of each TCP listener, in the order of {@link ServerSettings#tcp()}. */
    public List<InetSocketAddress> tcpAddresses() {
        return List.copyOf(tcpAddresses);
    }

    /** The bound address of each UDP listener, in the order of {@link ServerSettings#udp()}. */
    public List<InetSocketAddress> udpAddresses() {
        return List.copyOf(udpAddresses);
    }

    /** The transport in use; null before {@link #start()}. */
    public Transport transport() {
        return transport;
    }

    /** Open TCP connections. */
    public int activeConnections() {
        return connections.size();
    }

    /**
     * Drains and stops: closes the listeners, lets every connection finish (each stops echoing, flushes
     * what it owes, sends FIN and waits for the peer's close), and after the drain timeout closes what is
     * left. Idempotent.
     *
     * @return true when every connection finished within the drain timeout
     */
    public boolean stop() {
        EventLoopGroup g;
        synchronized (this) {
            if (group == null || stopped) {
                return true;
            }
            stopped = true;
            g = group;
        }
        long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
        for (Channel l : listeners) {
            l.close().awaitUninterruptibly();
        }
        Duration linger = settings.drainTimeout();
        for (Channel ch : connections) {
            ch.eventLoop().execute(() -> GracefulClose.close(ch, null, linger));
        }
        boolean clean = connections.newCloseFuture()
                .awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (!clean) {
            log.warn("drain timeout ({} ms): closing {} connections that did not finish",
                    settings.drainTimeout().toMillis(), connections.size());
            connections.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
        g.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
        for (ListenerStats s : stats) {
            log.info("{}", s.summary());
        }
        return clean;
    }

    @Override
    public void close() {
        stop();
    }

    /** Counters of each listener, TCP first, in settings order (for tests and the drain report). */
    List<ListenerStats> stats() {
        return List.copyOf(stats);
    }
}
