package io.inetkit.client.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;
import io.netty.util.concurrent.Future;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The share of one event loop thread in a run: its connections, its schedule, its histograms and
 * counters. Everything but the published counters and recorders is touched by that thread alone, so the
 * hot path takes no lock.
 *
 * <p>Latencies are recorded in nanoseconds into a plain {@link Histogram} owned by the loop thread; once a
 * second the reporting thread has the loop swap it for an empty one (a task on the loop), so recording
 * costs no atomic operation. Closed loop: from the moment a batch of {@code pipeline} messages was written to
 * the arrival of each message's last echoed byte. Open loop: from each message's <em>intended</em> send
 * time on the fixed schedule, so a stalled server or a late generator shows up in the latency (no
 * coordinated omission, as in wrk2). Only echoes completed inside the measured window are recorded;
 * messages that time out, or are still outstanding at the end, are recorded as {@code end - send}
 * ("censored"; end is when the timeout fired or the window closed).
 */
final class Worker {

    static final long HIGHEST_NANOS = TimeUnit.HOURS.toNanos(1);

    final EventLoop loop;
    final LoadSettings settings;
    final MessagePattern pattern;
    final int wireSize;
    final long timeoutNanos;
    final ErrorCounts errors;
    /** Latencies of the current interval: written by the loop thread only, swapped on it once a second. */
    private Histogram latency = new Histogram(1, HIGHEST_NANOS, 3);
    /**
     * Where samples go, by {@link #inWindow}: [0] outside the window (warm-up, drain; never read), [1] the
     * current interval. Warm-up runs the very code of the window, so the JIT has compiled the recording
     * path before the window opens instead of deoptimizing and recompiling it then, on the generator's core.
     */
    private final Histogram[] sinks = {new Histogram(1, HIGHEST_NANOS, 3), latency};
    private Histogram spare;
    final SingleWriterRecorder connectTimes = new SingleWriterRecorder(1, HIGHEST_NANOS, 3);
    final List<LoadConnection> connections = new ArrayList<>();
    final CountDownLatch finished = new CountDownLatch(1);

    /** Completed echoes since the start, warmup included (progress). Written by the loop thread only. */
    final AtomicLong completed = new AtomicLong();

    // schedule, set on the loop thread by start()
    long tRun;
    long tMeas;
    long tEnd;
    boolean open;
    double periodNanos;
    boolean stopped;
    private long k;
    private final Runnable tickTask = this::tick;
    /**
     * The background threads moved aside for an open-loop window (see {@link LoopPriority}), set by the
     * reporting thread once it moved them; null otherwise. Set without a task on the loop: a task of a
     * new class there is a new type at a call site the JIT compiled for the warm-up's types, and costs a
     * deoptimization in the window.
     */
    volatile LoopPriority priority;
    /** This loop's thread id (Linux), read on the loop at {@link #start}; 0 if unknown. */
    volatile int loopThread;
    /** When this loop put the background threads back because it was behind; 0 when it has not. */
    private long restoredAt;
    /** A send due this long makes the loop put the background threads back to nice 0 ... */
    static final long BEHIND_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** ... and they go back to nice 19 once the loop has been on time (within 1 ms) for 200 ms after that. */
    static final long CAUGHT_UP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    static final long RELOWER_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private LoadConnection[] dirty = new LoadConnection[0];
    private int dirtyCount;

    // results, read after finished
    long measuredMessages;
    long censored;
    long udpSent;
    long udpReceived;
    long udpLate;

    // the expected bytes of one message, regenerated when another message is checked
    private final byte[] expected;
    private final ByteBuf expectedBuf;
    private final java.nio.ByteBuffer expectedNio;
    private final boolean tagged;
    private boolean expectedValid;
    private int expectedGid;
    private long expectedSeq;
    final byte[] scratch;

    Worker(EventLoop loop, LoadSettings settings, MessagePattern pattern, ErrorCounts errors) {
        this.loop = loop;
        this.settings = settings;
        this.pattern = pattern;
        this.wireSize = pattern.wireSize();
        this.timeoutNanos = settings.timeout().toNanos();
        this.errors = errors;
        this.expected = new byte[wireSize];
        this.expectedBuf = Unpooled.wrappedBuffer(expected);
        this.expectedNio = java.nio.ByteBuffer.wrap(expected);
        this.scratch = new byte[wireSize];
        this.tagged = pattern.tagged();
    }

    /** Records a latency sample of the measured window (loop thread). */
    void record(long nanos) {
        latency.recordValue(Math.min(HIGHEST_NANOS, Math.max(1, nanos)));
    }

    /** Records a latency sample, kept if {@code in} (from {@link #inWindow}) is 1 (loop thread). */
    void record(long nanos, int in) {
        sinks[in].recordValue(Math.min(HIGHEST_NANOS, Math.max(1, nanos)));
    }

    /**
     * 1 if {@code now} is in the measured window {@code [tMeas, tEnd)}, else 0. Computed without a branch:
     * the sign bits of {@code now - tMeas} (0 from tMeas on) and {@code now - tEnd} (1 before tEnd).
     */
    int inWindow(long now) {
        return (int) ((~(now - tMeas) & (now - tEnd)) >>> 63);
    }

    void published(long n) {
        completed.lazySet(completed.get() + n);
    }

    /**
     * True when {@code len} bytes of {@code in} from {@code index} are the bytes at {@code offset} of
     * message {@code seq} of connection {@code gid}. Compares in place: nothing is copied out of {@code in}.
     */
    boolean verify(int gid, long seq, int offset, ByteBuf in, int index, int len) {
        if (!expectedValid || (tagged && (seq != expectedSeq || gid != expectedGid))) {
            pattern.write(expected, 0, gid, seq);
            expectedGid = gid;
            expectedSeq = seq;
            expectedValid = true;
        }
        if (in.nioBufferCount() == 1) {
            // the JDK's vectorized mismatch over the buffer's own memory: no copy, no allocation
            java.nio.ByteBuffer got = in.internalNioBuffer(index, len);
            expectedNio.limit(offset + len).position(offset);
            return got.equals(expectedNio);
        }
        return ByteBufUtil.equals(in, index, expectedBuf, offset, len);
    }

    /** The intended send time of message {@code seq} of the connection at {@code idx} (open loop). */
    long intended(int idx, long seq) {
        return tRun + (long) ((seq * (double) connections.size() + idx) * periodNanos);
    }

    /** Starts sending: called on the loop thread once every connection is up. */
    void start(long run, long meas, long end) {
        tRun = run;
        tMeas = meas;
        tEnd = end;
        open = settings.openLoop();
        if (open) {
            try {
                loopThread = LoopPriority.currentThread();
            } catch (IOException | RuntimeException notLinux) {
                loopThread = 0;
            }
        }
        int n = connections.size();
        for (int i = 0; i < n; i++) {
            connections.get(i).index = i;
        }
        dirty = new LoadConnection[n];
        long watch = Math.max(TimeUnit.MILLISECONDS.toNanos(1),
                Math.min(TimeUnit.MILLISECONDS.toNanos(100), settings.timeout().toNanos() / 4));
        loop.scheduleAtFixedRate(this::watchdog, watch, watch, TimeUnit.NANOSECONDS);
        long stopAt = settings.udp() ? end + settings.timeout().toNanos() : end;
        loop.schedule(this::finish, stopAt - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (n == 0) {
            return;
        }
        // both modes begin at run, never before: with no warm-up, the first messages are in the window
        if (open) {
            periodNanos = 1e9 / (settings.rate() / settings.threads());
            loop.schedule(tickTask, Math.max(0, run - System.nanoTime()), TimeUnit.NANOSECONDS);
        } else {
            loop.schedule(this::startClosedLoop, Math.max(0, run - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    private void startClosedLoop() {
        if (stopped) {
            return;
        }
        long now = System.nanoTime();
        for (LoadConnection c : connections) {
            if (!c.dead) {
                c.startBatch(now);
            }
        }
    }

    /** Open loop: hands every message now due to its connection, one write per connection, then sleeps until the next. */
    private void tick() {
        if (stopped) {
            return;
        }
        long now = System.nanoTime();
        if (now >= tEnd) {
            return;
        }
        int n = connections.size();
        long next;
        LoopPriority background = priority;
        if (background != null) {
            pace(background, now - (tRun + (long) (k * periodNanos)), now);
        }
        while (true) {
            long due = tRun + (long) (k * periodNanos);
            if (due > now) {
                next = due;
                break;
            }
            LoadConnection c = connections.get((int) (k % n));
            k++;
            if (c.dead) {
                continue;
            }
            c.starget++;
            if (!c.dirty) {
                c.dirty = true;
                dirty[dirtyCount++] = c;
            }
        }
        for (int i = 0; i < dirtyCount; i++) {
            LoadConnection c = dirty[i];
            dirty[i] = null;
            c.dirty = false;
            if (!c.dead) {
                c.sendPending(now);
            }
        }
        dirtyCount = 0;
        if (next < tEnd) {
            loop.schedule(tickTask, next - System.nanoTime(), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Open loop: the background threads go back to nice 0 while this loop is behind its
     * schedule by more than {@link #BEHIND_NANOS} ({@code late}: how late the first send now due is),
     * and aside again once it has been on time for {@link #RELOWER_AFTER_NANOS}.
     */
    private void pace(LoopPriority background, long late, long now) {
        if (late > BEHIND_NANOS) {
            if (background.isDown()) {
                background.restore();
            }
            restoredAt = now;
        } else if (restoredAt != 0 && late < CAUGHT_UP_NANOS && now - restoredAt > RELOWER_AFTER_NANOS) {
            background.relower();
            restoredAt = 0;
        }
    }

    private void watchdog() {
        if (stopped) {
            return;
        }
        long now = System.nanoTime();
        for (LoadConnection c : connections) {
            if (!c.dead) {
                c.checkTimeout(now);
            }
        }
    }

    /** Ends the run on this loop: censored samples for what is outstanding, then every connection closed. */
    private void finish() {
        if (stopped) {
            return;
        }
        stopped = true;
        long end = System.nanoTime();
        for (LoadConnection c : connections) {
            if (!c.dead) {
                c.finish(end);
            }
            c.channel.close();
        }
        finished.countDown();
    }

    /** A closing connection at the end: drop it if the run was ended before it started (early stop). */
    void abort() {
        loop.execute(() -> {
            if (!stopped) {
                stopped = true;
                for (LoadConnection c : connections) {
                    c.channel.close();
                }
            }
            finished.countDown();
        });
    }

    /**
     * The latencies recorded since the previous call (the reporting thread's only; valid until its next
     * call). The swap runs on the loop thread, which alone records.
     */
    Histogram latencyInterval() {
        Histogram fresh = spare != null ? spare : new Histogram(1, HIGHEST_NANOS, 3);
        fresh.reset();
        Future<Histogram> swapped = loop.submit(() -> {
            Histogram old = latency;
            latency = fresh;
            sinks[1] = fresh;
            // the warm-up's sink is never read: emptied here, so that the warm-up records into an empty
            // histogram once a second as the window does. Without it the first sample of the window took
            // a branch of recordValue (a new minimum) that the warm-up never took: the JIT deoptimized the
            // receive path then, and recompiled it in the window
            sinks[0].reset();
            return old;
        });
        if (!swapped.awaitUninterruptibly(10, TimeUnit.SECONDS) || !swapped.isSuccess()) {
            spare = fresh;
            return new Histogram(1, HIGHEST_NANOS, 3); // the loop is gone: nothing more was recorded
        }
        spare = swapped.getNow();
        return spare;
    }
}
