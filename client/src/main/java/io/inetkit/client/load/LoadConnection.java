package io.inetkit.client.load;

import io.inetkit.client.Failures;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.net.PortUnreachableException;

/**
 * One connection of a load run, and the only handler of its pipeline ({@link LoadInitializer}): the echo
 * of a framed message is the same frame byte for byte, so the received stream is checked against the
 * sent one directly, with no decoder and no copy. Lives on its worker's event loop, and owns its send
 * and receive positions; the worker drives it through {@link #startBatch}, {@link #due}/{@link #sendDue},
 * {@link #checkTimeout} and {@link #finish}.
 */
abstract class LoadConnection extends ChannelInboundHandlerAdapter {

    protected final Worker worker;
    protected final WorkerRecorder recorder;
    protected final ExpectedBytes expected;
    /** Global connection number: part of every payload's tag. */
    protected final int gid;
    /** The run's message: its bytes on the wire, framing included ({@link MessagePattern#wireSize}). */
    protected final MessagePattern pattern;
    protected final int wire;
    /** Closed loop: messages in flight (--pipeline); open loop: --rate paces the sends. */
    protected final int depth;
    protected final boolean open;
    /** The worker's buffer for building messages, shared by its connections (one event loop). */
    protected final byte[] scratch;
    /** Position in the worker's list: the open-loop schedule's slot. */
    protected int slot;
    protected Channel channel;
    protected ChannelHandlerContext ctx;
    /** Read by the reporting thread for progress only. */
    private boolean dead;
    /** Closed on purpose (--reconnect, or a failed handshake): its close is not an error. */
    private boolean retired;
    /** Open loop, --reconnect: closed, but its slot's schedule still counts what falls due for its successor. */
    private boolean handingOver;
    /** Echoes completed on this connection (not its slot's): what --reconnect counts. */
    protected long doneHere;
    private boolean dirty;
    /** Messages written so far / messages due so far (the send target). */
    protected long sseq;
    protected long starget;
    /** Echoes completed inside the measured window / since the start (warmup included). */
    protected long doneMeasured;
    protected long doneAll;
    protected long batchStart;
    /** Open loop: the slot's first message on this connection (--reconnect hands the schedule on). */
    protected long firstSeq;

    LoadConnection(Worker worker, int gid) {
        this.worker = worker;
        this.recorder = worker.recorder();
        this.expected = worker.expected();
        this.gid = gid;
        this.pattern = worker.pattern();
        this.wire = pattern.wireSize();
        this.depth = worker.settings().pipeline();
        this.open = worker.settings().openLoop();
        this.scratch = worker.scratch();
    }

    /** Closed loop: puts {@code pipeline} more messages in flight. */
    abstract void startBatch(long now);

    /** Writes the messages due ({@code starget - sseq}), one flush. */
    abstract void sendPending(long now);

    /** Called every few ms: counts and acts on an echo overdue by --timeout. */
    abstract void checkTimeout(long now);

    /** The end of the run on a live connection. */
    abstract void finish(long end);

    void slot(int slot) {
        this.slot = slot;
    }

    boolean isDead() {
        return dead;
    }

    /** Open loop: one more message is due; true when the connection was not yet marked to send this tick. */
    boolean due() {
        starget++;
        if (dirty) {
            return false;
        }
        dirty = true;
        return true;
    }

    /** Open loop: sends what {@link #due} marked. */
    void sendDue(long now) {
        dirty = false;
        if (!dead) {
            sendPending(now);
        }
    }

    boolean echoedAtAll() {
        return doneAll > 0;
    }

    boolean echoedInWindow() {
        return doneMeasured > 0;
    }

    void close() {
        if (channel != null) {
            channel.close();
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        channel = ctx.channel();
    }

    /** Open loop: whether the schedule hands this connection the messages due (live, or handing over). */
    boolean takesDue() {
        return !dead || handingOver;
    }

    /** --reconnect: closed on purpose, and what falls due until the successor is up is kept for it. */
    void handOver() {
        retire();
        handingOver = true;
    }

    /** The successor could not connect: nothing more falls due here. */
    void handOverFailed() {
        handingOver = false;
    }

    /** Marks this connection closed on purpose: dead, and its close counts as no error. */
    void retire() {
        retired = true;
        dead = true;
    }

    /**
     * A connection that takes this one's slot (--reconnect) carries on its counts; in the open loop also its
     * place in the slot's schedule: the messages sent and echoed, and those that fell due while it connected.
     */
    void takeOver(LoadConnection old) {
        doneAll = old.doneAll;
        doneMeasured = old.doneMeasured;
        if (open) {
            sseq = old.sseq;
            starget = old.starget;
            firstSeq = old.sseq;
        }
    }

    /**
     * Open loop with --reconnect N: the messages this connection may still send before it hands over. It sends
     * N, waits for their echoes, and then its successor sends the rest of what is due.
     */
    protected long sendLimit() {
        int n = worker.reconnectEvery();
        return open && n > 0 ? firstSeq + n : Long.MAX_VALUE;
    }

    void fail(ErrorKind kind) {
        if (dead || retired || worker.isStopped()) {
            return;
        }
        dead = true;
        boolean closedByServer = kind == ErrorKind.CLOSED || kind == ErrorKind.RESET;
        worker.error(closedByServer && doneAll == 0 ? ErrorKind.CLOSED_AT_CONNECT : kind);
        close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof PortUnreachableException) {
            worker.error(ErrorKind.UNREACHABLE); // UDP: the socket stays; this datagram is lost
            return;
        }
        fail(Failures.isReset(cause) ? ErrorKind.RESET : ErrorKind.IO_ERROR);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(ErrorKind.CLOSED);
        ctx.fireChannelInactive();
    }
}
