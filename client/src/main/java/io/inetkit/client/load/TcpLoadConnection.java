package io.inetkit.client.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * A TCP load connection. The stream of echoes is checked byte by byte against the stream sent: message
 * {@code rseq} is complete when its last byte arrived, however the bytes were cut into reads.
 *
 * <pre>
 *  sent:     | m0 | m1 | m2 | m3 |            sseq = 4 (written)
 *  echoed:   | m0 | m1 | m2 ..                rseq = 2, roff = bytes of m2 seen so far
 * </pre>
 */
class TcpLoadConnection extends LoadConnection {

    /** Messages whose echo is complete. */
    protected long rseq;
    /** Open loop: when each message in flight was actually written, by seq (a ring; {@link #sentSeq} checks it). */
    private long[] sentAt;
    private long[] sentSeq;
    private static final int SENT_RING = 4096;
    /** Keep the write times in the closed loop too (a connection whose latency starts at each message's write). */
    protected boolean recordSends;
    private int roff;
    /** Reused for every batch once the previous write released it (refCnt back to 1). */
    private ByteBuf sendBuf;

    TcpLoadConnection(Worker worker, int gid) {
        super(worker, gid);
    }

    @Override
    void startBatch(long now) {
        batchStart = now;
        starget += depth;
        sendPending(now);
    }

    @Override
    void takeOver(LoadConnection old) {
        super.takeOver(old);
        firstSeqHere = sseq;
        if (open) {
            rseq = ((TcpLoadConnection) old).rseq; // every message it sent was echoed before it handed over
        }
    }

    @Override
    void sendPending(long now) {
        int n = (int) (Math.min(starget, sendLimit()) - sseq);
        if (n <= 0 || isDead()) {
            return;
        }
        int bytes = n * wire;
        ByteBuf buf = sendBuf;
        if (buf == null || buf.refCnt() != 1 || buf.capacity() < bytes) {
            if (buf != null) {
                buf.release(); // a write still holds it: it goes when that write is done
            }
            buf = sendBuf = ctx.alloc().directBuffer(bytes);
        }
        buf.clear();
        long until = sseq + n;
        for (long seq = sseq; seq < until; seq++) {
            pattern.write(scratch, 0, gid, seq);
            buf.writeBytes(scratch, 0, wire);
        }
        markSent(sseq, until, now);
        sseq = until;
        ctx.writeAndFlush(buf.retain(), ctx.voidPromise());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            if (isDead()) {
                return;
            }
            int left = in.readableBytes();
            if ((rseq - sseq) * wire + roff + left > 0) {
                fail(ErrorKind.MISMATCH); // more bytes than were sent
                return;
            }
            long now = System.nanoTime();
            Worker w = worker;
            int window = w.inWindow(now);
            int index = in.readerIndex();
            int completed = 0;
            while (left > 0) {
                int take = Math.min(wire - roff, left);
                if (!expected.matches(gid, rseq, roff, in, index, take)) {
                    fail(ErrorKind.MISMATCH);
                    break;
                }
                index += take;
                left -= take;
                roff += take;
                if (roff == wire) {
                    echoed(now, window);
                    completed++;
                    roff = 0;
                }
            }
            completed(completed, now);
        } finally {
            in.release();
        }
    }

    /** Message {@code rseq}'s echo is complete, at {@code now}: its latency recorded, the next one awaited. */
    protected final void echoed(long now, int window) {
        echoed(now, window, rseq);
    }

    /** As {@link #echoed(long, int)}, for message {@code seq}: replies that come back out of order (HTTP/2). */
    protected final void echoed(long now, int window, long seq) {
        // the same code inside the window and out of it (see WorkerRecorder.sinks)
        recorder.recordEcho(now - (open ? worker.intended(slot, seq) : batchStart), window);
        if (open && sentAt != null && sentSeq[(int) (seq & (SENT_RING - 1))] == seq) {
            recorder.recordFromSend(now - sentAt[(int) (seq & (SENT_RING - 1))], window);
        }
        doneMeasured += window;
        rseq++;
    }

    /** When message {@code seq} was written, or {@code fallback} when the ring no longer has it. */
    protected final long sentAt(long seq, long fallback) {
        int i = (int) (seq & (SENT_RING - 1));
        return sentAt != null && sentSeq[i] == seq ? sentAt[i] : fallback;
    }

    /** Open loop: messages {@code from} to {@code until} (exclusive) were written at {@code now}. */
    protected final void markSent(long from, long until, long now) {
        if (!open && !recordSends) {
            return;
        }
        if (sentAt == null) {
            sentAt = new long[SENT_RING];
            sentSeq = new long[SENT_RING];
            java.util.Arrays.fill(sentSeq, -1);
        }
        for (long seq = from; seq < until; seq++) {
            int i = (int) (seq & (SENT_RING - 1));
            sentAt[i] = now;
            sentSeq[i] = seq; // more than the ring in flight overwrites: that echo then has no such sample
        }
    }

    /** Closed loop: this connection's first message; --reconnect N counts the messages sent from it. */
    private long firstSeqHere;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        super.handlerAdded(ctx);
        firstSeqHere = sseq;
    }

    /** {@code until}, or less in the closed loop with --reconnect N: no message past this connection's N. */
    protected final long reconnectLimit(long until) {
        int every = worker.reconnectEvery();
        return !open && every > 0 ? Math.min(until, firstSeqHere + every) : until;
    }

    /**
     * Closed loop with D kept in flight (HTTP): a reply ended, so one more message may go, unless --reconnect N has
     * had this connection send its N; then the slot is handed over once {@code idle} (nothing in flight).
     *
     * @return whether one more may be written
     */
    protected final boolean refill(boolean idle) {
        int every = worker.reconnectEvery();
        if (every > 0 && sseq - firstSeqHere >= every) {
            if (idle) {
                worker.reconnect(this); // its N have ended: a new connection (and handshake) takes the slot
            }
            return false;
        }
        starget++;
        return true;
    }

    /** After a read that completed {@code completed} echoes: counts them, and starts what comes next. */
    protected final void completed(int completed, long now) {
        Worker w = worker;
        if (completed > 0) {
            doneAll += completed;
            doneHere += completed;
            recorder.completed(completed);
        }
        if (open && !isDead() && rseq == sseq && sseq == sendLimit() && !w.isOver(now)) {
            w.reconnect(this); // --reconnect with --rate: its N are echoed; the successor sends what is due
        } else if (!open && !isDead() && rseq == starget && !w.isOver(now)) {
            if (w.reconnectEvery() > 0 && doneHere >= w.reconnectEvery()) {
                w.reconnect(this); // --reconnect: a new connection, and handshake, takes over the slot
            } else {
                startBatch(now);
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (sendBuf != null) {
            sendBuf.release();
            sendBuf = null;
        }
        super.channelInactive(ctx);
    }

    private long oldestSendTime() {
        return sendTimeOf(rseq);
    }

    /** When message {@code seq}'s latency starts: its intended send time (open loop), or its batch's start. */
    protected long sendTimeOf(long seq) {
        return open ? worker.intended(slot, seq) : batchStart;
    }

    @Override
    void checkTimeout(long now) {
        if (rseq < sseq && now - oldestSendTime() > worker.timeoutNanos() && !isDead() && !worker.isStopped()) {
            censor(now); // a timed-out message took at least this long: it belongs in the tail, not out of it
            fail(ErrorKind.TIMEOUT);
        }
    }

    @Override
    void finish(long end) {
        censor(end);
    }

    /** Records {@code at - send} for every message still outstanding that was sent in the measured window. */
    private void censor(long at) {
        for (long s = rseq; s < sseq; s++) {
            long sent = sendTimeOf(s);
            if (sent >= at) {
                break;
            }
            if (worker.sentInWindow(sent)) {
                recorder.recordCensored(at - sent);
            }
        }
    }
}
