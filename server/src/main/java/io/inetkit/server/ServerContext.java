package io.inetkit.server;

import io.inetkit.server.stream.ConnectionLimiter;

import io.inetkit.common.transport.Transport;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.Channel;
import org.slf4j.Logger;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the listeners of one server share: event loops, settings, metrics, the connection limits. */
public final class ServerContext {

    /** Lines a second that one {@link RateLimitedLog} writes at WARN. */
    static final int WARN_LINES_PER_SECOND = 5;

    public final ServerSettings settings;
    public final Transport transport;
    public final EventLoopGroup group;
    public final InetAddress bindAddress;
    public final ServerMetrics metrics;
    public final ConnectionLimiter limiter;
    /** Every open TCP connection of every stream listener: what a stop drains. */
    public final Set<Channel> connections;
    private final List<RateLimitedLog> rateLimitedLogs = new CopyOnWriteArrayList<>();

    ServerContext(ServerSettings settings, Transport transport, EventLoopGroup group, InetAddress bindAddress,
                  ServerMetrics metrics, ConnectionLimiter limiter, Set<Channel> connections) {
        this.settings = settings;
        this.transport = transport;
        this.group = group;
        this.bindAddress = bindAddress;
        this.metrics = metrics;
        this.limiter = limiter;
        this.connections = connections;
    }

    /** A WARN log of {@value #WARN_LINES_PER_SECOND} lines a second at most, flushed by the server's timer. */
    public RateLimitedLog rateLimitedLog(Logger log) {
        RateLimitedLog l = new RateLimitedLog(log, WARN_LINES_PER_SECOND);
        rateLimitedLogs.add(l);
        return l;
    }

    /** Reports what the rate-limited logs held back; the server calls it once a second. */
    void flushLogs() {
        rateLimitedLogs.forEach(RateLimitedLog::flush);
    }
}
