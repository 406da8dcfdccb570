package io.inetkit.sniffer.chain;

import io.inetkit.sniffer.output.OutputFormat;
import io.inetkit.sniffer.packet.CapturedFrame;
import io.inetkit.sniffer.packet.LinkType;
import io.inetkit.sniffer.watch.EthernetMismatchDetector;
import io.inetkit.sniffer.watch.NdTracker;
import io.inetkit.sniffer.watch.RequestStormDetector;
import io.inetkit.sniffer.watch.StationTable;
import io.inetkit.sniffer.watch.StationTracker;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * Builds the sniffer's one handler chain, the whole route a frame takes. Captured frames enter at the
 * top; each handler does one thing and passes on what it made:
 * <pre>
 *   pcap_dispatch -> CaptureLoop (capture thread) -> batch queue -> ArpPipeline.frame (pipeline thread)
 *     |
 *     |  CapturedFrame
 *     |  "pcap-writer"        FrameWriterHandler        -w FILE: writes the matched frame (optional)
 *     |  "ethernet"           EthernetDecoder           CapturedFrame -> EthernetFrame (or LinuxCookedDecoder: SLL, SLL2)
 *     |  "vlan"               VlanDecoder               reads 802.1Q/802.1ad tags, finds the inner type
 *     |  "nd"                 NdDecoder                 EthernetFrame (IPv6) -> NdFrame: ICMPv6 133-137
 *     |  "arp"                ArpDecoder                EthernetFrame -> ArpFrame, AtmArpFrame or TruncatedArp (ARP, RARP)
 *     |  "classifier"         ArpClassifier             request/reply/gratuitous/probe/announcement
 *     |  "ethernet-mismatch"  EthernetMismatchDetector  --watch: Ethernet source != ARP sender MAC
 *     |  "stations"           StationTracker            --watch: station table, new/changed/flip-flop/duplicate
 *     |  "nd-stations"        NdTracker                 --watch: IPv6 stations, DAD, rogue RAs
 *     |  "request-storm"      RequestStormDetector      --watch: more than N requests in T
 *     |  "output"             Line/Seed/JsonFormatter   prints frames, alerts, the table, the statistics
 *     v  "malformed"          MalformedFrameHandler     any handler's exception: counted, capture goes on
 * </pre>
 * Any handler can be removed or another added ({@code pipeline.addAfter(ARP, ...)}) without touching
 * the others: each passes on what it does not consume.
 */
public final class ArpPipelineInitializer {

    public static final String PCAP_WRITER = "pcap-writer";
    public static final String ETHERNET = "ethernet";
    public static final String VLAN = "vlan";
    public static final String ND = "nd";
    public static final String ARP = "arp";
    public static final String CLASSIFIER = "classifier";
    public static final String ETHERNET_MISMATCH = "ethernet-mismatch";
    public static final String STATIONS = "stations";
    public static final String ND_STATIONS = "nd-stations";
    public static final String REQUEST_STORM = "request-storm";
    public static final String OUTPUT = "output";
    public static final String MALFORMED = "malformed";

    private final PipelineSettings settings;
    private final CaptureStats stats;
    private final StationTable stations;
    private final FrameSink writer;
    private final PrintWriter out;
    private final PrintWriter err;
    private final int linkType;

    /** The chain for Ethernet frames. */
    public ArpPipelineInitializer(PipelineSettings settings, CaptureStats stats, StationTable stations,
                                  FrameSink writer, PrintWriter out, PrintWriter err) {
        this(settings, stats, stations, writer, out, err, LinkType.EN10MB);
    }

    /**
     * @param stations the table the tracker fills (with --watch); may be null without
     * @param writer   where matched {@link CapturedFrame}s are written ({@code -w}); null for none
     * @param linkType the capture's link type: {@link LinkType#EN10MB}, {@code LINUX_SLL} or {@code LINUX_SLL2}
     */
    public ArpPipelineInitializer(PipelineSettings settings, CaptureStats stats, StationTable stations,
                                  FrameSink writer, PrintWriter out, PrintWriter err, int linkType) {
        if (!LinkType.decodable(linkType)) {
            throw new IllegalArgumentException("no decoder for link type " + linkType);
        }
        if (settings.watch() && stations == null) {
            throw new IllegalArgumentException("watch needs a station table");
        }
        this.settings = settings;
        this.stats = stats;
        this.stations = stations;
        this.writer = writer;
        this.out = out;
        this.err = err;
        this.linkType = linkType;
    }

    /** Adds the handlers to {@code p}, top to bottom. */
    public void initPipeline(FramePipeline p) throws IOException {
        if (writer != null) {
            p.addLast(PCAP_WRITER, new FrameWriterHandler(writer));
        }
        p.addLast(ETHERNET, switch (linkType) {
            case LinkType.LINUX_SLL -> LinuxCookedDecoder.SLL;
            case LinkType.LINUX_SLL2 -> LinuxCookedDecoder.SLL2;
            default -> EthernetDecoder.INSTANCE;
        });
        p.addLast(VLAN, VlanDecoder.INSTANCE);
        p.addLast(ND, new NdDecoder(stats));
        p.addLast(ARP, new ArpDecoder(stats));
        p.addLast(CLASSIFIER, ArpClassifier.INSTANCE);
        if (settings.watch()) {
            p.addLast(ETHERNET_MISMATCH, EthernetMismatchDetector.INSTANCE);
            p.addLast(STATIONS, new StationTracker(stations, settings.localNetworks()));
            p.addLast(ND_STATIONS, new NdTracker(stations, settings.routers()));
            p.addLast(REQUEST_STORM, new RequestStormDetector(settings.stormRequests(), settings.stormWindow()));
        }
        OutputFormat format = settings.format();
        p.addLast(OUTPUT, format.newFormatter(out, err, settings.zone(), settings.style()));
        p.addLast(MALFORMED, new MalformedFrameHandler(stats));
    }
}
