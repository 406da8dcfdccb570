package io.inetkit.server.udp;

import io.inetkit.server.Listener;
import io.inetkit.server.ServerContext;
import io.inetkit.server.ServerStartException;

import io.micrometer.core.instrument.Gauge;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.UnixChannelOption;
import io.netty.util.NetUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A UDP echo listener: one socket per I/O thread on epoll and io_uring, all bound to the same port with
 * {@code SO_REUSEPORT} so that the kernel spreads the datagrams over every thread (by a hash of the source
 * address and port); one socket, and so one thread, with NIO, which has no {@code SO_REUSEPORT}.
 *
 * Each socket gets the {@link UdpEchoInitializer} pipeline (guard, echo), with the same handlers: the
 * guard's buckets are the listener's. The sockets are bound with reading off and read only once the listener's meters exist.
 */
public final class DatagramListener implements Listener {

    /** Receive buffer per datagram: the largest UDP payload, so no datagram is cut short. */
    static final int MAX_DATAGRAM = 65_536;

    /** Datagrams read per readiness event before the echoes of the batch go out together (sendmmsg). */
    static final int DATAGRAMS_PER_READ = 32;

    /** Datagrams one system call reads on epoll (recvmmsg), each into its own 64 KiB slot of one buffer. */
    static final int DATAGRAMS_PER_RECVMMSG = 16;

    private static final Logger log = LoggerFactory.getLogger(DatagramListener.class);

    private final int port;
    private final List<Channel> sockets = new ArrayList<>();
    private volatile DatagramMeters meters;
    private String name;

    public DatagramListener(int port) {
        this.port = port;
        this.name = "udp/" + port;
    }

    @Override
    public void start(ServerContext context) {
        boolean reusePort = context.transport.isNative() && context.settings.ioThreads() > 1;
        int count = reusePort ? context.settings.ioThreads() : 1;
        try {
            if (reusePort && port != 0) {
                ensureFree(context);
            }
            int actualPort = port;
            for (int i = 0; i < count; i++) {
                Channel ch = bind(context, actualPort, reusePort);
                sockets.add(ch);
                actualPort = ((InetSocketAddress) ch.localAddress()).getPort();
            }
            name = "udp/" + actualPort;
            DatagramMeters m = new DatagramMeters(context.metrics.registry(), name);
            SourceRateLimiter buckets = new SourceRateLimiter(context.settings.udpGuard().ratePerSource(),
                    context.settings.udpGuard().maxSources());
            Gauge.builder("inetkit.udp.sources", buckets, SourceRateLimiter::size).tag("listener", name)
                    .description("Source addresses with a remembered token bucket").register(context.metrics.registry());
            UdpGuardHandler guard = new UdpGuardHandler(context.settings.udpGuard(), buckets, m,
                    context.rateLimitedLog(UdpGuardHandler.log));
            UdpEchoInitializer pipeline = new UdpEchoInitializer(guard, new UdpEchoHandler(m));
            meters = m;
            for (Channel ch : sockets) {
                ch.pipeline().addLast(pipeline);
                ch.config().setAutoRead(true);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        InetSocketAddress address = localAddress();
        String how = reusePort ? count + " sockets with SO_REUSEPORT, one per I/O thread"
                : context.transport.isNative() ? "1 socket: 1 I/O thread"
                : "1 socket: single-threaded, " + context.transport.label() + " has no SO_REUSEPORT";
        log.info("listening on udp {} ({})", NetUtil.toSocketAddressString(address), how);
    }

    /**
     * Sockets with {@code SO_REUSEPORT} of the same user share a port without complaint: a second server
     * started by mistake would quietly take half the datagrams. A plain bind first finds such a port taken.
     */
    private void ensureFree(ServerContext context) {
        try (DatagramSocket probe = new DatagramSocket(null)) {
            probe.setReuseAddress(false);
            probe.bind(new InetSocketAddress(context.bindAddress, port));
        } catch (IOException e) {
            throw ServerStartException.bindFailed("udp", context.bindAddress, port, e);
        }
    }

    private static Channel bind(ServerContext context, int port, boolean reusePort) {
        Channel ch = context.transport.newDatagramChannel(context.bindAddress instanceof Inet4Address
                ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6);
        ch.config().setAutoRead(false);
        // A batch of datagrams per readiness event, so their echoes go out together (one sendmmsg), each read
        // into the socket's one receive buffer; on epoll, DATAGRAMS_PER_RECVMMSG at a time (1 MiB of slots)
        boolean scattering = ch.config().setOption(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM);
        DatagramReceiveBuffer receive = new DatagramReceiveBuffer(
                scattering ? MAX_DATAGRAM * DATAGRAMS_PER_RECVMMSG : MAX_DATAGRAM, DATAGRAMS_PER_READ, scattering);
        ch.config().setRecvByteBufAllocator(receive);
        ch.closeFuture().addListener(f -> receive.release());
        if (reusePort) {
            ch.config().setOption(UnixChannelOption.SO_REUSEPORT, true);
        }
        ChannelFuture registered = context.group.register(ch).awaitUninterruptibly();
        if (!registered.isSuccess()) {
            ch.unsafe().closeForcibly();
            throw new ServerStartException("cannot open a udp socket: " + registered.cause().getMessage(),
                    registered.cause());
        }
        ChannelFuture bound = ch.bind(new InetSocketAddress(context.bindAddress, port)).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            ch.close().awaitUninterruptibly();
            throw ServerStartException.bindFailed("udp", context.bindAddress, port, bound.cause());
        }
        return ch;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public InetSocketAddress localAddress() {
        return sockets.isEmpty() ? null : (InetSocketAddress) sockets.get(0).localAddress();
    }

    /** How many sockets share the port. */
    public int socketCount() {
        return sockets.size();
    }

    @Override
    public void close() {
        for (Channel ch : sockets) {
            ch.close().awaitUninterruptibly();
        }
    }

    public DatagramMeters meters() {
        return meters;
    }

    @Override
    public String summary() {
        DatagramMeters m = meters;
        return m == null ? name + ": not started" : m.summary();
    }
}
