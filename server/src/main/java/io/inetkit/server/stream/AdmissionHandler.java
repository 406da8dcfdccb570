package io.inetkit.server.stream;

import io.inetkit.server.RateLimitedLog;
import io.inetkit.server.ServerSettings;

import io.inetkit.server.stream.StreamMeters.Rejection;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Set;

/**
 * On a listening socket, before Netty's acceptor: admits each accepted connection or closes it at once.
 *
 * <pre>
 *   listening socket ──► admission ──► acceptor ──► accept-errors
 *                        │             │            └ accept(2) failed (e.g. out of fds): rate-limited WARN
 *                        │             └ registers the connection on an event loop, runs its pipeline
 *                        └ allow/deny, per-address limit, overall limit ({@link ConnectionLimiter});
 *                          a refused connection is closed before it costs a pipeline or an event loop
 * </pre>
 *
 * A refusal is counted in {@code inetkit_connections_rejected_total{reason}} and logged through a
 * {@link RateLimitedLog}, so a flood of connections cannot flood the log. An admitted connection is counted
 * ({@code inetkit_connections_accepted_total}, {@code inetkit_connections_active}), joins the server's open
 * connections (what a stop drains), and is logged at DEBUG; one listener on its close undoes all of that
 * (one listener, not one per concern: each is an object on every open connection).
 *
 * <p>On a listener whose connections start with a PROXY header, the peer is a load balancer: here it must be in
 * {@code --proxy-trusted} and fit under {@code --max-connections}; allow/deny and the per-address limit wait for
 * the client the header names ({@link ProxyHeaderHandler}), which also counts it accepted.
 */
@Sharable
final class AdmissionHandler extends ChannelInboundHandlerAdapter {

    static final Logger log = LoggerFactory.getLogger(AdmissionHandler.class);

    private final ConnectionLimiter limiter;
    private final StreamMeters meters;
    private final RateLimitedLog refusals;
    private final ServerSettings.Limits limits;
    private final Set<Channel> connections;
    /**
     * One listener object for every connection's close (a lambda capturing the child and its address would be
     * 24 bytes more on each): the channel keeps the remote address it was accepted with after it closes.
     */
    private final ChannelFutureListener onClose = f -> closed(f.channel());

    /** Null unless the listener's connections start with a PROXY header. */
    private final ServerSettings.ProxyProtocol proxy;

    AdmissionHandler(ConnectionLimiter limiter, StreamMeters meters, RateLimitedLog refusals,
                     ServerSettings.Limits limits, Set<Channel> connections, ServerSettings.ProxyProtocol proxy) {
        this.limiter = limiter;
        this.meters = meters;
        this.refusals = refusals;
        this.limits = limits;
        this.connections = connections;
        this.proxy = proxy;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Channel child) || !(child.remoteAddress() instanceof InetSocketAddress remote)) {
            ctx.fireChannelRead(msg);
            return;
        }
        InetAddress peer = remote.getAddress();
        Rejection refused = proxy == null ? limiter.tryAdmit(peer) : limiter.tryAdmitConnection(peer, proxy);
        if (refused != null) {
            meters.rejected(refused).increment();
            refusals.warn("{}: refused {}: {}", meters.name, remote, why(refused, peer));
            child.unsafe().closeForcibly();
            return;
        }
        connections.add(child);
        meters.active.incrementAndGet();
        if (proxy == null) {
            meters.accepted.increment();
            log.debug("{} {}: accepted", meters.name, remote);
        }
        child.closeFuture().addListener(onClose);
        ctx.fireChannelRead(child);
    }

    private void closed(Channel child) {
        if (proxy == null) {
            limiter.release(((InetSocketAddress) child.remoteAddress()).getAddress());
        } else {
            limiter.releaseConnection(); // the client's slot is the header's to give back
        }
        connections.remove(child);
        meters.active.decrementAndGet();
        log.debug("{} {}: closed", meters.name, ClientAddress.of(child));
    }

    private String why(Rejection reason, InetAddress peer) {
        return switch (reason) {
            case DENIED -> "denied by --allow/--deny";
            case MAX_CONNECTIONS -> limiter.open() + " connections open (--max-connections " + limits.maxConnections() + ")";
            case MAX_CONNECTIONS_PER_IP -> limiter.open(peer) + " connections from this address (--max-connections-per-ip "
                    + limits.maxConnectionsPerIp() + ")";
            case DRAINING -> "the server is stopping";
            case UNTRUSTED_PROXY -> "not in --proxy-trusted, and this listener takes a PROXY header only from a"
                    + " trusted balancer";
            default -> reason.tag;
        };
    }

    /** After the acceptor: an accept that failed. Netty pauses accepting for a second; this logs it. */
    @Sharable
    static final class AcceptErrors extends ChannelInboundHandlerAdapter {

        private final String listener;
        private final RateLimitedLog errors;

        AcceptErrors(String listener, RateLimitedLog errors) {
            this.listener = listener;
            this.errors = errors;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors.warn("{}: accept failed: {}", listener, cause.getMessage() == null ? cause.toString() : cause.getMessage());
        }
    }
}
