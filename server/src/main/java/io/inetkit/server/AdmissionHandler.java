package io.inetkit.server;

import io.inetkit.server.StreamMeters.Rejection;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;

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
 * {@link RateLimitedLog}, so a flood of connections cannot flood the log.
 */
@Sharable
final class AdmissionHandler extends ChannelInboundHandlerAdapter {

    static final Logger log = LoggerFactory.getLogger(AdmissionHandler.class);

    private final ConnectionLimiter limiter;
    private final StreamMeters meters;
    private final RateLimitedLog refusals;
    private final ServerSettings.Limits limits;

    AdmissionHandler(ConnectionLimiter limiter, StreamMeters meters, RateLimitedLog refusals,
                     ServerSettings.Limits limits) {
        this.limiter = limiter;
        this.meters = meters;
        this.refusals = refusals;
        this.limits = limits;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Channel child) || !(child.remoteAddress() instanceof InetSocketAddress remote)) {
            ctx.fireChannelRead(msg);
            return;
        }
        InetAddress peer = remote.getAddress();
        Rejection refused = limiter.tryAdmit(peer);
        if (refused != null) {
            meters.rejected(refused).increment();
            refusals.warn("{}: refused {}: {}", meters.name, remote, why(refused, peer));
            child.unsafe().closeForcibly();
            return;
        }
        child.closeFuture().addListener(f -> limiter.release(peer));
        ctx.fireChannelRead(child);
    }

    private String why(Rejection reason, InetAddress peer) {
        return switch (reason) {
            case DENIED -> "denied by --allow/--deny";
            case MAX_CONNECTIONS -> limiter.open() + " connections open (--max-connections " + limits.maxConnections() + ")";
            case MAX_CONNECTIONS_PER_IP -> limiter.open(peer) + " connections from this address (--max-connections-per-ip "
                    + limits.maxConnectionsPerIp() + ")";
            case DRAINING -> "the server is stopping";
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
