package io.inetkit.client.load;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.io.IOException;
import java.util.Locale;

/**
 * One connection of a load run, and the only handler of its pipeline: the echo of a framed message is
 * the same frame byte for byte, so the received stream is checked against the sent one directly, with
 * no decoder and no copy. Lives on its worker's event loop.
 */
abstract class LoadConnection extends ChannelInboundHandlerAdapter {

    final Worker worker;
    /** Global connection number: part of every payload's tag. */
    final int gid;
    /** Position in the worker's list: the open-loop schedule's slot. */
    int index;
    Channel channel;
    ChannelHandlerContext ctx;
    boolean dead;
    boolean dirty;
    /** Messages written so far / messages due so far (the send target). */
    long sseq;
    long starget;
    /** Echoes completed inside the measured window / since the start (warmup included). */
    long doneMeasured;
    long doneAll;
    long batchStart;

    LoadConnection(Worker worker, int gid) {
        this.worker = worker;
        this.gid = gid;
    }

    /** Closed loop: puts {@code pipeline} more messages in flight. */
    abstract void startBatch(long now);

    /** Writes the messages due ({@code starget - sseq}), one flush. */
    abstract void sendPending(long now);

    /** Called every few ms: counts and acts on an echo overdue by --timeout. */
    abstract void checkTimeout(long now);

    /** The end of the run on a live connection. */
    abstract void finish(long end);

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        channel = ctx.channel();
        ctx.fireChannelActive();
    }

    void fail(ErrorKind kind) {
        if (dead || worker.stopped) {
            return;
        }
        dead = true;
        worker.errors.add(kind);
        if (channel != null) {
            channel.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String m = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
        if (cause instanceof java.net.PortUnreachableException) {
            if (!worker.stopped) {
                worker.errors.add(ErrorKind.UNREACHABLE); // UDP: the socket stays; this datagram is lost
            }
            return;
        }
        fail(cause instanceof IOException && (m.contains("reset") || m.contains("broken pipe"))
                ? ErrorKind.RESET : ErrorKind.IO_ERROR);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(ErrorKind.CLOSED);
        ctx.fireChannelInactive();
    }
}
