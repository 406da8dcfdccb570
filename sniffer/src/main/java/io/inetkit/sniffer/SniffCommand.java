package io.inetkit.sniffer;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.inetkit.common.cli.Cli;
import io.inetkit.common.cli.ConfigFileOption;
import io.inetkit.common.cli.DurationConverter;
import io.inetkit.common.cli.Logging;
import io.inetkit.common.cli.StandardHelp;
import io.inetkit.common.cli.StopSignals;
import io.inetkit.common.cli.UserException;
import io.inetkit.sniffer.capture.CaptureSource;
import io.inetkit.sniffer.capture.Libpcap;
import io.inetkit.sniffer.capture.PcapCapture;
import io.inetkit.sniffer.capture.SniffExit;
import io.inetkit.sniffer.chain.ArpPipeline;
import io.inetkit.sniffer.chain.ArpPipelineInitializer;
import io.inetkit.sniffer.chain.CaptureStats;
import io.inetkit.sniffer.chain.FrameSink;
import io.inetkit.sniffer.chain.PipelineSettings;
import io.inetkit.sniffer.output.OutputFormat;
import io.inetkit.sniffer.watch.StationStore;
import io.inetkit.sniffer.watch.StationTable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code inetkit sniff}: the ARP sniffer as a program. */
@Command(name = "inetkit sniff",
        description = {
                "ARP sniffer: captures ARP from an interface (-i, needs root or CAP_NET_RAW) or a pcap file (-r),",
                "decodes Ethernet, 802.1Q tags and ARP, classifies each frame (request, reply, gratuitous,",
                "probe, announcement) and prints it. --watch keeps an arpwatch-style station table and alerts.",
                "Ctrl-C or SIGTERM stops; the statistics are printed on stderr."},
        footer = {"",
                "Every long option can also come from the environment (INETKIT_SNIFF_FORMAT=json) or --config FILE.",
                "Exit codes: 0 ok, 1 runtime failure, 2 usage error, " + SniffExit.NO_SUCH_INTERFACE
                        + " no such interface, " + SniffExit.NO_PERMISSION + " no permission,",
                SniffExit.NO_LIBPCAP + " libpcap missing, " + SniffExit.BAD_CAPTURE_FILE
                        + " unreadable or truncated capture file, " + SniffExit.BAD_FILTER + " bad BPF filter,",
                SniffExit.FILE + " cannot write -w file or read/write the --state file.",
                "",
                "Examples:",
                "  inetkit sniff -i eth0                       tcpdump-style lines",
                "  inetkit sniff -r capture.pcap --format json one JSON object per line",
                "  inetkit sniff -i eth0 --watch --state arp.json -w arp.pcap"})
public final class SniffCommand implements Callable<Integer> {

    @Option(names = {"-i", "--interface"}, paramLabel = "IFACE", description = "Capture live on this interface.")
    String interfaceName;

    @Option(names = {"-r", "--read"}, paramLabel = "FILE", description = "Read this pcap/pcapng file.")
    Path readFile;

    @Option(names = {"-D", "--list-interfaces"}, description = "List the interfaces that can be captured on.")
    boolean listInterfaces;

    @Option(names = {"-f", "--filter"}, paramLabel = "BPF", defaultValue = CaptureSource.DEFAULT_FILTER,
            description = "BPF filter, tcpdump syntax (default: ${DEFAULT-VALUE}; VLAN-tagged ARP in a file "
                    + "needs 'arp or (vlan and arp)'; empty matches everything).")
    String filter;

    @Option(names = {"-c", "--count"}, paramLabel = "N", description = "Stop after N matched frames.")
    long count;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop after this long (e.g. 10s, 500ms).")
    Duration timeout;

    @Option(names = "--snaplen", paramLabel = "BYTES", defaultValue = "" + CaptureSource.DEFAULT_SNAPLEN,
            description = "Bytes captured per frame (default: ${DEFAULT-VALUE}).")
    int snaplen;

    @Option(names = "--promiscuous", negatable = true, defaultValue = "" + CaptureSource.DEFAULT_PROMISCUOUS, fallbackValue = "true",
            description = "Promiscuous mode (default: on; --no-promiscuous sees only this host's traffic "
                    + "and broadcasts).")
    boolean promiscuous;

    @Option(names = {"-w", "--write"}, paramLabel = "FILE",
            description = "Also write the matched frames to this pcap file (tcpdump/Wireshark read it).")
    Path writeFile;

    @Option(names = "--format", paramLabel = "line|seed|json", defaultValue = PipelineSettings.DEFAULT_FORMAT_TEXT,
            description = "Output: line (tcpdump-style, default), seed (the lecture's block), json (one "
                    + "object per line).")
    OutputFormat format;

    @Option(names = "--watch", description = "Keep a station table (IP -> MAC) and alert on new stations, "
            + "changed MACs, flip-flops, duplicate addresses, Ethernet/ARP MAC mismatches and request storms.")
    boolean watch;

    @Option(names = "--state", paramLabel = "FILE",
            description = "Load the station table from FILE and save it back on exit (implies --watch).")
    Path stateFile;

    @Option(names = "--duplicate-window", paramLabel = "DURATION",
            defaultValue = StationTable.DEFAULT_DUPLICATE_WINDOW_TEXT,
            converter = DurationConverter.class,
            description = "Two MACs claiming one IP within this are a duplicate address (default: ${DEFAULT-VALUE}).")
    Duration duplicateWindow;

    @Option(names = "--storm-requests", paramLabel = "N", defaultValue = "" + PipelineSettings.DEFAULT_STORM_REQUESTS,
            description = "A request storm is more than N requests ... (default: ${DEFAULT-VALUE})")
    int stormRequests;

    @Option(names = "--storm-window", paramLabel = "DURATION", defaultValue = PipelineSettings.DEFAULT_STORM_WINDOW_TEXT,
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

    @Mixin // last: picocli lists -h and -V where it is declared
    StandardHelp help;

    /** The settings this command line asks for. */
    SniffSettings settings() {
        try {
            PipelineSettings pipeline = PipelineSettings.builder()
                    .format(format)
                    .watch(watch || stateFile != null)
                    .stormRequests(stormRequests)
                    .stormWindow(stormWindow)
                    .build();
            return SniffSettings.builder()
                    .interfaceName(interfaceName)
                    .readFile(readFile)
                    .filter(filter)
                    .count(count)
                    .timeout(timeout)
                    .snaplen(snaplen)
                    .promiscuous(promiscuous)
                    .writeFile(writeFile)
                    .pipeline(pipeline)
                    .stateFile(stateFile)
                    .duplicateWindow(duplicateWindow)
                    .build();
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
            Libpcap.interfaces().forEach(out::println);
            out.flush();
            return Cli.EXIT_OK;
        }
        return sniff(settings(), out, err);
    }

    private void configureLogging() {
        Level level = UserException.usage(() -> Logging.parseLevel(logLevel));
        Logging.configureConsole(level);
        // pcap4j logs every dispatch at INFO: its chatter is noise unless debugging
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getLogger("org.pcap4j").setLevel(level.toInt() <= Level.DEBUG.toInt() ? level : Level.WARN);
        }
    }

    /** Runs the capture {@code s} describes, printing to {@code out} and {@code err}; returns the exit code. */
    int sniff(SniffSettings s, PrintWriter out, PrintWriter err) {
        Libpcap.check();
        StationTable table = s.pipeline().watch() ? new StationTable(s.duplicateWindow()) : null;
        StationStore store = s.stateFile() == null ? null : new StationStore(s.stateFile());
        if (store != null) {
            withStateFile("read", store.file(), () -> store.load(table));
        }
        CaptureStats stats = new CaptureStats();
        UserException failure;
        try (PcapCapture capture = PcapCapture.open(s.source())) {
            FrameSink dump = s.writeFile() == null ? null : capture.writeTo(s.writeFile());
            ArpPipeline pipeline = new ArpPipeline(
                    new ArpPipelineInitializer(s.pipeline(), stats, table, dump, out, err));
            try (StopSignals signals = StopSignals.install(signal -> capture.stop());
                 StopTimer timer = StopTimer.after(s.timeout(), capture::stop)) {
                err.println(capture.banner());
                err.flush();
                capture.run(pipeline, stats, s.count(), out::checkError);
                failure = capture.failure();
                pipeline.end();
                pipeline.summary(capture.summary(stats));
            }
        }
        if (store != null) {
            withStateFile("write", store.file(), () -> store.save(table));
        }
        if (failure != null) {
            throw failure;
        }
        return Cli.EXIT_OK;
    }

    private interface StateFileAction {
        void run() throws IOException;
    }

    /** Runs a load or save of the --state file; its failure is one line and {@link SniffExit#FILE}. */
    private static void withStateFile(String verb, Path file, StateFileAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new UserException("cannot " + verb + " state file " + file + ": " + e.getMessage(),
                    SniffExit.FILE);
        }
    }
}
