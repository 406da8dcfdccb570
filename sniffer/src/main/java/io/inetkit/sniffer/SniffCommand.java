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
import io.inetkit.sniffer.output.TcpdumpStyle;
import io.inetkit.sniffer.watch.StationStore;
import io.inetkit.sniffer.packet.Address;
import io.inetkit.sniffer.watch.LocalNetwork;
import io.inetkit.sniffer.watch.StationTable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

    @Option(names = {"-f", "--filter"}, paramLabel = "BPF",
            description = "BPF filter, tcpdump syntax (default: '" + CaptureSource.DEFAULT_FILTER + "'; "
                    + "VLAN-tagged ARP in a file needs 'arp or (vlan and arp)', see --vlan; empty matches "
                    + "everything). The filter can also follow the options, as with tcpdump.")
    String filter;

    @Parameters(paramLabel = "EXPRESSION", arity = "0..*",
            description = "A BPF filter after the options, as tcpdump takes it (arp and host 10.0.0.1).")
    List<String> expression = List.of();

    @Option(names = "--vlan", paramLabel = "DEPTH", arity = "0..1", fallbackValue = "2",
            description = "Widen the default filter to VLAN-tagged ARP and RARP, DEPTH tags deep (default 2: "
                    + "802.1Q and QinQ).")
    Integer vlanDepth;

    @Option(names = "--only", paramLabel = "arp|nd",
            description = "Narrow the default filter to ARP and RARP ('" + CaptureSource.ARP_FILTER + "') or to IPv6 "
                    + "neighbour discovery (ICMPv6 133-137). Default: both.")
    String only;

    @Option(names = "--router", paramLabel = "MAC", split = ",",
            description = "--watch: a MAC allowed to send IPv6 router advertisements (repeatable); an RA from any "
                    + "other is a rogue-ra alert. Without it, RAs are not checked.")
    List<String> routers = List.of();

    @Option(names = "-n", description = "Accepted as tcpdump's -n/-nn: inetkit never resolves names.")
    boolean[] noResolve;

    @Option(names = "-e", description = "Print the link-level header on each line, as tcpdump -e.")
    boolean linkHeader;

    @Option(names = "-q", description = "tcpdump's text only: no [vlan N] and classification marks.")
    boolean quiet;

    @Option(names = "-v", description = "More detail: ARP's hardware and protocol types and sizes, as tcpdump -v.")
    boolean[] verbose;

    @Option(names = "-t", description = "Time stamps as tcpdump: -t none, -tt epoch seconds, -ttt since "
            + "the previous frame, -tttt date and time, -ttttt since the first frame.")
    boolean[] timestamps;

    @Option(names = "-x", description = "Hex dump of each frame after its link header (-xx: with it).")
    boolean[] hex;

    @Option(names = "-X", description = "Hex and ASCII dump (-XX: with the link header).")
    boolean[] hexAscii;

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
            description = "Also write the matched frames to this pcap file (tcpdump/Wireshark read it); "
                    + "'-' writes them to stdout, and all text goes to stderr.")
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

    @Option(names = "--local-net", paramLabel = "CIDR", split = ",",
            description = "--watch: the local IPv4 networks (192.168.1.0/24, repeatable); senders outside them "
                    + "are bogons. Default for a live capture: the interface's own subnets; for a file: no check.")
    List<String> localNets = List.of();

    @Option(names = "--new-activity-after", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = StationTable.DEFAULT_NEW_ACTIVITY_TEXT,
            description = "--watch: a known pair seen again after this much silence is new activity "
                    + "(default: ${DEFAULT-VALUE}, arpwatch's six months).")
    Duration newActivityAfter;

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
            TcpdumpStyle style = new TcpdumpStyle(
                    TcpdumpStyle.Timestamps.ofCount(timestamps == null ? 0 : timestamps.length),
                    linkHeader, quiet, verbose != null,
                    TcpdumpStyle.hexLevel(hex == null ? 0 : hex.length, hexAscii == null ? 0 : hexAscii.length));
            PipelineSettings pipeline = PipelineSettings.builder()
                    .format(format)
                    .style(style)
                    .localNetworks(localNets.stream().map(LocalNetwork::parse).toList())
                    .routers(routers.stream().map(Address::mac).toList())
                    .watch(watch || stateFile != null)
                    .stormRequests(stormRequests)
                    .stormWindow(stormWindow)
                    .build();
            return SniffSettings.builder()
                    .interfaceName(interfaceName)
                    .readFile(readFile)
                    .filter(filter())
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

    /** {@code -f}, the expression after the options, or the default; {@code --vlan} widens it. */
    private String filter() {
        String trailing = String.join(" ", expression);
        if (filter != null && !trailing.isEmpty()) {
            throw new IllegalArgumentException("give the filter once: -f '" + filter + "' or after the options ('"
                    + trailing + "'), not both");
        }
        String base = CaptureSource.DEFAULT_FILTER;
        if (only != null) {
            base = switch (only) {
                case "arp" -> CaptureSource.ARP_FILTER;
                case "nd" -> CaptureSource.ND_FILTER;
                default -> throw new IllegalArgumentException("--only takes arp or nd: " + only);
            };
        }
        if ((vlanDepth != null || only != null) && (filter != null || !trailing.isEmpty())) {
            throw new IllegalArgumentException("--vlan and --only shape the default filter; with a filter of your "
                    + "own, write it whole: 'arp or (vlan and arp)'");
        }
        String f = filter != null ? filter : trailing.isEmpty() ? base : trailing;
        if (vlanDepth != null) {
            f = CaptureSource.vlanFilter(base, vlanDepth);
        }
        return f;
    }

    @Override
    public Integer call() {
        configureLogging();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (writeFile != null && writeFile.toString().equals(PcapCapture.STDOUT)) {
            out = err; // stdout carries the pcap stream alone
        }
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
        StationTable table = s.pipeline().watch() ? new StationTable(s.duplicateWindow(),
                newActivityAfter == null ? StationTable.DEFAULT_NEW_ACTIVITY : newActivityAfter) : null;
        StationStore store = s.stateFile() == null ? null : new StationStore(s.stateFile());
        if (store != null) {
            withStateFile("read", store.file(), () -> store.load(table));
        }
        CaptureStats stats = new CaptureStats();
        UserException failure;
        try (PcapCapture capture = PcapCapture.open(s.source())) {
            FrameSink dump = s.writeFile() == null ? null : capture.writeTo(s.writeFile());
            PipelineSettings ps = s.pipeline();
            if (ps.watch() && ps.localNetworks().isEmpty()) {
                ps = ps.withLocalNetworks(capture.interfaceNetworks()); // arpwatch's default: the interface's nets
            }
            ArpPipeline pipeline = new ArpPipeline(
                    new ArpPipelineInitializer(ps, stats, table, dump, out, err, capture.linkType()));
            try (StopSignals signals = StopSignals.install(signal -> capture.stop());
                 StopTimer timer = StopTimer.after(s.timeout(), capture::stop)) {
                err.println(capture.banner());
                err.flush();
                PrintWriter text = out;
                capture.run(pipeline, stats, s.count(), () -> text.checkError() || capture.writeFailed());
                failure = capture.failure();
                if (failure == null && s.writeFile() != null) {
                    failure = capture.writeFailure(s.writeFile()); // e.g. -w - into a pipe whose reader left
                }
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
