package io.inetkit.client.load;

import io.netty.channel.EventLoop;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.ObjLongConsumer;

/**
 * The share of one event loop thread in a run: its connections and their schedule. It owns the run's
 * clock on that loop (when the run, the measured window and the run end) and hands its connections the
 * {@link WorkerRecorder} and {@link ExpectedBytes} of the loop; everything but the connect times, the
 * progress count and the finished latch is touched by the loop thread alone, so the hot path takes no lock.
 *
 * <p>Latency, closed loop: from the moment a batch of {@code pipeline} messages was written to the
 * arrival of each message's last echoed byte. Open loop: from each message's <em>intended</em> send time
 * on the fixed schedule, so a stalled server or a late generator shows up in the latency (no coordinated
 * omission, as in wrk2). Only echoes completed inside the measured window are recorded; messages that
 * time out, or are still outstanding at the end, are recorded as {@code end - send} ("censored"; end is
 * when the timeout fired or the window closed).
 *
 * <p>Over 300 lines on purpose: it owns the state the hot path shares (the schedule, the connections, the
 * recorder), and keeping every change of that state in the one class that makes it is the point.
 */
final class Worker {

    private final EventLoop loop;
    private final LoadSettings settings;
    private final MessagePattern pattern;
    private final long timeoutNanos;
    private final ErrorCounts errors;
    private final WorkerRecorder recorder = new WorkerRecorder();
    private final ExpectedBytes expected;
    private final byte[] scratch;
    private final SingleWriterRecorder connectTimes = new SingleWriterRecorder(1, WorkerRecorder.HIGHEST_NANOS, 3);
    private final SingleWriterRecorder handshakeTimes = new SingleWriterRecorder(1, WorkerRecorder.HIGHEST_NANOS, 3);
    /** TLS handshakes completed inside the measured window (loop thread; read at the end). */
    private long handshakesInWindow;
    /** Of those, the ones that resumed a session (--tls-resume). */
    private long resumedInWindow;
    private final SingleWriterRecorder upgradeTimes = new SingleWriterRecorder(1, WorkerRecorder.HIGHEST_NANOS, 3);
    /** WebSocket: upgrades that took permessage-deflate, and the server's close frames by code (loop thread). */
    private long deflatedUpgrades;
    private final Map<Integer, Long> serverCloses = new HashMap<>();
    private byte[][] http1Requests;
    private io.netty.handler.codec.http2.Http2Headers[] http2Requests;
    private final HttpCounts httpCounts = new HttpCounts();
    private Connector connector;
    private io.netty.bootstrap.Bootstrap bootstrap;
    private final List<LoadConnection> connections = new ArrayList<>();
    /** --reconnect's successors whose connect (and handshake, and upgrade) is under way (loop thread). */
    private final List<LoadConnection> connecting = new ArrayList<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final BackgroundPacer pacer = new BackgroundPacer();

    // the schedule, set on the loop thread by start()
    private long tRun;
    private long tMeas;
    private long tEnd;
    private double periodNanos;
    private boolean stopped;
    private long k;
    private final Runnable tickTask = this::tick;
    private LoadConnection[] dirty = new LoadConnection[0];
    private int dirtyCount;

    Worker(EventLoop loop, LoadSettings settings, MessagePattern pattern, ErrorCounts errors) {
        this.loop = loop;
        this.settings = settings;
        this.pattern = pattern;
        this.timeoutNanos = settings.timeout().toNanos();
        this.errors = errors;
        this.expected = new ExpectedBytes(pattern);
        this.scratch = new byte[pattern.wireSize()];
    }

    EventLoop loop() {
        return loop;
    }

    LoadSettings settings() {
        return settings;
    }

    MessagePattern pattern() {
        return pattern;
    }

    WorkerRecorder recorder() {
        return recorder;
    }

    ExpectedBytes expected() {
        return expected;
    }

    /** A buffer of one wire message, shared by the loop's connections to build what they send. */
    byte[] scratch() {
        return scratch;
    }

    long timeoutNanos() {
        return timeoutNanos;
    }

    BackgroundPacer pacer() {
        return pacer;
    }

    /** Counts an error of a connection of this loop, unless the run has ended (closing is not an error then). */
    void error(ErrorKind kind) {
        if (!stopped) {
            errors.add(kind);
        }
    }

    /** True once the run has ended on this loop. */
    boolean isStopped() {
        return stopped;
    }

    /** True from the window's end on: no new batch starts. */
    boolean isOver(long now) {
        return now >= tEnd || stopped;
    }

    /** True when a message sent at {@code sent} belongs to the measured window (censored samples). */
    boolean sentInWindow(long sent) {
        return sent >= tMeas;
    }

    /**
     * 1 if {@code now} is in the measured window {@code [tMeas, tEnd)}, else 0. Computed without a branch:
     * the sign bits of {@code now - tMeas} (0 from tMeas on) and {@code now - tEnd} (1 before tEnd).
     */
    int inWindow(long now) {
        return (int) ((~(now - tMeas) & (now - tEnd)) >>> 63);
    }

    /** The intended send time of message {@code seq} of the connection at {@code slot} (open loop). */
    long intended(int slot, long seq) {
        return tRun + (long) ((seq * (double) connections.size() + slot) * periodNanos);
    }

    /** A TLS handshake of this loop took {@code nanos}, ended at {@code now} and resumed a session or not (on this loop). */
    void handshake(long nanos, long now, boolean resumed) {
        handshakeTimes.recordValue(WorkerRecorder.clamp(nanos));
        int window = inWindow(now);
        handshakesInWindow += window;
        if (resumed) {
            resumedInWindow += window;
        }
    }

    /** The handshake times of this loop since the last call (reporting thread). */
    Histogram handshakeTimes() {
        return handshakeTimes.getIntervalHistogram();
    }

    /** Handshakes done in the measured window (after {@link #awaitFinished}). */
    long handshakesInWindow() {
        return handshakesInWindow;
    }

    /** Of {@link #handshakesInWindow}, the resumed ones. */
    long resumedInWindow() {
        return resumedInWindow;
    }

    /** --reconnect's N, or 0. */
    int reconnectEvery() {
        return settings.reconnect();
    }

    /** How {@link #reconnect} makes new connections: the run's connector and this loop's bootstrap. */
    void reconnectWith(Connector connector, io.netty.bootstrap.Bootstrap bootstrap) {
        this.connector = connector;
        this.bootstrap = bootstrap;
    }

    /**
     * --reconnect: closes {@code old} (its N messages are done) and connects a new connection into its slot,
     * which starts its batch once up (and, with TLS, handshaken). On the loop thread.
     */
    void reconnect(LoadConnection old) {
        old.handOver();
        old.close();
        if (connector == null) {
            return;
        }
        LoadConnection next = newConnection(old.gid);
        int slot = old.slot;
        connecting.add(next);
        connector.connect(bootstrap, next, old.gid, settings.sourceIps(), (ok, nanos) -> {
            connecting.remove(next);
            if (!ok || stopped) {
                old.handOverFailed();
                if (ok) {
                    next.retire();
                    next.close();
                }
                return;
            }
            next.takeOver(old); // now, with what fell due while it connected (open loop)
            next.slot(slot);
            connections.set(slot, next);
            long now = System.nanoTime();
            if (!isOver(now)) {
                if (settings.openLoop()) {
                    next.sendPending(now);
                } else {
                    next.startBatch(now);
                }
            }
        });
    }

    /** A new connection of this loop, number {@code gid} of the run: UDP, WebSocket or TCP, as the run is. */
    LoadConnection newConnection(int gid) {
        if (settings.http() != null) {
            return settings.http().version() == HttpLoad.Version.HTTP_2 ? new Http2LoadConnection(this, gid)
                    : new Http1LoadConnection(this, gid);
        }
        return settings.udp() ? new UdpLoadConnection(this, gid)
                : settings.webSocket() != null ? new WsLoadConnection(this, gid) : new TcpLoadConnection(this, gid);
    }

    /** HTTP/1.1: each path's request as it goes on the wire, built once for the loop's connections. */
    byte[][] http1Requests() {
        if (http1Requests == null) {
            http1Requests = settings.http().http1Requests();
        }
        return http1Requests;
    }

    /** HTTP/2: each path's request headers, built once for the loop's connections. */
    io.netty.handler.codec.http2.Http2Headers[] http2Requests() {
        if (http2Requests == null) {
            http2Requests = settings.http().http2Requests();
        }
        return http2Requests;
    }

    /** HTTP: the responses of this loop's connections, by status, and their bodies (loop thread). */
    HttpCounts httpCounts() {
        return httpCounts;
    }

    /** A WebSocket upgrade of this loop took {@code nanos}; the server took permessage-deflate or not (on this loop). */
    void upgrade(long nanos, boolean deflated) {
        upgradeTimes.recordValue(WorkerRecorder.clamp(nanos));
        if (deflated) {
            deflatedUpgrades++;
        }
    }

    /** The upgrade times of this loop since the last call (reporting thread). */
    Histogram upgradeTimes() {
        return upgradeTimes.getIntervalHistogram();
    }

    /** Upgrades the server answered with permessage-deflate (after {@link #awaitFinished}). */
    long deflatedUpgrades() {
        return deflatedUpgrades;
    }

    /** The server sent a close frame with {@code code} during the run (on this loop). */
    void serverClosed(int code) {
        serverCloses.merge(code, 1L, Long::sum);
    }

    /** The close frames the server sent during the run, by code (after {@link #awaitFinished}). */
    Map<Integer, Long> serverCloses() {
        return Map.copyOf(serverCloses);
    }

    /** A connection of this loop is up, {@code connectNanos} after its connect began (on this loop). */
    void connected(LoadConnection c, long connectNanos) {
        connectTimes.recordValue(WorkerRecorder.clamp(connectNanos));
        connections.add(c);
    }

    /** The connect times of this loop's connections (reporting thread, after the connect phase). */
    Histogram connectTimes() {
        return connectTimes.getIntervalHistogram();
    }

    /** Starts sending at {@code run}, measures in {@code [meas, end)}: from any thread, once every connection is up. */
    void startAt(long run, long meas, long end) {
        loop.execute(() -> start(run, meas, end));
    }

    private void start(long run, long meas, long end) {
        tRun = run;
        tMeas = meas;
        tEnd = end;
        boolean open = settings.openLoop();
        if (open) {
            pacer.readLoopThread();
        }
        int n = connections.size();
        for (int i = 0; i < n; i++) {
            connections.get(i).slot(i);
        }
        dirty = new LoadConnection[n];
        long watch = Math.max(TimeUnit.MILLISECONDS.toNanos(1),
                Math.min(TimeUnit.MILLISECONDS.toNanos(100), timeoutNanos / 4));
        loop.scheduleAtFixedRate(whileRunning(LoadConnection::checkTimeout), watch, watch, TimeUnit.NANOSECONDS);
        long stopAt = settings.udp() ? end + timeoutNanos : end;
        loop.schedule(this::finish, stopAt - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (n == 0) {
            return;
        }
        // both modes begin at run, never before: with no warm-up, the first messages are in the window
        if (open) {
            periodNanos = 1e9 / (settings.rate() / settings.threads());
            loop.schedule(tickTask, Math.max(0, run - System.nanoTime()), TimeUnit.NANOSECONDS);
        } else {
            loop.schedule(whileRunning(LoadConnection::startBatch), Math.max(0, run - System.nanoTime()),
                    TimeUnit.NANOSECONDS);
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
        pacer.onTick(now - (tRun + (long) (k * periodNanos)), now);
        while (true) {
            long due = tRun + (long) (k * periodNanos);
            if (due > now) {
                next = due;
                break;
            }
            LoadConnection c = connections.get((int) (k % n));
            k++;
            if (c.takesDue() && c.due()) {
                dirty[dirtyCount++] = c;
            }
        }
        for (int i = 0; i < dirtyCount; i++) {
            LoadConnection c = dirty[i];
            dirty[i] = null;
            c.sendDue(now);
        }
        dirtyCount = 0;
        if (next < tEnd) {
            loop.schedule(tickTask, next - System.nanoTime(), TimeUnit.NANOSECONDS);
        }
    }

    /** Ends the run on this loop: censored samples for what is outstanding, then every connection closed. */
    private void finish() {
        if (stopped) {
            return;
        }
        stopped = true;
        forEachLive(LoadConnection::finish, System.nanoTime());
        for (LoadConnection c : connections) {
            c.close();
        }
        closeConnecting();
        finished.countDown();
    }

    /**
     * A task for the loop: {@code step} on every live connection, now, unless the run has stopped (the
     * closed loop's start, and the watchdog's timeout checks).
     */
    private Runnable whileRunning(ObjLongConsumer<LoadConnection> step) {
        return () -> {
            if (!stopped) {
                forEachLive(step, System.nanoTime());
            }
        };
    }

    /** Hands {@code now} to {@code step} of every connection that is not dead (a step of the schedule). */
    private void forEachLive(ObjLongConsumer<LoadConnection> step, long now) {
        for (LoadConnection c : connections) {
            if (!c.isDead()) {
                step.accept(c, now);
            }
        }
    }

    /**
     * Closes the measured window at {@code cut} (Ctrl-C), from any thread: nothing sent or echoed after it
     * is measured, outstanding messages are censored there, and UDP waits its --timeout for the last echoes.
     */
    void stopAt(long cut) {
        loop.execute(() -> {
            if (stopped || cut >= tEnd) {
                return;
            }
            tEnd = cut;
            long finishAt = settings.udp() ? cut + timeoutNanos : cut;
            loop.schedule(this::finish, Math.max(0, finishAt - System.nanoTime()), TimeUnit.NANOSECONDS);
        });
    }

    /**
     * Closes the --reconnect successors still connecting: now, while the loop runs, and not by the loop's shutdown,
     * whose close can come too late for a TLS handler to release what waits for its handshake (a WebSocket upgrade,
     * HTTP/2's preface).
     */
    private void closeConnecting() {
        for (LoadConnection c : List.copyOf(connecting)) {
            c.retire();
            c.close();
        }
        connecting.clear();
    }

    /** Ends the run now if it has not ended (a worker that did not finish in time). */
    void abort() {
        loop.execute(() -> {
            if (!stopped) {
                stopped = true;
                for (LoadConnection c : connections) {
                    c.close();
                }
                closeConnecting();
            }
            finished.countDown();
        });
    }

    /** Waits until the run ended on this loop; false when it did not within {@code nanos}. */
    boolean awaitFinished(long nanos) throws InterruptedException {
        return finished.await(nanos, TimeUnit.NANOSECONDS);
    }

    /** The latencies recorded since the previous call (reporting thread). */
    Histogram latencyInterval() {
        return recorder.takeInterval(loop);
    }

    /** Connections still alive; read from another thread: a progress figure, exact enough. */
    int liveConnections() {
        int live = 0;
        for (LoadConnection c : List.copyOf(connections)) {
            if (!c.isDead()) {
                live++;
            }
        }
        return live;
    }

    /** This loop's figures at the end of the run (reporting thread, after {@link #awaitFinished}). */
    Totals totals() {
        int echoed = 0;
        int echoedInWindow = 0;
        for (LoadConnection c : connections) {
            echoed += c.echoedAtAll() ? 1 : 0;
            echoedInWindow += c.echoedInWindow() ? 1 : 0;
        }
        return new Totals(recorder.totals(), echoed, echoedInWindow);
    }

    /** What a worker counted, and how many of its connections completed an echo (at all, in the window). */
    record Totals(WorkerRecorder.Totals counts, int echoed, int echoedInWindow) {
        static final Totals NONE = new Totals(new WorkerRecorder.Totals(0, 0, 0, 0, 0), 0, 0);

        Totals plus(Totals o) {
            return new Totals(counts.plus(o.counts), echoed + o.echoed, echoedInWindow + o.echoedInWindow);
        }
    }
}
