package io.inetkit.client.load;

import io.inetkit.common.cli.Cli;
import io.inetkit.common.cli.UserException;
import io.inetkit.common.framing.Framing;
import io.inetkit.common.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.util.concurrent.EventExecutor;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import java.io.FileNotFoundException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * One load run: the pre-flight check, the connect phase, warmup and measured window on the workers'
 * event loops, live progress once a second, and the {@link LoadResult}.
 *
 * <pre>
 *  preflight ─► connect N (≤ 256 in flight, --connect-rate) ─► warmup ─► measured window ─► finish
 *                                                                │ progress + hdr-log interval every second
 * </pre>
 */
final class LoadGenerator {

    static final int MAX_CONNECTS_IN_FLIGHT = 256;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final LoadSettings s;
    private final PrintWriter err;
    private final ErrorCounts errors = new ErrorCounts();
    private final AtomicInteger connected = new AtomicInteger();
    private final List<double[]> series = new ArrayList<>();
    private final List<String> preflightLines = new ArrayList<>();

    LoadGenerator(LoadSettings settings, PrintWriter err) {
        this.s = settings;
        this.err = err;
    }

    /** What the pre-flight check found (after {@link #run()} started). */
    List<String> preflight() {
        return List.copyOf(preflightLines);
    }

    /**
     * Runs the load and returns its result.
     *
     * @throws UserException before any connection is made when the run cannot fit, or when no connection
     *                       could be made at all
     */
    LoadResult run() throws InterruptedException {
        MessagePattern pattern;
        try {
            pattern = new MessagePattern(s.udp() ? new Framing.Raw() : s.framing(), s.size(), s.message());
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage(), Cli.EXIT_USAGE);
        }
        Preflight pre = Preflight.ofThisProcess();
        int sources = Math.max(1, s.sourceIps().size());
        preflightLines.addAll(pre.describe(s.connections(), sources));
        String problem = pre.problem(s.connections(), sources, !s.sourceIps().isEmpty());
        if (problem != null) {
            throw new UserException(problem, Cli.EXIT_USAGE);
        }
        if (s.progress()) {
            preflightLines.forEach(l -> err.println("pre-flight: " + l));
            err.flush();
        }
        Transport transport;
        try {
            transport = Transport.select(s.transport()).transport();
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage(), Cli.EXIT_USAGE);
        }
        HistogramLogWriter hlog = openLog();
        EventLoopGroup group = transport.newGroup(s.threads(), "inetkit-load");
        List<Worker> workers = new ArrayList<>();
        for (EventExecutor e : group) {
            workers.add(new Worker((EventLoop) e, s, pattern, errors));
        }
        try {
            if (s.openLoop()) {
                priority = LoopPriority.load(); // before the warm-up: the loading is work for the JIT too
            }
            long connectStart = System.nanoTime();
            connectAll(transport, workers);
            double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
            if (connected.get() == 0) {
                throw new UserException("no connection to " + where() + " could be made (" + describeErrors()
                        + ")", Cli.EXIT_RUNTIME);
            }
            if (s.progress()) {
                err.printf("connected %d/%d in %.2f s%s%n", connected.get(), s.connections(), connectSeconds,
                        errors.total() > 0 ? " (" + describeErrors() + ")" : "");
                err.flush();
            }
            long tRun = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1);
            long tMeas = tRun + s.warmup().toNanos();
            long tEnd = tMeas + s.duration().toNanos();
            for (Worker w : workers) {
                w.loop.execute(() -> w.start(tRun, tMeas, tEnd));
            }
            Histogram latency = new Histogram(Worker.HIGHEST_NANOS, 3);
            report(workers, tRun, tMeas, tEnd, latency, hlog);
            Histogram connect = new Histogram(Worker.HIGHEST_NANOS, 3);
            for (Worker w : workers) {
                connect.add(w.connectTimes.getIntervalHistogram());
            }
            return result(workers, latency, connect, hlog);
        } finally {
            if (priority != null) {
                priority.close();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            if (hlog != null) {
                hlog.close();
            }
        }
    }

    private HistogramLogWriter openLog() {
        if (s.hdrLog() == null) {
            return null;
        }
        try {
            return new HistogramLogWriter(s.hdrLog().toFile());
        } catch (FileNotFoundException e) {
            throw new UserException("cannot write --hdr-log " + s.hdrLog() + ": " + e.getMessage(), Cli.EXIT_USAGE);
        }
    }

    private String where() {
        return s.target().getHostString() + ":" + s.target().getPort();
    }

    private void connectAll(Transport transport, List<Worker> workers) throws InterruptedException {
        List<Bootstrap> bootstraps = new ArrayList<>();
        for (Worker w : workers) {
            Bootstrap b = new Bootstrap()
                    .group(w.loop)
                    .channel(s.udp() ? transport.datagramChannelClass() : transport.socketChannelClass())
                    .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                            s.connectTimeout().toMillis()));
            if (!s.udp()) {
                b.option(ChannelOption.TCP_NODELAY, true);
                if (transport == Transport.EPOLL && !s.sourceIps().isEmpty()) {
                    // the local port is chosen at connect, per destination, not at bind
                    b.option(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
                }
            }
            bootstraps.add(b);
        }
        IntFunction<LoadConnection> newConnection = gid -> {
            Worker w = workers.get(gid % workers.size());
            return s.udp() ? new UdpLoadConnection(w, gid) : new TcpLoadConnection(w, gid);
        };
        Semaphore inFlight = new Semaphore(MAX_CONNECTS_IN_FLIGHT);
        long start = System.nanoTime();
        long nextProgress = start + SECOND;
        List<InetAddress> sources = s.sourceIps();
        for (int i = 0; i < s.connections(); i++) {
            if (s.connectRate() > 0) {
                long due = start + (long) (i * 1e9 / s.connectRate());
                for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
                    LockSupport.parkNanos(Math.min(due - now, SECOND / 10)); // pacing, not synchronisation
                }
            }
            while (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                nextProgress = connectProgress(nextProgress, start);
            }
            nextProgress = connectProgress(nextProgress, start);
            LoadConnection c = newConnection.apply(i);
            Bootstrap b = bootstraps.get(i % workers.size()).clone().handler(c);
            long t0 = System.nanoTime();
            ChannelFuture f = sources.isEmpty() ? b.connect(s.target())
                    : b.connect(s.target(), new InetSocketAddress(sources.get(i % sources.size()), 0));
            f.addListener(done -> {
                inFlight.release();
                if (done.isSuccess()) {
                    c.channel = f.channel();
                    c.worker.connectTimes.recordValue(Math.min(Worker.HIGHEST_NANOS, Math.max(1, System.nanoTime() - t0)));
                    c.worker.connections.add(c); // on the connection's own event loop
                    connected.incrementAndGet();
                } else {
                    errors.add(classifyConnectFailure(done.cause()));
                    firstConnectFailure(done.cause());
                }
            });
        }
        long deadline = System.nanoTime() + s.connectTimeout().toNanos() + SECOND;
        while (!inFlight.tryAcquire(MAX_CONNECTS_IN_FLIGHT, 100, TimeUnit.MILLISECONDS)) {
            nextProgress = connectProgress(nextProgress, start);
            if (System.nanoTime() > deadline) {
                break;
            }
        }
        // every worker's connection list is complete once its loop ran the listeners queued before this
        for (Worker w : workers) {
            w.loop.submit(() -> { }).awaitUninterruptibly();
        }
    }

    private volatile boolean reportedConnectFailure;
    private double cpuPercent = -1;
    /** The event loops' priority over the background threads in an open-loop window (reporting thread). */
    private LoopPriority priority;
    private boolean prioritySet;
    private long cpuAtMeas = -1;
    private long wallAtMeas;

    /** The generator's CPU share over the measured window (JIT compilation in the warmup left out). */
    private void cpuSample(long tick, long now, long tMeas, long tEnd) {
        if (cpuAtMeas < 0 && tick >= tMeas && tick < tEnd) {
            cpuAtMeas = processCpuNanos();
            wallAtMeas = now;
        } else if (tick >= tEnd && cpuAtMeas >= 0 && cpuPercent < 0) {
            long cpu = processCpuNanos();
            cpuPercent = cpu < 0 ? -1 : 100.0 * (cpu - cpuAtMeas) / (now - wallAtMeas);
        }
    }

    private static long processCpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    private void firstConnectFailure(Throwable cause) {
        if (!reportedConnectFailure && s.progress()) {
            reportedConnectFailure = true;
            err.println("connect to " + where() + " failed: " + Cli.describe(cause));
            err.flush();
        }
    }

    static ErrorKind classifyConnectFailure(Throwable cause) {
        String m = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
        if (cause instanceof ConnectTimeoutException || m.contains("timed out")) {
            return ErrorKind.CONNECT_TIMEOUT;
        }
        if (m.contains("refused")) {
            return ErrorKind.CONNECT_REFUSED;
        }
        return ErrorKind.CONNECT_FAILED;
    }

    private long connectProgress(long nextProgress, long start) {
        long now = System.nanoTime();
        if (now < nextProgress) {
            return nextProgress;
        }
        if (s.progress()) {
            err.printf("t=%.1fs connecting: %d/%d up%s%n", (now - start) / 1e9, connected.get(), s.connections(),
                    errors.total() > 0 ? ", " + describeErrors() : "");
            err.flush();
        }
        return nextProgress + SECOND;
    }

    /**
     * The reporting loop: once a second (on second boundaries of the measured window) takes each worker's
     * latency interval, writes it to the log, adds it to the total and prints a progress line.
     */
    private void report(List<Worker> workers, long tRun, long tMeas, long tEnd, Histogram total, HistogramLogWriter hlog)
            throws InterruptedException {
        long wallStartMs = System.currentTimeMillis() + (tMeas - System.nanoTime()) / 1_000_000;
        if (hlog != null) {
            hlog.outputComment("[inetkit load " + where() + " " + s.mode() + "]");
            hlog.outputLogFormatVersion();
            hlog.outputStartTime(wallStartMs);
            hlog.setBaseTime(wallStartMs);
            hlog.outputBaseTime(wallStartMs);
            hlog.outputLegend();
        }
        long stopAt = s.udp() ? tEnd + s.timeout().toNanos() : tEnd;
        long k = -(long) Math.floor((tMeas - tRun) / (double) SECOND);
        Histogram interval = new Histogram(Worker.HIGHEST_NANOS, 3);
        long lastCompleted = 0;
        long lastTick = tRun;
        while (true) {
            long tick = tMeas + k * SECOND;
            if (lastTick < tEnd && tick > tEnd) {
                tick = tEnd; // the window's end is always a tick
            }
            tick = Math.min(tick, stopAt);
            if (tick <= lastTick) {
                k++;
                continue;
            }
            // wait for the tick, or for every worker to have finished early
            boolean allDone = awaitUntil(workers, tick);
            long now = System.nanoTime();
            if (priority != null && !prioritySet && tick >= tMeas - SECOND) {
                List<Integer> loops = new ArrayList<>();
                for (Worker w : workers) {
                    if (w.loopThread > 0) {
                        loops.add(w.loopThread);
                    }
                }
                priority.lower(loops); // the warm-up's last second: see LoopPriority
                prioritySet = true;
                for (Worker w : workers) {
                    w.priority = priority;
                }
            }
            interval.reset();
            for (Worker w : workers) {
                interval.add(w.latencyInterval());
            }
            long completed = 0;
            for (Worker w : workers) {
                completed += w.completed.get();
            }
            double secs = (now - lastTick) / 1e9;
            double rate = (completed - lastCompleted) / secs;
            // samples are recorded inside the window only, so an interval overlapping it holds them all
            if (now > tMeas && lastTick < tEnd) {
                long from = Math.max(lastTick, tMeas);
                long to = Math.min(now, tEnd);
                if (hlog != null && interval.getTotalCount() > 0) {
                    interval.setStartTimeStamp(wallStartMs + (from - tMeas) / 1_000_000);
                    interval.setEndTimeStamp(wallStartMs + (to - tMeas) / 1_000_000);
                    hlog.outputIntervalHistogram(interval);
                }
                if (to - from > SECOND / 20) {
                    series.add(new double[] {(to - tMeas) / 1e9, interval.getTotalCount() / ((to - from) / 1e9)});
                }
            }
            total.add(interval);
            cpuSample(tick, now, tMeas, tEnd);
            if (s.progress() && now <= stopAt + SECOND / 2) {
                err.printf("t=%.1fs%s conns %d/%d msgs/s %.0f%s errors %d%n", (now - tRun) / 1e9,
                        tick <= tMeas ? " (warmup)" : tick > tEnd ? " (drain)" : "", liveConnections(workers),
                        s.connections(), rate, interval.getTotalCount() > 0 ? String.format(" p50 %s p99 %s",
                                Reports.ms(interval.getValueAtPercentile(50)), Reports.ms(interval.getValueAtPercentile(99)))
                                : "", errors.total());
                err.flush();
            }
            lastCompleted = completed;
            lastTick = now;
            k++;
            if (allDone || now >= stopAt) {
                break;
            }
        }
        for (Worker w : workers) {
            if (!w.finished.await(s.timeout().toNanos() + 5 * SECOND, TimeUnit.NANOSECONDS)) {
                w.abort();
            }
        }
        // the censored samples the workers recorded when they finished
        interval.reset();
        for (Worker w : workers) {
            interval.add(w.latencyInterval());
        }
        if (interval.getTotalCount() > 0) {
            total.add(interval);
            if (hlog != null) {
                long endMs = wallStartMs + (tEnd - tMeas) / 1_000_000;
                interval.setStartTimeStamp(endMs);
                interval.setEndTimeStamp(endMs);
                interval.setTag("censored");
                hlog.outputIntervalHistogram(interval);
                interval.setTag(null);
            }
        }
    }

    private static boolean awaitUntil(List<Worker> workers, long deadline) throws InterruptedException {
        for (Worker w : workers) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            if (!w.finished.await(left, TimeUnit.NANOSECONDS)) {
                return false;
            }
        }
        return true;
    }

    private static int liveConnections(List<Worker> workers) {
        // read from another thread: a progress figure, exact enough
        int live = 0;
        for (Worker w : workers) {
            for (LoadConnection c : List.copyOf(w.connections)) {
                if (!c.dead) {
                    live++;
                }
            }
        }
        return live;
    }

    private String describeErrors() {
        StringBuilder sb = new StringBuilder();
        errors.snapshot().forEach((k, v) -> {
            if (v > 0) {
                sb.append(sb.length() == 0 ? "" : ", ").append(k.label()).append(' ').append(v);
            }
        });
        return sb.length() == 0 ? "no errors" : sb.toString();
    }

    private LoadResult result(List<Worker> workers, Histogram latency, Histogram connect, HistogramLogWriter hlog) {
        long messages = 0;
        long censored = 0;
        long sent = 0;
        long received = 0;
        long late = 0;
        int echoed = 0;
        int echoedInWindow = 0;
        for (Worker w : workers) {
            messages += w.measuredMessages;
            censored += w.censored;
            sent += w.udpSent;
            received += w.udpReceived;
            late += w.udpLate;
            for (LoadConnection c : w.connections) {
                if (c.doneAll > 0) {
                    echoed++;
                }
                if (c.doneMeasured > 0) {
                    echoedInWindow++;
                }
            }
        }
        Map<String, Long> errs = new LinkedHashMap<>();
        Map<ErrorKind, Long> snap = new EnumMap<>(errors.snapshot());
        snap.forEach((k, v) -> errs.put(k.label(), v));
        double duration = s.duration().toNanos() / 1e9;
        MessagePattern p = workers.get(0).pattern;
        LoadResult r = new LoadResult(where(), s.mode(), s.udp() ? "datagram" : s.framing().spec(), s.connections(),
                connected.get(), echoed, echoedInWindow, p.payloadSize(), p.wireSize(), s.openLoop() ? 0 : s.pipeline(), s.rate(),
                s.threads(), s.warmup().toNanos() / 1e9, duration, messages, messages / duration, censored, latency,
                connect, errs, sent, received, late, series, List.of(), cpuPercent);
        if (hlog != null) {
            connect.setTag("connect");
            connect.setStartTimeStamp(0);
            connect.setEndTimeStamp(0);
            hlog.outputIntervalHistogram(0, 0, connect, 1_000_000.0);
            hlog.outputComment(HdrLogs.summaryComment(r));
        }
        return r;
    }
}
