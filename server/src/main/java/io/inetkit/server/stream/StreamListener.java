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
import io.netty.channel.ChannelPipeline;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A TCP listener: accepts connections that pass the {@linkplain ConnectionLimiter limits} and gives each the
 * pipeline of its protocol, behind the connection-level handlers every TCP connection gets:
 *
 * <pre>
 *   socket ──► idle ──► (the protocol's pipeline: framer, echo, ...)
 *              └ closes the connection when nothing was read and no output moved for --idle-timeout
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

    static final String IDLE = "idle";
    static final String ADMISSION = "admission";
    static final String ACCEPT_ERRORS = "accept-errors";

    /** Outbound bytes queued per connection before it stops reading its peer. */
    public static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 64 * 1024);

    /**
     * Sizes each read's buffer from the last reads (64 B to 64 KiB, first guess 2 KiB, Netty's defaults). One
     * instance for every connection: Netty's default is an allocator object per connection.
     */
    static final RecvByteBufAllocator RECEIVE_BUFFERS = new AdaptiveRecvByteBufAllocator();

    private static final Logger log = LoggerFactory.getLogger(StreamListener.class);

    /** Builds the protocol's part of a connection's pipeline once the listener's meters exist. */
    public interface Protocol {
        /** A handler (typically a {@link ChannelInitializer}) added to every connection's pipeline. */
        ChannelHandler newHandler(StreamMeters meters, ServerContext context);
    }

    /** What the connections of a bound listener share; set once, before it accepts. */
    private record Serving(StreamMeters meters, ChannelHandler protocol) {
    }

    private final String protocolName;
    private final int port;
    private final String description;
    private final Protocol protocol;
    private volatile Channel channel;
    private volatile Serving serving;
    private String name;

    /**
     * @param protocolName {@code tcp}: the first part of the listener's name ({@code tcp/5005})
     * @param port         0 for any free port
     * @param description  what it speaks, e.g. the framing {@code line:8192}
     */
    public StreamListener(String protocolName, int port, String description, Protocol protocol) {
        this.protocolName = protocolName;
        this.port = port;
        this.description = description;
        this.protocol = protocol;
        this.name = protocolName + "/" + port;
    }

    @Override
    public void start(ServerContext context) {
        Duration idle = context.settings.limits().idleTimeout();
        ServerBootstrap b = new ServerBootstrap()
                .group(context.group)
                .channel(context.transport.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, RECEIVE_BUFFERS)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        initConnection(ch, context, idle);
                    }
                });
        ChannelFuture bound = b.bind(context.bindAddress, port).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw ServerStartException.bindFailed(protocolName, context.bindAddress, port, bound.cause());
        }
        Channel ch = bound.channel();
        InetSocketAddress address = (InetSocketAddress) ch.localAddress();
        name = protocolName + "/" + address.getPort();
        StreamMeters meters = new StreamMeters(context.metrics.registry(), name, description);
        serving = new Serving(meters, protocol.newHandler(meters, context));
        ch.pipeline().addFirst(ADMISSION, new AdmissionHandler(context.limiter, meters,
                context.rateLimitedLog(AdmissionHandler.log), context.settings.limits(), context.connections));
        ch.pipeline().addLast(ACCEPT_ERRORS, new AdmissionHandler.AcceptErrors(name, context.rateLimitedLog(log)));
        channel = ch;
        ch.config().setAutoRead(true);
        log.info("listening on {} {}:{} ({})", protocolName, address.getAddress().getHostAddress(), address.getPort(),
                description);
    }

    private void initConnection(Channel ch, ServerContext context, Duration idle) {
        Serving s = serving;
        ChannelPipeline p = ch.pipeline();
        if (!idle.isZero()) {
            p.addLast(IDLE, new IdleCloseHandler(s.meters(), idle.toNanos()));
        }
        p.addLast(s.protocol());
        if (context.limiter.draining()) {
            // admitted just before the stop began, registered just after it looked: drain it too
            ch.eventLoop().execute(() -> GracefulClose.close(ch, null, context.settings.drainTimeout()));
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
