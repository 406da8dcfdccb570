package io.inetkit.server.stream;

import io.inetkit.server.RateLimitedLog;
import io.inetkit.server.ServerContext;
import io.inetkit.server.ServerSettings;
import io.inetkit.server.stream.StreamMeters.Rejection;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolException;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.handler.codec.haproxy.HAProxySSLTLV;
import io.netty.handler.codec.haproxy.HAProxyTLV;
import io.netty.util.CharsetUtil;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The PROXY protocol header of a connection from a load balancer: who the client is, then the pipeline goes on
 * without this handler. Netty's {@link HAProxyMessageDecoder} ({@value #DECODER}, as {@link ProxyHeaderDecoder},
 * which also reports bytes that ended before a header) parses the header; this handler ({@value #HEADER}) decides.
 *
 * <pre>
 *   v1: "PROXY TCP4 203.0.113.7 192.0.2.1 56324 5005\r\n"  then the client's bytes (TLS, HTTP, frames)
 *   v2: \r\n\r\n\0\r\nQUIT\n  0x21  0x11  len(2)  src(4) dst(4) sport(2) dport(2)  TLVs...  then the client's bytes
 *            signature        ver  TCP4
 *
 *   socket ──► proxy-decoder ──► proxy-header ──► idle ──► (the protocol's handlers)
 *              │                 └ the client: allow/deny and --max-connections-per-ip against it, then
 *              │                   {@link ClientAddress}; LOCAL and UNKNOWN keep the socket's address; leaves
 *              └ one header, v1 or v2, then leaves; bytes after it go on up the pipeline
 * </pre>
 *
 * The listening socket already admitted the connection against the balancer ({@code --proxy-trusted} and
 * {@code --max-connections}, see {@link AdmissionHandler}); the per-client half waits for the header, since only
 * the header names the client. A refused client, a missing or malformed header, and a header not whole within
 * {@code --proxy-header-timeout} close the connection, each counted in
 * {@code inetkit_connections_rejected_total{reason}} and logged through a {@link RateLimitedLog}. An admitted
 * client is counted in {@code inetkit_connections_accepted_total} and logged at DEBUG with the balancer and the
 * v2 TLVs that say something about the client (ALPN, authority, SSL).
 *
 * <p>Over 300 lines on purpose: the header's every outcome (admitted, refused, malformed, late, LOCAL) and
 * the accounting each one undoes on close are one state machine, clearer whole than split.
 */
public final class ProxyHeaderHandler extends ChannelInboundHandlerAdapter implements Runnable {

    /** Netty's {@link HAProxyMessageDecoder} ({@link ProxyHeaderDecoder}): first in a PROXY listener's pipeline. */
    public static final String DECODER = "proxy-decoder";
    /** This handler, right after the decoder. */
    public static final String HEADER = "proxy-header";
    /**
     * TLV bytes a v2 header may carry: balancers send tens (ALPN, authority, an SSL TLV, an AWS or Azure id), and
     * what a connection can make the server hold before it has a client stays small.
     */
    static final int MAX_TLV_BYTES = 4096;

    static final Logger log = LoggerFactory.getLogger(ProxyHeaderHandler.class);

    private final ConnectionLimiter limiter;
    private final StreamMeters meters;
    private final RateLimitedLog refusals;
    private final ServerSettings.Limits limits;
    private final long timeoutNanos;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timeout;
    /** The header was decided (admitted, refused, malformed, late): what still arrives is not this handler's. */
    private boolean decided;

    ProxyHeaderHandler(ConnectionLimiter limiter, StreamMeters meters, RateLimitedLog refusals,
                       ServerSettings.Limits limits, long timeoutNanos) {
        if (timeoutNanos <= 0) {
            throw new IllegalArgumentException("timeoutNanos must be > 0: " + timeoutNanos);
        }
        this.limiter = limiter;
        this.meters = meters;
        this.refusals = refusals;
        this.limits = limits;
        this.timeoutNanos = timeoutNanos;
    }

    /**
     * What a listener's initializer keeps: whether its connections start with a PROXY header, and what
     * {@value #HEADER} needs. Every protocol adds it in the same way, first in its pipeline.
     *
     * @param required false for a listener without {@code :proxy}: {@link Requirement#addTo} adds nothing
     */
    public static Requirement requirement(StreamMeters meters, ServerContext context, boolean required) {
        return new Requirement(required, meters, context.limiter, context.rateLimitedLog(log),
                context.settings.limits(), context.settings.proxyProtocol().headerTimeout().toNanos());
    }

    /** What {@link #requirement} returns. */
    public record Requirement(boolean required, StreamMeters meters, ConnectionLimiter limiter,
                              RateLimitedLog refusals, ServerSettings.Limits limits, long timeoutNanos) {

        /** No PROXY header: for tests and listeners that have none. */
        public static final Requirement NONE = new Requirement(false, null, null, null, null, 0);

        /** Adds {@value #DECODER} and {@value #HEADER} when a header is required; else nothing. */
        public void addTo(ChannelPipeline p) {
            if (required) {
                p.addLast(DECODER, new ProxyHeaderDecoder(MAX_TLV_BYTES));
                p.addLast(HEADER, new ProxyHeaderHandler(limiter, meters, refusals, limits, timeoutNanos));
            }
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive() && ctx.channel().isRegistered()) {
            startTimeout(); // an accepted connection is active before its pipeline is built
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        startTimeout();
        ctx.fireChannelActive();
    }

    private void startTimeout() {
        if (timeout == null && !decided) {
            timeout = ctx.executor().schedule(this, timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void stopTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stopTimeout();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stopTimeout(); // a balancer's health check connects and closes: nothing to report
        ctx.fireChannelInactive();
    }

    /** The header timeout. */
    @Override
    public void run() {
        timeout = null;
        if (!decided && ctx.channel().isOpen()) {
            refuse(Rejection.PROXY_HEADER_TIMEOUT, peer(), "no whole PROXY header within "
                    + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms (--proxy-header-timeout)");
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (decided) {
            ReferenceCountUtil.release(msg); // after a refusal: the connection is closing, nothing goes on
            return;
        }
        if (!(msg instanceof HAProxyMessage header)) {
            ctx.fireChannelRead(msg); // not reached: the decoder passes on nothing before the header
            return;
        }
        try {
            admit(header);
        } finally {
            header.release();
        }
    }

    private void admit(HAProxyMessage header) {
        decided = true;
        stopTimeout();
        InetSocketAddress balancer = peer();
        InetSocketAddress named = source(header);
        InetSocketAddress client = named != null ? named : balancer;
        Rejection refused = limiter.tryAdmitClient(client.getAddress());
        if (refused != null) {
            meters.rejected(refused).increment();
            refusals.warn("{}: refused {} (via {}): {}", meters.name, client, balancer, why(refused, client));
            ctx.close();
            return;
        }
        if (named != null) {
            ClientAddress.set(ctx.channel(), named);
        }
        meters.accepted.increment();
        ctx.channel().closeFuture().addListener(f -> limiter.releaseClient(client.getAddress()));
        if (log.isDebugEnabled()) {
            log.debug("{} {}: accepted via {} ({})", meters.name, client, balancer, describe(header));
        }
        ctx.pipeline().remove(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException) {
            // Before the header is decided the decoder in front is the only one, so this is a bad header. Netty's
            // decoder closes the connection on most (an HAProxyProtocolException), but a v2 TLV whose length runs
            // past the header escapes it as an IndexOutOfBoundsException and leaves the connection open: close.
            // As the connection closes, the decoder decodes the bytes behind the bad header too, and may fail
            // again: that one was reported with the first.
            if (!decided) {
                refuse(Rejection.PROXY_HEADER_MALFORMED, peer(), "no valid PROXY header: " + reason(cause));
            }
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    /** The decoder's own words, or the kind of failure it did not put into words. */
    private static String reason(Throwable cause) {
        if (cause instanceof HAProxyProtocolException || cause.getCause() == null) {
            return String.valueOf(cause.getMessage());
        }
        return "unreadable (" + cause.getCause().getClass().getSimpleName() + ": " + cause.getCause().getMessage() + ")";
    }

    private void refuse(Rejection reason, SocketAddress from, String why) {
        decided = true;
        stopTimeout();
        meters.rejected(reason).increment();
        refusals.warn("{} {}: closed: {}", meters.name, from, why);
        ctx.close();
    }

    private InetSocketAddress peer() {
        return (InetSocketAddress) ctx.channel().remoteAddress();
    }

    private String why(Rejection reason, InetSocketAddress client) {
        return switch (reason) {
            case DENIED -> "denied by --allow/--deny";
            case MAX_CONNECTIONS_PER_IP -> limiter.open(client.getAddress())
                    + " connections from this address (--max-connections-per-ip " + limits.maxConnectionsPerIp() + ")";
            default -> reason.tag;
        };
    }

    /**
     * The client a header names: its source, for a PROXY command over IPv4 or IPv6; null for LOCAL (the balancer's
     * own health check), UNKNOWN and UNIX, which name no address the limits could use.
     */
    static InetSocketAddress source(HAProxyMessage header) {
        if (header.command() != HAProxyCommand.PROXY) {
            return null;
        }
        HAProxyProxiedProtocol.AddressFamily family = header.proxiedProtocol().addressFamily();
        if (family != HAProxyProxiedProtocol.AddressFamily.AF_IPv4 && family != HAProxyProxiedProtocol.AddressFamily.AF_IPv6) {
            return null;
        }
        // the decoder checked the literal; parsing it here never looks anything up in DNS
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(header.sourceAddress());
        return address == null ? null : new InetSocketAddress(address, header.sourcePort());
    }

    /**
     * For the DEBUG line: {@code v2 TCP4 alpn=h2 authority=example.com ssl(version=TLSv1.3 cn=client)}. Only the
     * TLVs that say something about the client are shown; their values are the balancer's bytes, as ASCII.
     */
    static String describe(HAProxyMessage header) {
        StringBuilder b = new StringBuilder(header.protocolVersion() == null ? "?" : header.protocolVersion().name().toLowerCase(Locale.ROOT));
        b.append(' ').append(header.command() == HAProxyCommand.LOCAL ? "LOCAL" : header.proxiedProtocol().name());
        for (HAProxyTLV tlv : header.tlvs()) {
            switch (tlv.type()) {
                case PP2_TYPE_ALPN -> b.append(" alpn=").append(text(tlv));
                case PP2_TYPE_AUTHORITY -> b.append(" authority=").append(text(tlv));
                case PP2_TYPE_SSL -> b.append(' ').append(ssl((HAProxySSLTLV) tlv));
                default -> { } // NETNS, CRC32C, unique id, a cloud's own: nothing about the client
            }
        }
        return b.toString();
    }

    private static String ssl(HAProxySSLTLV ssl) {
        StringBuilder b = new StringBuilder("ssl(");
        b.append(ssl.isPP2ClientSSL() ? "tls" : "no-tls");
        if (ssl.isPP2ClientCertConn() || ssl.isPP2ClientCertSess()) {
            b.append(" client-cert verify=").append(ssl.verify() == 0 ? "ok" : "failed");
        }
        for (HAProxyTLV sub : ssl.encapsulatedTLVs()) {
            switch (sub.type()) {
                case PP2_TYPE_SSL_VERSION -> b.append(" version=").append(text(sub));
                case PP2_TYPE_SSL_CN -> b.append(" cn=").append(text(sub));
                default -> {
                    String name = switch (sub.typeByteValue()) {
                        case 0x23 -> "cipher";
                        case 0x24 -> "sig-alg";
                        case 0x25 -> "key-alg";
                        default -> null;
                    };
                    if (name != null) {
                        b.append(' ').append(name).append('=').append(text(sub));
                    }
                }
            }
        }
        return b.append(')').toString();
    }

    private static String text(HAProxyTLV tlv) {
        return tlv.content().toString(CharsetUtil.US_ASCII);
    }
}
