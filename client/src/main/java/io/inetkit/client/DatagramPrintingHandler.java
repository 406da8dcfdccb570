package io.inetkit.client;

import io.inetkit.common.cli.Cli;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.PortUnreachableException;

/**
 * Interactive UDP's end of the pipeline: writes each echoed datagram to stdout as its bytes and a {@code \n};
 * errors are printed, not fatal.
 */
final class DatagramPrintingHandler extends SimpleChannelInboundHandler<Object> {

    private final String where;
    private final OutputStream stdout;
    private final PrintWriter err;
    private final Runnable onEcho;

    DatagramPrintingHandler(String where, OutputStream stdout, PrintWriter err, Runnable onEcho) {
        this.where = where;
        this.stdout = stdout;
        this.err = err;
        this.onEcho = onEcho;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
        ByteBuf content = msg instanceof DatagramPacket p ? p.content() : (ByteBuf) msg;
        try {
            content.getBytes(content.readerIndex(), stdout, content.readableBytes());
            stdout.write('\n');
            stdout.flush();
        } catch (IOException e) {
            err.println("inetkit client: cannot write to stdout: " + Cli.describe(e));
            err.flush();
            ctx.close();
        }
        onEcho.run();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        err.println("inetkit client: udp " + where + ": " + (cause instanceof PortUnreachableException
                ? "port unreachable (nothing listening there?)" : Cli.describe(cause)));
        err.flush();
    }
}
