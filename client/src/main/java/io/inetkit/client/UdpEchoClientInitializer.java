package io.inetkit.client;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;

/**
 * The pipeline of the UDP echo client: a connected datagram socket, where a datagram is a message, so
 * nothing frames it.
 *
 * <pre>
 *  socket ──► events
 *             └ one-shot: datagrams and errors, in order, to the driving thread ({@link EventQueueHandler});
 *               interactive: prints each echo ({@link DatagramPrintingHandler})
 * </pre>
 */
final class UdpEchoClientInitializer extends ChannelInitializer<Channel> {

    static final String EVENTS = "events";

    private final ChannelHandler events;

    UdpEchoClientInitializer(ChannelHandler events) {
        this.events = events;
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.pipeline().addLast(EVENTS, events);
    }
}
