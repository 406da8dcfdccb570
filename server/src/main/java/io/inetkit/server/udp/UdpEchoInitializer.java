package io.inetkit.server.udp;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;

/**
 * The whole pipeline of one UDP echo socket (every socket of a listener gets the same one, with the same
 * handler instances: the guard's token buckets are the listener's, not the socket's).
 *
 * <pre>
 *   datagram ──► guard ──► echo
 *                │         └ the request's own bytes back to its sender, flushed once per read batch
 *                │           (sendmmsg); never larger than the request ({@link UdpEchoHandler})
 *                └ drops a datagram from a source port below --udp-min-source-port or over its
 *                  --udp-rate-per-source ({@link UdpGuardHandler})
 * </pre>
 */
final class UdpEchoInitializer extends ChannelInitializer<Channel> {

    static final String GUARD = "guard";
    static final String ECHO = "echo";

    private final ChannelHandler guard;
    private final ChannelHandler echo;

    UdpEchoInitializer(UdpGuardHandler guard, UdpEchoHandler echo) {
        this.guard = guard;
        this.echo = echo;
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast(GUARD, guard);
        p.addLast(ECHO, echo);
    }
}
