package io.inetkit.server.stream;

import io.inetkit.server.Listener;
import io.inetkit.server.ServerContext;
import io.inetkit.server.ServerStartException;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.NetUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A TCP listener of one {@link StreamProtocol}: accepts connections that pass the
 * {@linkplain ConnectionLimiter limits} and gives each the whole pipeline of its protocol (whose initializer
 * puts the connection-level handlers every protocol shares, such as {@value #IDLE}, first).
 *
 * <pre>
 *   listening socket ──► admission ──► acceptor ──► accept-errors      ({@link AdmissionHandler})
 *   connection       ──► (the protocol's initializer: idle, framer, echo, errors, ...)
 * </pre>
 *
 * Every connection is registered with the server for the drain, counted in {@code inetkit_connections_*},
 * and its accept and close are logged at DEBUG ({@link AdmissionHandler}). The listening socket is bound
 * with reading off, and only starts accepting once its meters exist (port 0 is named after the port it got).
 *
 * <p>An idle connection costs its channel, a pipeline of a few handlers (the stateless ones shared by every
 * connection of the listener), one idle check scheduled on its event loop, and no buffer: the receive buffer
 * is taken from the pool for each read and goes back out with the echo.
 */
public final class StreamListener implements Listener {

    /** The idle-timeout handler ({@link IdleCloseHandler}): first in every protocol's pipeline. */
    public static final String IDLE = "idle";
    static final String ADMISSION = "admission";
    static final String ACCEPT_ERRORS = "accept-errors";

    /**
     * Outbound bytes queued per connection before it stops reading its peer (32 KiB, reading again below
     * 16 KiB). What a peer that never reads can make the server hold is this, plus the one read that passed it,
     * plus its decoder's unfinished frame: about 32 KiB + 32 KiB + MAX ({@code SlowReaderIT} measures it).
     */
    public static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(16 * 1024, 32 * 1024);

    /**
     * Sizes each read's buffer from the last reads (64 B to 32 KiB, first guess 2 KiB). Netty's default top of
     * 64 KiB let the one read that passes the high water mark double what a stalled peer holds, and its
     * decoder's cumulation grow to 128 KiB. One instance for every connection: Netty's default is an
     * allocator object per connection. On epoll and NIO its handle is one per event loop, not one per
     * connection ({@link EventLoopRecvByteBufAllocator}).
     */
    static final RecvByteBufAllocator RECEIVE_BUFFERS = new AdaptiveRecvByteBufAllocator(64, 2048, 32 * 1024);

    private static final Logger log = LoggerFactory.getLogger(StreamListener.class);

    /** What the connections of a bound listener share; set once, before it accepts. */
    private record Serving(StreamMeters meters, ChannelHandler initializer) {
    }

    private final int port;
    private final StreamProtocol protocol;
    private volatile Channel channel;
    private volatile Serving serving;
    private volatile ServerContext context;
    private String name;

    /** @param port 0 for any free port */
    public StreamListener(int port, StreamProtocol protocol) {
        this.port = port;
        this.protocol = protocol;
        this.name = protocol.name() + "/" + port;
    }

    @Override
    public void start(ServerContext context) {
        this.context = context;
        ServerBootstrap b = new ServerBootstrap()
                .group(context.group)
                .channel(context.transport.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR,
                        EventLoopRecvByteBufAllocator.forTransport(context.transport, RECEIVE_BUFFERS))
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        initConnection(ch, context);
                    }
                });
        ChannelFuture bound = b.bind(context.bindAddress, port).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw ServerStartException.bindFailed(protocol.name(), context.bindAddress, port, bound.cause());
        }
        Channel ch = bound.channel();
        InetSocketAddress address = (InetSocketAddress) ch.localAddress();
        name = protocol.name() + "/" + address.getPort();
        StreamMeters meters = new StreamMeters(context.metrics.registry(), name, protocol.description(),
                protocol.proxyProtocol());
        serving = new Serving(meters, protocol.newInitializer(meters, context));
        ch.pipeline().addFirst(ADMISSION, new AdmissionHandler(context.limiter, meters,
                context.rateLimitedLog(AdmissionHandler.log), context.settings.limits(), context.connections,
                protocol.proxyProtocol() ? context.settings.proxyProtocol() : null));
        ch.pipeline().addLast(ACCEPT_ERRORS, new AdmissionHandler.AcceptErrors(name, context.rateLimitedLog(log)));
        channel = ch;
        ch.config().setAutoRead(true);
        log.info("listening on {} {} ({})", protocol.name(), NetUtil.toSocketAddressString(address),
                protocol.description());
    }

    private void initConnection(Channel ch, ServerContext context) {
        ch.pipeline().addLast(serving.initializer());
        if (context.limiter.draining()) {
            // admitted just before the stop began, registered just after it looked: drain it too
            Duration linger = context.settings.drainTimeout();
            ch.eventLoop().execute(() -> protocol.drain(ch, linger));
        }
    }

    /**
     * Begins the drain of every open connection of this listener ({@link StreamProtocol#drain}); the server
     * calls it once it has closed the listening socket, and then waits for {@link ServerContext#connections}.
     */
    public void drain(Duration linger) {
        Channel listening = channel;
        ServerContext c = context;
        if (listening == null || c == null) {
            return;
        }
        for (Channel ch : c.connections) {
            if (ch.parent() == listening) {
                ch.eventLoop().execute(() -> protocol.drain(ch, linger));
            }
        }
    }


    @Override
    public String name() {
        return name;
    }

    @Override
    public InetSocketAddress localAddress() {
        Channel ch = channel;
        return ch == null ? null : (InetSocketAddress) ch.localAddress();
    }

    @Override
    public void close() {
        Channel ch = channel;
        if (ch != null) {
            ch.close().awaitUninterruptibly();
        }
    }

    /** The meters of this listener; null before {@link #start}. */
    public StreamMeters meters() {
        Serving s = serving;
        return s == null ? null : s.meters();
    }

    @Override
    public String summary() {
        Serving s = serving;
        return s == null ? name + ": not started" : s.meters().summary();
    }
}
