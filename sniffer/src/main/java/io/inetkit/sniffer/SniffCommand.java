package io.inetkit.sniffer;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.inetkit.common.cli.ConfigFileOption;
import io.inetkit.common.cli.Cli;
import io.inetkit.common.cli.DurationConverter;
import io.inetkit.common.cli.Logging;
import io.inetkit.common.cli.UserException;
import io.inetkit.common.cli.Version;
import io.inetkit.sniffer.pipeline.ArpPipeline;
import io.inetkit.sniffer.pipeline.ArpPipelineInitializer;
import io.inetkit.sniffer.pipeline.CaptureStats;
import io.inetkit.sniffer.pipeline.FrameSink;
import io.inetkit.sniffer.pipeline.OutputFormat;
import io.inetkit.sniffer.pipeline.PipelineSettings;
import io.inetkit.sniffer.pipeline.StationStore;
import io.inetkit.sniffer.pipeline.StationTable;
import org.pcap4j.core.PcapAddress;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.Pcaps;
import org.pcap4j.util.LinkLayerAddress;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code inetkit sniff}: the ARP sniffer as a program. */
@Command(name = "inetkit sniff", mixinStandardHelpOptions = true, versionProvider = Version.class,
        sortOptions = false, usageHelpWidth = 100,
        description = {
                "ARP sniffer: captures ARP from an interface (-i, needs root or CAP_NET_RAW) or a pcap file (-r),",
                "decodes Ethernet, 802.1Q tags and ARP, classifies each frame (request, reply, gratuitous,",
                "probe, announcement) and prints it. --watch keeps an arpwatch-style station table and alerts.",
                "Ctrl-C or SIGTERM stops; the statistics are printed on stderr."},
        footer = {"",
                "Examples:",
                "  inetkit sniff -i eth0                       tcpdump-style lines",
                "  inetkit sniff -r capture.pcap --format json one JSON object per line",
                "  inetkit sniff -i eth0 --watch --state arp.json -w arp.pcap",
                "",
                "Every long option can also come from the environment (INETKIT_FORMAT=json) or --config FILE.",
                "Exit codes: 0 ok, 1 runtime failure, 2 usage error, 3 no such interface, 4 no permission,",
                "5 libpcap missing, 6 unreadable or truncated capture file, 7 bad BPF filter,",
                "8 cannot write -w file or read/write the --state file."})
public final class SniffCommand implements Callable<Integer> {

    public static final int EXIT_NO_SUCH_INTERFACE = 3;
    public static final int EXIT_NO_PERMISSION = 4;
    public static final int EXIT_NO_LIBPCAP = 5;
    public static final int EXIT_BAD_CAPTURE_FILE = 6;
    public static final int EXIT_BAD_FILTER = 7;
    public static final int EXIT_FILE = 8;

    @Option(names = {"-i", "--interface"}, paramLabel = "IFACE", description = "Capture live on this interface.")
    String interfaceName;

    @Option(names = {"-r", "--read"}, paramLabel = "FILE", description = "Read this pcap/pcapng file.")
    Path readFile;

    @Option(names = {"-D", "--list-interfaces"}, description = "List the interfaces that can be captured on.")
    boolean listInterfaces;

    @Option(names = {"-f", "--filter"}, paramLabel = "BPF", defaultValue = SniffSettings.DEFAULT_FILTER,
            description = "BPF filter, tcpdump syntax (default: ${DEFAULT-VALUE}; VLAN-tagged ARP in a file "
                    + "needs 'arp or (vlan and arp)'; empty matches everything).")
    String filter;

    @Option(names = {"-c", "--count"}, paramLabel = "N", description = "Stop after N matched frames.")
    long count;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop after this long (e.g. 10s, 500ms).")
    Duration timeout;

    @Option(names = "--snaplen", paramLabel = "BYTES", defaultValue = "" + SniffSettings.DEFAULT_SNAPLEN,
            description = "Bytes captured per frame (default: ${DEFAULT-VALUE}).")
    int snaplen;

    @Option(names = "--promiscuous", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Promiscuous mode (default: on; --no-promiscuous sees only this host's traffic "
                    + "and broadcasts).")
    boolean promiscuous;

    @Option(names = {"-w", "--write"}, paramLabel = "FILE",
            description = "Also write the matched frames to this pcap file (tcpdump/Wireshark read it).")
    Path writeFile;

    @Option(names = "--format", paramLabel = "line|seed|json", defaultValue = "line",
            description = "Output: line (tcpdump-style, default), seed (the lecture's block), json (one "
                    + "object per line).")
    OutputFormat format;

    @Option(names = "--watch", description = "Keep a station table (IP -> MAC) and alert on new stations, "
            + "changed MACs, flip-flops, duplicate addresses, Ethernet/ARP MAC mismatches and request storms.")
    boolean watch;

    @Option(names = "--state", paramLabel = "FILE",
            description = "Load the station table from FILE and save it back on exit (implies --watch).")
    Path stateFile;

    @Option(names = "--duplicate-window", paramLabel = "DURATION", defaultValue = "10s",
            converter = DurationConverter.class,
            description = "Two MACs claiming one IP within this are a duplicate address (default: ${DEFAULT-VALUE}).")
    Duration duplicateWindow;

    @Option(names = "--storm-requests", paramLabel = "N", defaultValue = "10",
            description = "A request storm is more than N requests ... (default: ${DEFAULT-VALUE})")
    int stormRequests;

    @Option(names = "--storm-window", paramLabel = "DURATION", defaultValue = "10ms",
            converter = DurationConverter.class, description = "... within this (default: ${DEFAULT-VALUE}).")
    Duration stormWindow;

    @Mixin
    ConfigFileOption config;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "info",
            description = "trace, debug (shows each malformed frame), info, warn, error or off "
                    + "(default: ${DEFAULT-VALUE}).")
    String logLevel;

    @Spec
    CommandSpec spec;

    /** The settings this command line asks for. */
    SniffSettings settings() {
        if (interfaceName == null && readFile == null) {
            throw new UserException("give an interface (-i IFACE) or a capture file (-r FILE); "
                    + "--list-interfaces lists the interfaces", Cli.EXIT_USAGE);
        }
        if (interfaceName != null && readFile != null) {
            throw new UserException("give either -i or -r, not both", Cli.EXIT_USAGE);
        }
        try {
            PipelineSettings pipeline = new PipelineSettings(format, watch || stateFile != null, stormRequests,
                    stormWindow, ZoneId.systemDefault());
            return new SniffSettings(interfaceName, readFile, filter, count, timeout, snaplen, promiscuous,
                    writeFile, pipeline, stateFile, duplicateWindow);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage(), Cli.EXIT_USAGE);
        }
    }

    @Override
    public Integer call() {
        configureLogging();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (listInterfaces) {
            return listInterfaces(out);
        }
        return sniff(settings(), out, err);
    }

    private void configureLogging() {
        Level level;
        try {
            level = Logging.parseLevel(logLevel);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage(), Cli.EXIT_USAGE);
        }
        Logging.configureConsole(level);
        // pcap4j logs every dispatch at INFO: its chatter is noise unless debugging
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getLogger("org.pcap4j").setLevel(level.toInt() <= Level.DEBUG.toInt() ? level : Level.WARN);
        }
    }

    private int listInterfaces(PrintWriter out) {
        PcapCapture.checkLibpcap();
        List<PcapNetworkInterface> all;
        try {
            all = Pcaps.findAllDevs();
        } catch (PcapNativeException e) {
            throw new UserException("cannot list interfaces: " + PcapCapture.libpcapMessage(e), Cli.EXIT_RUNTIME);
        }
        int i = 1;
        for (PcapNetworkInterface nif : all) {
            List<String> flags = new ArrayList<>();
            if (nif.isUp()) {
                flags.add("up");
            }
            if (nif.isRunning()) {
                flags.add("running");
            }
            if (nif.isLoopBack()) {
                flags.add("loopback");
            }
            StringBuilder line = new StringBuilder().append(i++).append(". ").append(nif.getName());
            if (nif.getDescription() != null) {
                line.append(" (").append(nif.getDescription()).append(')');
            }
            line.append(" [").append(String.join(", ", flags)).append(']');
            for (LinkLayerAddress mac : nif.getLinkLayerAddresses()) {
                line.append(' ').append(mac);
            }
            for (PcapAddress a : nif.getAddresses()) {
                line.append(' ').append(a.getAddress().getHostAddress());
            }
            out.println(line);
        }
        out.flush();
        return Cli.EXIT_OK;
    }

    /** Runs the capture {@code s} describes, printing to {@code out} and {@code err}; returns the exit code. */
    int sniff(SniffSettings s, PrintWriter out, PrintWriter err) {
        PcapCapture.checkLibpcap();
        StationTable table = s.pipeline().watch() ? new StationTable(s.duplicateWindow()) : null;
        StationStore store = s.stateFile() == null ? null : new StationStore(s.stateFile());
        if (store != null) {
            try {
                store.load(table);
            } catch (IOException e) {
                throw new UserException("cannot read state file " + s.stateFile() + ": " + e.getMessage(), EXIT_FILE);
            }
        }
        CaptureStats stats = new CaptureStats();
        UserException failure;
        try (PcapCapture capture = PcapCapture.open(s)) {
            FrameSink dump = s.writeFile() == null ? null : capture.openDump(s.writeFile());
            ScheduledExecutorService timer = null;
            SignalHandler[] previous = null;
            try {
                ArpPipeline pipeline = new ArpPipeline(
                        new ArpPipelineInitializer(s.pipeline(), stats, table, dump, out, err));
                previous = onSignals(capture);
                err.println(capture.banner(s.filter()));
                err.flush();
                if (s.timeout() != null) {
                    timer = Executors.newSingleThreadScheduledExecutor(r -> {
                        Thread t = new Thread(r, "sniff-timeout");
                        t.setDaemon(true);
                        return t;
                    });
                    timer.schedule(capture::stop, s.timeout().toNanos(), TimeUnit.NANOSECONDS);
                }
                capture.run(pipeline, stats, s.count(), out::checkError);
                failure = capture.failure();
                pipeline.end();
                pipeline.summary(capture.summary(stats));
            } finally {
                if (timer != null) {
                    timer.shutdownNow();
                }
                restoreSignals(previous);
                if (dump != null) {
                    PcapCapture.closeDump(dump);
                }
            }
        }
        if (store != null) {
            try {
                store.save(table);
            } catch (IOException e) {
                throw new UserException("cannot write state file " + s.stateFile() + ": " + e.getMessage(), EXIT_FILE);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return Cli.EXIT_OK;
    }

    private static final String[] SIGNALS = {"INT", "TERM"};

    /**
     * Ctrl-C and SIGTERM stop the capture cleanly (statistics printed, state saved, exit 0); a second one
     * while stopping ends the JVM at once.
     */
    private static SignalHandler[] onSignals(PcapCapture capture) {
        SignalHandler[] previous = new SignalHandler[SIGNALS.length];
        AtomicBoolean seen = new AtomicBoolean();
        SignalHandler handler = sig -> {
            if (seen.getAndSet(true)) {
                Runtime.getRuntime().halt(128 + sig.getNumber());
            }
            capture.stop();
        };
        for (int i = 0; i < SIGNALS.length; i++) {
            try {
                previous[i] = Signal.handle(new Signal(SIGNALS[i]), handler);
            } catch (IllegalArgumentException e) {
                previous[i] = null; // the JVM reserves it (e.g. -Xrs): the default action stays
            }
        }
        return previous;
    }

    private static void restoreSignals(SignalHandler[] previous) {
        if (previous == null) {
            return;
        }
        for (int i = 0; i < SIGNALS.length; i++) {
            if (previous[i] != null) {
                Signal.handle(new Signal(SIGNALS[i]), previous[i]);
            }
        }
    }
}
