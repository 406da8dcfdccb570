package io.inetkit.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The end of a client pipeline: hands what happens on the channel (a frame or datagram, an error, the
 * close) to the thread that drives the conversation, in order, with the time it arrived.
 */
final class EventQueueHandler extends ChannelInboundHandlerAdapter {

    /** Something that happened on the channel. */
    sealed interface Event permits Received, Failed, Closed {
    }

    /** A frame payload (TCP) or a datagram (UDP), or for raw framing whatever bytes one read returned. */
    record Received(byte[] data, long nanoTime) implements Event {
    }

    record Failed(Throwable cause) implements Event {
    }

    record Closed() implements Event {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        long now = System.nanoTime();
        try {
            ByteBuf content = msg instanceof DatagramPacket packet ? packet.content()
                    : msg instanceof ByteBuf buf ? buf : null;
            if (content != null) {
                events.add(new Received(ByteBufUtil.getBytes(content), now));
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        events.add(new Failed(cause));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        events.add(new Closed());
        ctx.fireChannelInactive();
    }

    /** The next event, or null when none comes before the deadline ({@link System#nanoTime()}). */
    Event next(long deadlineNanos) throws InterruptedException {
        return events.poll(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
}
