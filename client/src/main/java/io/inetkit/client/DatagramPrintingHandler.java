package io.inetkit.client;

import io.inetkit.common.cli.Cli;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;

import java.io.PrintWriter;
import java.net.PortUnreachableException;
import java.nio.charset.StandardCharsets;

/** Interactive UDP's end of the pipeline: prints each echoed datagram as a line; errors are printed, not fatal. */
final class DatagramPrintingHandler extends SimpleChannelInboundHandler<Object> {

    private final String where;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Runnable onEcho;

    DatagramPrintingHandler(String where, PrintWriter out, PrintWriter err, Runnable onEcho) {
        this.where = where;
        this.out = out;
        this.err = err;
        this.onEcho = onEcho;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
        ByteBuf content = msg instanceof DatagramPacket p ? p.content() : (ByteBuf) msg;
        out.println(content.toString(StandardCharsets.UTF_8));
        out.flush();
        onEcho.run();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        err.println("inetkit client: udp " + where + ": " + (cause instanceof PortUnreachableException
                ? "port unreachable (nothing listening there?)" : Cli.describe(cause)));
        err.flush();
    }
}
