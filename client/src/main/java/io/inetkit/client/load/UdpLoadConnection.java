package io.inetkit.client.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;

/**
 * A UDP load "connection": a connected datagram socket. Each datagram is one message; its tag says
 * which, so echoes may come back in any order. A ring remembers the datagrams still awaited:
 *
 * <pre>
 *  ring[seq % W] = seq + 1 (| MEASURED when sent inside the window); 0 once echoed or given up
 * </pre>
 *
 * A datagram whose echo does not come within --timeout is lost; an echo that comes after that, or twice,
 * is late. Loss is counted as datagrams sent in the window minus echoes received for them.
 */
final class UdpLoadConnection extends LoadConnection {

    private static final long MEASURED = 1L << 63;

    private final long[] ring;
    private final int ringMask;
    private final long seqMask;
    private long batchSeq0;
    private int batchLeft;
    /** --message payloads carry no tag: the oldest awaited datagram is the one echoed. */
    private long untaggedCursor;

    UdpLoadConnection(Worker worker, int gid) {
        super(worker, gid);
        int need = open ? 1024 : Math.max(16, depth * 2);
        int w = Integer.highestOneBit(need - 1) << 1;
        this.ring = new long[w];
        this.ringMask = w - 1;
        int bits = pattern.seqBits();
        this.seqMask = bits >= 63 ? -1L : (1L << bits) - 1;
    }

    @Override
    void startBatch(long now) {
        batchStart = now;
        batchSeq0 = starget;
        starget += depth;
        batchLeft = depth;
        sendPending(now);
    }

    @Override
    void sendPending(long now) {
        if (isDead()) {
            return;
        }
        int in = worker.inWindow(now);
        while (sseq < starget) {
            pattern.write(scratch, 0, gid, sseq);
            ByteBuf buf = channel.alloc().directBuffer(wire).writeBytes(scratch, 0, wire);
            channel.write(buf, channel.voidPromise());
            ring[(int) (sseq & ringMask)] = (sseq + 1) | (in * MEASURED);
            recorder.udpSent(in);
            sseq++;
        }
        channel.flush();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (isDead() || worker.isStopped()) {
                return;
            }
            ByteBuf in = msg instanceof DatagramPacket p ? p.content() : (ByteBuf) msg;
            received(in, System.nanoTime());
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void received(ByteBuf in, long now) {
        Worker w = worker;
        if (in.readableBytes() != wire || sseq == 0) {
            w.error(ErrorKind.MISMATCH);
            return;
        }
        long seq;
        if (pattern.tagged()) {
            long low = pattern.readSeqBits(in, in.readerIndex());
            if (low < 0) {
                w.error(ErrorKind.MISMATCH);
                return;
            }
            long last = sseq - 1;
            long delta = (last - low) & seqMask;
            if (delta > last) {
                recorder.udpLate();
                return;
            }
            seq = last - delta;
        } else {
            while (untaggedCursor < sseq && (ring[(int) (untaggedCursor & ringMask)] & ~MEASURED) != untaggedCursor + 1) {
                untaggedCursor++;
            }
            if (untaggedCursor == sseq) {
                recorder.udpLate();
                return;
            }
            seq = untaggedCursor;
        }
        if (!expected.matches(gid, seq, 0, in, in.readerIndex(), wire)) {
            w.error(ErrorKind.MISMATCH);
            return;
        }
        int entry = (int) (seq & ringMask); // the ring's, not the connection's schedule slot
        if ((ring[entry] & ~MEASURED) != seq + 1) {
            recorder.udpLate(); // after its timeout, or a duplicate
            return;
        }
        if ((ring[entry] & MEASURED) != 0) {
            recorder.udpReceived();
        }
        ring[entry] = 0;
        int window = w.inWindow(now);
        recorder.recordEcho(now - (open ? w.intended(slot, seq) : batchStart), window);
        doneMeasured += window;
        doneAll++;
        recorder.completed(1);
        if (!open && seq >= batchSeq0 && seq < starget && batchLeft > 0 && --batchLeft == 0 && !w.isOver(now)) {
            startBatch(now);
        }
    }

    @Override
    void checkTimeout(long now) {
        if (open || batchLeft == 0 || now - batchStart < worker.timeoutNanos()) {
            return;
        }
        for (long s = batchSeq0; s < starget; s++) {
            int entry = (int) (s & ringMask);
            if ((ring[entry] & ~MEASURED) == s + 1) {
                ring[entry] = 0; // lost: a later echo counts as late
            }
        }
        batchLeft = 0;
        if (!worker.isOver(now)) {
            startBatch(now);
        }
    }

    @Override
    void finish(long end) {
        // datagrams still awaited are lost; loss = sent - received, counted by the worker
    }
}
