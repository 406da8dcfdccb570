package io.inetkit.server;

import io.inetkit.server.admin.AdminListener;
import io.inetkit.server.http.HttpProtocol;
import io.inetkit.server.ws.WebSocketProtocol;
import io.inetkit.server.stream.BufferBudget;
import io.inetkit.server.stream.ConnectionLimiter;
import io.inetkit.server.stream.StreamListener;
import io.inetkit.server.stream.StreamMeters;
import io.inetkit.server.tcp.TcpEchoProtocol;
import io.inetkit.server.tls.ServerTls;
import io.inetkit.server.tls.TlsContexts;
import io.inetkit.server.tls.TlsReloader;
import io.inetkit.server.udp.DatagramListener;
import io.inetkit.server.udp.DatagramMeters;

import io.inetkit.common.transport.Transport;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The echo server: TCP listeners, each with its framing, UDP listeners, and the admin HTTP listener, on one
 * event loop group.
 *
 * <p>One lifecycle: {@link #start()} returns once every listener is bound (port 0 takes any free port:
 * see {@link #tcpAddresses()}); {@link #stop()} drains: {@code /health} turns 503, the listeners stop
 * accepting, every connection echoes what it already received and closes gracefully, and the server gives
 * up waiting after the drain timeout.
 *
 * <pre>{@code
 * EchoServer server = new EchoServer(ServerSettings.builder().tcp(0, Framing.parse("line")).build()).start();
 * int port = server.tcpAddresses().get(0).getPort();
 * ...
 * server.stop();
 * }</pre>
 *
 * <p>Protection: TCP connections pass the {@linkplain ServerSettings.Limits limits} (allow/deny, per-address
 * and overall connection limits, idle timeout); each connection stops reading its peer while its echoes
 * are not taken (write-buffer water marks), so no peer can grow the server's memory; UDP datagrams pass the
 * {@linkplain ServerSettings.UdpGuard guard}. Everything is counted in {@code /metrics}.
 */
public final class EchoServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EchoServer.class);

    private final ServerSettings settings;
    private final List<StreamListener> tcp = new ArrayList<>();
    /** Every TCP listener of whatever protocol: what a stop drains, connection by connection. */
    private final List<StreamListener> streams = new ArrayList<>();
    private final List<DatagramListener> udp = new ArrayList<>();
    private final List<StreamListener> http = new ArrayList<>();
    private final List<StreamListener> ws = new ArrayList<>();
    private final List<Listener> started = new ArrayList<>();
    /** The certificates of every TLS listener: what a reload (SIGHUP, a changed file) reads again. */
    private final List<ServerTls> tlsListeners = new ArrayList<>();
    private TlsReloader tlsReloader;
    /** Open TCP connections: each joins on admission and leaves when it closes ({@link AdmissionHandler}). */
    private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
    private AdminListener admin;
    private Transport transport;
    private EventLoopGroup group;
    private ServerMetrics metrics;
    private ServerContext context;
    private ScheduledFuture<?> logFlush;
    private ScheduledFuture<?> budgetSweep;
    private volatile boolean serving;
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
        log.info("transport {} ({})", transport.label(), selection.reason());
        InetAddress bindAddress;
        try {
            bindAddress = InetAddress.getByName(settings.bind());
        } catch (UnknownHostException e) {
            throw new ServerStartException("cannot resolve bind address '" + settings.bind() + "'", e);
        }
        // before the event loops: a certificate that cannot be read (or has expired) leaves nothing to shut down
        TlsContexts.ProviderChoice provider = null;
        if (settings.tls() != null) {
            provider = TlsContexts.choose(settings.tls().provider());
            log.info("TLS provider {} ({})", provider.label(), provider.reason());
        }
        List<ServerTls> tcpTls = new ArrayList<>();
        for (ServerSettings.TcpListener l : settings.tcp()) {
            tcpTls.add(l.tls() ? tls(provider, List.of(), bindAddress) : null);
        }
        for (ServerSettings.HttpListener l : settings.http()) {
            StreamListener listener = new StreamListener(l.port(),
                    HttpProtocol.of(l, l.isTls() ? tls(provider, HttpProtocol.ALPN, bindAddress) : null));
            http.add(listener);
            streams.add(listener);
        }
        for (ServerSettings.WsListener l : settings.ws()) {
            StreamListener listener = new StreamListener(l.port(), new WebSocketProtocol(l.path(), l.maxMessage(),
                    l.proxy(), l.tls() ? tls(provider, List.of(), bindAddress) : null));
            ws.add(listener);
            streams.add(listener);
        }
        if (!tlsListeners.isEmpty()) {
            log.info("TLS certificates: {}", tlsListeners.get(0).summary());
        }
        group = transport.newGroup(settings.ioThreads(), "inetkit-io");
        metrics = new ServerMetrics(() -> serving);
        context = new ServerContext(settings, transport, group, bindAddress, metrics,
                new ConnectionLimiter(settings.limits()), connections);
        for (int i = 0; i < settings.tcp().size(); i++) {
            ServerSettings.TcpListener l = settings.tcp().get(i);
            StreamListener listener = new StreamListener(l.port(), new TcpEchoProtocol(l.framing(), l.proxy(), tcpTls.get(i)));
            tcp.add(listener);
            streams.add(listener);
        }
        for (ServerSettings.UdpListener l : settings.udp()) {
            udp.add(new DatagramListener(l.port()));
        }
        if (settings.admin() != null) {
            admin = new AdminListener(settings.admin(), metrics::scrape, () -> serving);
        }
        List<Listener> all = new ArrayList<>(tcp);
        all.addAll(udp);
        all.addAll(http);
        all.addAll(ws);
        if (admin != null) {
            all.add(admin);
        }
        try {
            for (Listener l : all) {
                l.start(context);
                started.add(l);
            }
        } catch (RuntimeException e) {
            started.forEach(Listener::close);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            metrics.close();
            group = null;
            throw e;
        }
        logFlush = group.next().scheduleAtFixedRate(context::flushLogs, 1, 1, TimeUnit.SECONDS);
        BufferBudget budget = BufferBudget.of(context);
        budgetSweep = group.next().scheduleAtFixedRate(budget::sweep, BufferBudget.SWEEP_MILLIS,
                BufferBudget.SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        if (!tlsListeners.isEmpty()) {
            tlsReloader = TlsReloader.start(settings.tls(), this::reloadTls);
        }
        serving = true;
        return this;
    }

    private ServerTls tls(TlsContexts.ProviderChoice provider, List<String> alpn, InetAddress bindAddress) {
        ServerTls tls = ServerTls.start(settings.tls(), provider, alpn, bindAddress);
        tlsListeners.add(tls);
        return tls;
    }

    /**
     * Reads every TLS listener's certificate files again (SIGHUP; also when a file changes): new handshakes use
     * the new certificates, open connections keep theirs. A failed reload keeps the certificates in use.
     *
     * @return true when every listener took the new certificates (also when there is no TLS listener)
     */
    public boolean reloadTls() {
        boolean all = true;
        for (ServerTls t : tlsListeners) {
            all &= t.reload();
        }
        return all;
    }

    /** The bound address of each TCP listener, in the order of {@link ServerSettings#tcp()}. */
    public List<InetSocketAddress> tcpAddresses() {
        return tcp.stream().map(Listener::localAddress).toList();
    }

    /** The bound address of each UDP listener, in the order of {@link ServerSettings#udp()}. */
    public List<InetSocketAddress> udpAddresses() {
        return udp.stream().map(Listener::localAddress).toList();
    }

    /** The bound address of each WebSocket echo listener, in the order of {@link ServerSettings#ws()}. */
    public List<InetSocketAddress> wsAddresses() {
        return ws.stream().map(Listener::localAddress).toList();
    }

    /** The bound address of each HTTP echo listener, in the order of {@link ServerSettings#http()}. */
    public List<InetSocketAddress> httpAddresses() {
        return http.stream().map(Listener::localAddress).toList();
    }

    /** The bound address of the admin listener; null when there is none. */
    public InetSocketAddress adminAddress() {
        return admin == null ? null : admin.localAddress();
    }

    /** The transport in use; null before {@link #start()}. */
    public Transport transport() {
        return transport;
    }

    /** Open TCP connections. */
    public int activeConnections() {
        return connections.size();
    }

    /** True from a successful {@link #start()} until {@link #stop()} begins: what {@code /health} reports. */
    public boolean isServing() {
        return serving;
    }

    /**
     * Drains and stops: {@code /health} turns 503, the echo listeners close, every connection finishes
     * (each stops echoing, flushes what it owes, sends FIN and waits for the peer's close), and after the
     * drain timeout what is left is closed. The admin listener closes last. Idempotent.
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
        serving = false;
        context.limiter.drain();
        long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
        for (Listener l : started) {
            if (l != admin) {
                l.close();
            }
        }
        List<Channel> draining = List.copyOf(connections);
        for (StreamListener l : streams) {
            l.drain(settings.drainTimeout());
        }
        boolean clean = awaitClosed(draining, deadline);
        if (!clean) {
            log.warn("drain timeout ({} ms): closing {} connections that did not finish",
                    settings.drainTimeout().toMillis(), connections.size());
            List<Channel> left = List.copyOf(connections);
            left.forEach(Channel::close);
            awaitClosed(left, System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
        }
        if (admin != null) {
            admin.close();
        }
        logFlush.cancel(false);
        budgetSweep.cancel(false);
        if (tlsReloader != null) {
            tlsReloader.close();
        }
        context.flushLogs();
        g.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
        for (Listener l : started) {
            if (l != admin) {
                log.info("{}", l.summary());
            }
        }
        metrics.close();
        return clean;
    }

    @Override
    public void close() {
        stop();
    }

    /** Waits until every one of {@code channels} is closed or the deadline ({@link System#nanoTime()}) passes. */
    private static boolean awaitClosed(List<Channel> channels, long deadline) {
        for (Channel ch : channels) {
            if (!ch.closeFuture().awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                return false;
            }
        }
        return true;
    }

    /** The meters of each TCP listener, in settings order (for tests). */
    List<StreamMeters> tcpMeters() {
        return tcp.stream().map(StreamListener::meters).toList();
    }

    /** The meters of each HTTP listener, in settings order (for tests). */
    List<StreamMeters> httpMeters() {
        return http.stream().map(StreamListener::meters).toList();
    }

    /** The meters of each WebSocket listener, in settings order (for tests). */
    List<StreamMeters> wsMeters() {
        return ws.stream().map(StreamListener::meters).toList();
    }

    /** The meters of each UDP listener, in settings order (for tests). */
    List<DatagramMeters> udpMeters() {
        return udp.stream().map(DatagramListener::meters).toList();
    }

    /** The open TCP connections (for tests). */
    Set<Channel> connections() {
        return connections;
    }

    /** The UDP listeners (for tests). */
    List<DatagramListener> udpListeners() {
        return List.copyOf(udp);
    }

    /** Every meter as Prometheus text: what {@code /metrics} serves. */
    String scrape() {
        return metrics.scrape();
    }

    /** The registry (for tests). */
    MeterRegistry registry() {
        return metrics.registry();
    }
}
