package io.inetkit.server;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Echoes each datagram to its sender: the same payload buffer, handed over without a copy.
 * An error is logged and the socket keeps serving; one bad peer never stops UDP echo.
 */
@Sharable
final class UdpEchoHandler extends SimpleChannelInboundHandler<DatagramPacket> {

    private static final Logger log = LoggerFactory.getLogger(UdpEchoHandler.class);

    private final ListenerStats stats;

    UdpEchoHandler(ListenerStats stats) {
        super(DatagramPacket.class, false); // the reply takes over the request's buffer
        this.stats = stats;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket request) {
        int size = request.content().readableBytes();
        stats.frameIn(size);
        ctx.write(new DatagramPacket(request.content(), request.sender()), ctx.voidPromise());
        stats.frameOut(size);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("{}: {}", stats.name, cause.toString());
    }
}
