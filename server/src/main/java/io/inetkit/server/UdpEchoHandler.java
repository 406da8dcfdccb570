package io.inetkit.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Echoes each datagram to its sender: the same payload buffer, handed over without a copy, so a reply is
 * never a byte larger than its request (no amplification). Writes in {@code channelRead}, flushes once per
 * read batch. An error is logged and the socket keeps serving; one bad peer never stops UDP echo.
 */
@Sharable
final class UdpEchoHandler extends SimpleChannelInboundHandler<DatagramPacket> {

    private static final Logger log = LoggerFactory.getLogger(UdpEchoHandler.class);

    private final DatagramMeters meters;

    UdpEchoHandler(DatagramMeters meters) {
        super(DatagramPacket.class, false); // the reply takes over the request's buffer
        this.meters = meters;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket request) {
        ByteBuf payload = request.content();
        int size = payload.readableBytes();
        ctx.write(new DatagramPacket(payload, request.sender()), ctx.voidPromise());
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
