package io.inetkit.server.udp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Echoes each datagram to its sender: the request's own bytes, so a reply is never a byte larger than its
 * request (no amplification). The bytes are copied into a buffer of their size and the request is let go at
 * once: the socket reads every datagram into one reused 64 KiB buffer ({@link DatagramReceiveBuffer}), which a
 * queued echo must not hold. Writes in {@code channelRead}, flushes once per read batch (one sendmmsg). An
 * error is logged and the socket keeps serving; one bad peer never stops UDP echo.
 */
@Sharable
final class UdpEchoHandler extends SimpleChannelInboundHandler<DatagramPacket> {

    private static final Logger log = LoggerFactory.getLogger(UdpEchoHandler.class);

    private final DatagramMeters meters;

    UdpEchoHandler(DatagramMeters meters) {
        super(DatagramPacket.class, true); // the request is released after channelRead0
        this.meters = meters;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket request) {
        ByteBuf payload = request.content();
        int size = payload.readableBytes();
        ByteBuf reply = ctx.alloc().ioBuffer(size).writeBytes(payload);
        ctx.write(new DatagramPacket(reply, request.sender()), ctx.voidPromise());
        meters.datagramsOut.increment();
        meters.bytesOut.increment(size);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("{}: {}", meters.name, cause.toString());
    }
}
