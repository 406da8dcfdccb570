package io.inetkit.client.load;

import io.inetkit.common.cli.Cli;
import io.inetkit.common.cli.UserException;
import io.inetkit.common.framing.Framing;
import io.inetkit.common.transport.Transport;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.EventExecutor;
import org.HdrHistogram.Histogram;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One load run: the pre-flight check, the connect phase ({@link Connector}), warmup and measured window
 * on the workers' event loops ({@link Worker}), live progress once a second ({@link ReportingLoop}), and
 * the {@link LoadResult}.
 *
 * <pre>
 *  preflight ─► connect N (≤ 256 in flight, --connect-rate) ─► warmup ─► measured window ─► finish
 *                                                                │ progress + hdr-log interval every second
 * </pre>
 */
final class LoadGenerator {

    private final LoadSettings s;
    private final ProgressLine progress;
    private final ErrorCounts errors = new ErrorCounts();
    private final List<String> preflightLines = new ArrayList<>();
    private final String commandLine;
    /** When Ctrl-C ended the run ({@link System#nanoTime}), 0 until then; guarded by this for the workers. */
    private volatile long interruptedAt;
    private List<Worker> started = List.of();
    /** --metrics-port, or null */
    private LiveMetrics live;

    /** @param commandLine the command as typed, for the report */
    LoadGenerator(LoadSettings settings, PrintWriter err, String commandLine) {
        this.s = settings;
        this.progress = new ProgressLine(err, settings.progressInPlace());
        this.commandLine = commandLine;
    }

    /**
     * Ends the run now, from any thread (the SIGINT handler): no more connects, and the measured window
     * closes here; {@link #run()} then returns the result of the time measured so far.
     */
    synchronized void interrupt() {
        if (interruptedAt != 0) {
            return;
        }
        interruptedAt = System.nanoTime();
        for (Worker w : started) {
            w.stopAt(interruptedAt);
        }
    }

    /** Publishes the run's live figures there (before {@link #run()}). */
    void publishTo(LiveMetrics metrics) {
        this.live = metrics;
    }

    boolean interrupted() {
        return interruptedAt != 0;
    }

    /** What the pre-flight check found (after {@link #run()} started). */
    List<String> preflight() {
        return List.copyOf(preflightLines);
    }

    static String where(LoadSettings s) {
        return NetUtil.toSocketAddressString(s.target()); // [::1]:5005, RFC 5952
    }

    /**
     * Runs the load and returns its result.
     *
     * @throws UserException before any connection is made when the run cannot fit, or when no connection
     *                       could be made at all
     */
    LoadResult run() throws InterruptedException {
        MessagePattern pattern = UserException.usage(
                () -> new MessagePattern(s.udp() ? new Framing.Raw() : s.framing(), s.size(), s.message()));
        SourceIps.requireLocal(s.sourceIps());
        checkPreflight();
        Transport transport = UserException.usage(() -> Transport.select(s.transport()).transport());
        IntervalLog log = IntervalLog.open(s.hdrLog());
        EventLoopGroup group = transport.newGroup(s.threads(), "inetkit-load");
        List<Worker> workers = new ArrayList<>();
        for (EventExecutor e : group) {
            workers.add(new Worker((EventLoop) e, s, pattern, errors));
        }
        LoopPriority priority = null;
        try {
            if (s.openLoop()) {
                priority = LoopPriority.load(); // before the warm-up: the loading is work for the JIT too
            }
            Connector connector = new Connector(s, progress, errors, this::interrupted);
            long connectStart = System.nanoTime();
            connector.connectAll(transport, workers);
            double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
            int up = connector.connected();
            if (up == 0) {
                String why = connector.firstFailure();
                throw new UserException((why == null ? "" : why + "; ") + "no connection to " + where(s)
                        + " could be made (" + errors.describe() + ")", Cli.EXIT_RUNTIME);
            }
            if (s.progress()) {
                progress.println(String.format(Locale.ROOT, "connected %d/%d in %.2f s%s", up, s.connections(),
                        connectSeconds, errors.total() > 0 ? " (" + errors.describe() + ")" : ""));
            }
            long tRun = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1);
            long tMeas = tRun + s.warmup().toNanos();
            long tEnd = tMeas + s.duration().toNanos();
            synchronized (this) {
                if (interrupted()) {
                    tMeas = tEnd = tRun; // Ctrl-C while connecting: a window of nothing, reported as such
                }
                for (Worker w : workers) {
                    w.startAt(tRun, tMeas, tEnd);
                }
                started = workers;
            }
            ReportingLoop reporting = new ReportingLoop(s, workers, errors, progress, log, priority, tRun, tMeas, tEnd,
                    () -> interruptedAt);
            if (live != null) {
                live.watch(s, workers, errors);
                reporting.publishTo(live);
            }
            reporting.run();
            Histogram connect = WorkerRecorder.newHistogram();
            Histogram handshake = WorkerRecorder.newHistogram();
            Histogram upgrade = WorkerRecorder.newHistogram();
            long handshakes = 0;
            long resumed = 0;
            long deflated = 0;
            Map<Integer, Long> closes = new HashMap<>();
            Worker.Totals totals = Worker.Totals.NONE;
            for (Worker w : workers) {
                connect.add(w.connectTimes());
                handshake.add(w.handshakeTimes());
                handshakes += w.handshakesInWindow();
                resumed += w.resumedInWindow();
                upgrade.add(w.upgradeTimes());
                deflated += w.deflatedUpgrades();
                w.serverCloses().forEach((code, n) -> closes.merge(code, n, Long::sum));
                totals = totals.plus(w.totals());
            }
            LoadResult r = result(pattern, up, totals, reporting, connect);
            if (s.tls() != null) {
                double seconds = reporting.measuredSeconds();
                r = r.withHandshakes(new HandshakeStats(handshake, handshakes, seconds > 0 ? handshakes / seconds : 0,
                        s.tlsResume(), resumed));
            }
            if (s.http() != null) {
                Map<Integer, Long> statuses = new HashMap<>();
                long bodyBytes = 0;
                for (Worker w : workers) {
                    long[] st = w.httpCounts().statuses;
                    for (int code = 0; code < st.length; code++) {
                        if (st[code] > 0) {
                            statuses.merge(code, st[code], Long::sum);
                        }
                    }
                    bodyBytes += w.httpCounts().bodyBytes;
                }
                r = r.withHttp(new HttpStats(s.http().version() == HttpLoad.Version.HTTP_2 ? "HTTP/2" : "HTTP/1.1",
                        statuses, bodyBytes, reporting.measuredSeconds()));
            }
            if (s.webSocket() != null) {
                r = r.withWebSocket(new WebSocketStats(upgrade, s.webSocket().deflate(), deflated, closes));
            }
            log.end(connect, r);
            return r;
        } finally {
            progress.end();
            if (priority != null) {
                priority.close();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            log.close();
        }
    }

    /** Open loop: every worker's latencies from the actual write, added (after the workers finished). */
    private Histogram fromSend() {
        Histogram all = WorkerRecorder.newHistogram();
        for (Worker w : started) {
            all.add(w.recorder().fromSend());
        }
        return all;
    }

    private void checkPreflight() {
        Preflight pre = Preflight.ofThisProcess();
        int sources = Math.max(1, s.sourceIps().size());
        preflightLines.addAll(pre.describe(s.connections(), sources));
        String problem = pre.problem(s.connections(), sources, !s.sourceIps().isEmpty());
        if (problem != null) {
            throw new UserException(problem, Cli.EXIT_USAGE);
        }
        if (s.progress()) {
            preflightLines.forEach(l -> progress.println("pre-flight: " + l));
        }
    }

    private LoadResult result(MessagePattern p, int up, Worker.Totals totals, ReportingLoop reporting,
                              Histogram connect) {
        double duration = reporting.measuredSeconds();
        WorkerRecorder.Totals counts = totals.counts();
        return LoadResult.builder()
                .target(s.webSocket() != null ? s.webSocket().url().toString()
                        : s.http() != null ? s.http().origin() + s.http().paths().get(0) : where(s))
                .mode(s.mode())
                .framing(s.udp() ? "datagram" : s.webSocket() != null
                        ? (s.webSocket().text() ? "websocket text" : "websocket binary")
                        : s.http() != null ? (s.http().version() == HttpLoad.Version.HTTP_2 ? "HTTP/2" : "HTTP/1.1")
                        : s.framing().spec())
                .connections(s.connections())
                .connectionsUp(up)
                .echoed(totals.echoed())
                .echoedInWindow(totals.echoedInWindow())
                .payloadSize(s.http() != null ? s.http().body().length : p.payloadSize())
                .wireSize(s.http() != null ? s.http().http1Requests()[0].length : p.wireSize())
                .pipeline(s.openLoop() ? 0 : s.pipeline())
                .rate(s.rate())
                .threads(s.threads())
                .warmupSeconds(s.warmup().toNanos() / 1e9)
                .durationSeconds(duration)
                .messages(counts.messages())
                .msgsPerSecond(duration > 0 ? counts.messages() / duration : 0)
                .interrupted(interrupted())
                .censored(counts.censored())
                .latency(reporting.latency())
                .connect(connect)
                .errors(errors.byLabel())
                .udpSent(counts.udpSent())
                .udpReceived(counts.udpReceived())
                .udpLate(counts.udpLate())
                .series(reporting.series())
                .cpuPercent(reporting.cpuPercent())
                .run(RunInfo.of(commandLine, reporting.wallStartMs()))
                .fromSend(s.openLoop() ? fromSend() : null)
                .build();
    }
}
