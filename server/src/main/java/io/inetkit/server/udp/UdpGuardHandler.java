package io.inetkit.server.udp;

import io.inetkit.server.RateLimitedLog;
import io.inetkit.server.ServerSettings;

import io.inetkit.server.udp.DatagramMeters.Drop;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;

/**
 * In front of UDP echo: decides which datagrams deserve a reply. UDP's source address is whatever the
 * sender wrote, so an echo server can be aimed at a third party (the reply goes to the forged source) or
 * at another echo or chargen service (CERT CA-1996-01: two services answering each other forever).
 *
 * <pre>
 *   datagram ──► guard ──► echo
 *                │         └ the request's own bytes back to its sender: never larger than the request
 *                ├ empty (0 bytes of payload): drop, reason empty
 *                ├ source port below --udp-min-source-port (7 echo, 19 chargen...): drop, reason source_port
 *                └ source over its token bucket (--udp-rate-per-source): drop, reason rate
 * </pre>
 *
 * <p>RFC 862 would answer an empty datagram with an empty one, and io_uring can. Netty's epoll and NIO
 * datagram channels cannot: they take a zero-length write as done without sending it, and epoll's batched
 * write (sendmmsg) then sends the next datagram once for every empty one before it. So an empty datagram
 * is dropped, and counted, on every transport: one behaviour, and no reply counted that was never sent.
 *
 * Every datagram is counted in; a dropped one in {@code inetkit_udp_dropped_datagrams_total{reason}} and a
 * rate-limited log line. Shared by the sockets of a listener.
 */
@Sharable
final class UdpGuardHandler extends ChannelInboundHandlerAdapter {

    static final Logger log = LoggerFactory.getLogger(UdpGuardHandler.class);

    private final ServerSettings.UdpGuard guard;
    private final SourceRateLimiter buckets;
    private final DatagramMeters meters;
    private final RateLimitedLog drops;

    UdpGuardHandler(ServerSettings.UdpGuard guard, SourceRateLimiter buckets, DatagramMeters meters, RateLimitedLog drops) {
        this.guard = guard;
        this.buckets = buckets;
        this.meters = meters;
        this.drops = drops;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket datagram)) {
            ctx.fireChannelRead(msg);
            return;
        }
        meters.datagramsIn.increment();
        meters.bytesIn.increment(datagram.content().readableBytes());
        InetSocketAddress sender = datagram.sender();
        if (!datagram.content().isReadable()) {
            drop(datagram, Drop.EMPTY, "an empty datagram (not echoed on any transport, see server/README.md)");
        } else if (sender.getPort() < guard.minSourcePort()) {
            drop(datagram, Drop.SOURCE_PORT, "source port below " + guard.minSourcePort() + " (--udp-min-source-port)");
        } else if (guard.ratePerSource() > 0 && !buckets.tryAcquire(sender.getAddress(), System.nanoTime())) {
            drop(datagram, Drop.RATE, "over " + guard.ratePerSource() + " datagrams/s (--udp-rate-per-source)");
        } else {
            ctx.fireChannelRead(datagram);
        }
    }

    private void drop(DatagramPacket datagram, Drop reason, String why) {
        meters.dropped(reason).increment();
        drops.warn("{}: no reply to {}: {}", meters.name, datagram.sender(), why);
        datagram.release();
    }
}
