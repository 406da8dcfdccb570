package io.inetkit.client;

import io.inetkit.common.cli.Cli;
import io.inetkit.common.framing.Framing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Interactive mode's end of the pipeline: prints each echoed frame (raw: each read) as it arrives. */
final class PrintingHandler extends ChannelInboundHandlerAdapter {
    private final Framing framing;
    private final PrintWriter out;
    private final PrintWriter err;
    private volatile long inputDoneAt;
    private volatile Throwable failure;

    PrintingHandler(Framing framing, PrintWriter out, PrintWriter err) {
        this.framing = framing;
        this.out = out;
        this.err = err;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            byte[] bytes = ByteBufUtil.getBytes(buf);
            if (framing instanceof Framing.Raw) {
                out.print(new String(bytes, StandardCharsets.UTF_8));
            } else {
                out.println(Frames.printable(framing, bytes));
            }
            out.flush();
        } finally {
            buf.release();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failure = cause;
        if (!(cause instanceof IOException)) {
            out.flush();
            err.println("inetkit client: " + Cli.describe(cause));
            err.flush();
        }
        ctx.fireExceptionCaught(cause);
    }

    void inputDone() {
        inputDoneAt = System.nanoTime();
    }

    long inputDoneAt() {
        return inputDoneAt;
    }

    Throwable failure() {
        return failure;
    }
}
