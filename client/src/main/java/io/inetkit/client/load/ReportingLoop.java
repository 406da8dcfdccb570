package io.inetkit.client.load;

import com.sun.management.OperatingSystemMXBean;
import org.HdrHistogram.Histogram;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The reporting thread's part of a run, from the first send to the last worker's end: once a second,
 * on second boundaries of the measured window, it takes each worker's latency interval, writes it to
 * the {@code --hdr-log}, adds it to the total and the throughput series, and prints a progress line.
 * In the warm-up's last second of an open-loop run it moves the background threads aside
 * ({@link LoopPriority}).
 *
 * <pre>
 *  tRun ── warmup ── tMeas ── 1 s ── 2 s ── ... ── tEnd ── (UDP: + timeout) ── workers finished ── censored
 *                  ▲ priority lowered one second before tMeas
 * </pre>
 */
final class ReportingLoop {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final LoadSettings s;
    private final List<Worker> workers;
    private final ErrorCounts errors;
    private final ProgressLine progressLine;
    private final IntervalLog log;
    private final LoopPriority priority;
    private final long tRun;
    private final long tMeas;
    /** The window's end and when the workers stop: moved earlier by Ctrl-C ({@link #interruptedAt}). */
    private long tEnd;
    private long stopAt;
    private final LongSupplier interruptedAt;
    private final long wallStartMs;

    private final Histogram total = WorkerRecorder.newHistogram();
    private final Histogram interval = WorkerRecorder.newHistogram();
    private final List<SeriesPoint> series = new ArrayList<>();
    private boolean prioritySet;
    private long cpuAtMeas = -1;
    private long wallAtMeas;
    private double cpuPercent = -1;
    /** --metrics-port, or null */
    private LiveMetrics live;

    /** @param priority the background threads to move aside in an open-loop run, or null */
    ReportingLoop(LoadSettings settings, List<Worker> workers, ErrorCounts errors, ProgressLine progress, IntervalLog log,
                  LoopPriority priority, long tRun, long tMeas, long tEnd, LongSupplier interruptedAt) {
        this.interruptedAt = interruptedAt;
        this.s = settings;
        this.workers = workers;
        this.errors = errors;
        this.progressLine = progress;
        this.log = log;
        this.priority = priority;
        this.tRun = tRun;
        this.tMeas = tMeas;
        this.tEnd = tEnd;
        this.stopAt = settings.udp() ? tEnd + settings.timeout().toNanos() : tEnd;
        this.wallStartMs = System.currentTimeMillis() + (tMeas - System.nanoTime()) / 1_000_000;
    }

    void publishTo(LiveMetrics metrics) {
        this.live = metrics;
    }

    /** Runs until every worker finished; then {@link #latency}, {@link #series} and {@link #cpuPercent} hold. */
    void run() throws InterruptedException {
        log.start(LoadGenerator.where(s) + " " + s.mode(), wallStartMs);
        long k = -(long) Math.floor((tMeas - tRun) / (double) SECOND);
        long lastCompleted = 0;
        long lastTick = tRun;
        while (true) {
            cutAtInterrupt();
            long tick = tMeas + k * SECOND;
            if (lastTick < tEnd && tick > tEnd) {
                tick = tEnd; // the window's end is always a tick
            }
            tick = Math.min(tick, stopAt);
            if (tick <= lastTick) {
                if (lastTick < stopAt) {
                    k++;
                    continue;
                }
                tick = lastTick + SECOND / 10; // interrupted before the last tick: wait for the workers to finish
            }
            boolean allDone = awaitUntil(tick); // the tick, or every worker finished early
            cutAtInterrupt();
            long now = System.nanoTime();
            if (priority != null && !prioritySet && tick >= tMeas - SECOND) {
                lowerPriority();
            }
            takeIntervals();
            long completed = 0;
            for (Worker w : workers) {
                completed += w.recorder().completed();
            }
            recordInterval(lastTick, now);
            total.add(interval);
            if (live != null) {
                live.tick(interval, total, liveConnections(), tick > tMeas && tick <= tEnd);
            }
            cpuSample(tick, now);
            progress(tick, now, (completed - lastCompleted) / ((now - lastTick) / 1e9));
            lastCompleted = completed;
            lastTick = now;
            k++;
            if (allDone || now >= stopAt) {
                break;
            }
        }
        for (Worker w : workers) {
            if (!w.awaitFinished(s.timeout().toNanos() + 5 * SECOND)) {
                w.abort();
            }
        }
        // the censored samples the workers recorded when they finished
        takeIntervals();
        if (interval.getTotalCount() > 0) {
            total.add(interval);
            log.censored(interval, (tEnd - tMeas) / 1_000_000);
        }
    }

    /** Ctrl-C closes the window where it was pressed (the workers were told by {@link LoadGenerator#interrupt}). */
    private void cutAtInterrupt() {
        long cut = interruptedAt.getAsLong();
        if (cut != 0 && cut < tEnd) {
            tEnd = Math.max(cut, tRun);
            stopAt = s.udp() ? tEnd + s.timeout().toNanos() : tEnd;
        }
    }

    /** The length of the measured window, seconds: --duration, or less when Ctrl-C cut it short. */
    double measuredSeconds() {
        return Math.max(0, tEnd - tMeas) / 1e9;
    }

    /** The wall-clock time the measured window opened, epoch ms. */
    long wallStartMs() {
        return wallStartMs;
    }

    /** Every latency of the window, censored samples included. */
    Histogram latency() {
        return total;
    }

    /** Throughput and latency over time. */
    List<SeriesPoint> series() {
        return series;
    }

    /** The generator's CPU over the measured window, in % of one core; -1 when unknown. */
    double cpuPercent() {
        return cpuPercent;
    }

    private void lowerPriority() {
        List<Integer> loops = new ArrayList<>();
        for (Worker w : workers) {
            int tid = w.pacer().loopThread();
            if (tid > 0) {
                loops.add(tid);
            }
        }
        priority.lower(loops); // the warm-up's last second: see LoopPriority
        prioritySet = true;
        for (Worker w : workers) {
            w.pacer().follow(priority);
        }
    }

    private void takeIntervals() {
        interval.reset();
        for (Worker w : workers) {
            interval.add(w.latencyInterval());
        }
    }

    /** Samples are recorded inside the window only, so an interval overlapping it holds them all. */
    private void recordInterval(long lastTick, long now) {
        if (now > tMeas && lastTick < tEnd) {
            long from = Math.max(lastTick, tMeas);
            long to = Math.min(now, tEnd);
            log.interval(interval, (from - tMeas) / 1_000_000, (to - tMeas) / 1_000_000);
            if (to - from > SECOND / 20) {
                series.add(SeriesPoint.of((to - tMeas) / 1e9, interval.getTotalCount() / ((to - from) / 1e9), interval));
            }
        }
    }

    private void progress(long tick, long now, double rate) {
        if (!s.progress() || now > stopAt + SECOND / 2) {
            return;
        }
        int live = liveConnections();
        String latency = interval.getTotalCount() == 0 ? "" : String.format(" p50 %s p99 %s",
                Reports.ms(interval.getValueAtPercentile(50)), Reports.ms(interval.getValueAtPercentile(99)));
        progressLine.update(String.format(Locale.ROOT, "t=%.1fs%s conns %d/%d msgs/s %.0f%s errors %d",
                (now - tRun) / 1e9, tick <= tMeas ? " (warmup)" : tick > tEnd ? " (drain)" : "", live, s.connections(),
                rate, latency, errors.total()));
    }

    private int liveConnections() {
        int n = 0;
        for (Worker w : workers) {
            n += w.liveConnections();
        }
        return n;
    }

    /** The generator's CPU share over the measured window (JIT compilation in the warmup left out). */
    private void cpuSample(long tick, long now) {
        if (cpuAtMeas < 0 && tick >= tMeas && tick < tEnd) {
            cpuAtMeas = processCpuNanos();
            wallAtMeas = now;
        } else if (tick >= tEnd && cpuAtMeas >= 0 && cpuPercent < 0) {
            long cpu = processCpuNanos();
            cpuPercent = cpu < 0 ? -1 : 100.0 * (cpu - cpuAtMeas) / (now - wallAtMeas);
        }
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    private boolean awaitUntil(long deadline) throws InterruptedException {
        for (Worker w : workers) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !w.awaitFinished(left)) {
                return false;
            }
        }
        return true;
    }
}
