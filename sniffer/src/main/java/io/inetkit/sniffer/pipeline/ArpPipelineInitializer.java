package io.inetkit.sniffer.pipeline;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * Builds the sniffer's handler chain. Captured frames enter at the top; each handler does one thing and
 * passes on what it made:
 * <pre>
 *   CapturedFrame
 *     |  "pcap-writer"        FrameWriterHandler        -w FILE: writes the matched frame (optional)
 *     |  "ethernet"           EthernetDecoder           CapturedFrame -> EthernetFrame
 *     |  "vlan"               VlanDecoder               reads 802.1Q/802.1ad tags, finds the inner type
 *     |  "arp"                ArpDecoder                EthernetFrame -> ArpFrame; counts not-ARP frames
 *     |  "classifier"         ArpClassifier             request/reply/gratuitous/probe/announcement
 *     |  "ethernet-mismatch"  EthernetMismatchDetector  --watch: Ethernet source != ARP sender MAC
 *     |  "stations"           StationTracker            --watch: station table, new/changed/flip-flop/duplicate
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
    public static final String ARP = "arp";
    public static final String CLASSIFIER = "classifier";
    public static final String ETHERNET_MISMATCH = "ethernet-mismatch";
    public static final String STATIONS = "stations";
    public static final String REQUEST_STORM = "request-storm";
    public static final String OUTPUT = "output";
    public static final String MALFORMED = "malformed";

    private final PipelineSettings settings;
    private final CaptureStats stats;
    private final StationTable stations;
    private final FrameSink writer;
    private final PrintWriter out;
    private final PrintWriter err;

    /**
     * @param stations the table the tracker fills (with --watch); may be null without
     * @param writer   where matched frames are written ({@code -w}); null for none
     */
    public ArpPipelineInitializer(PipelineSettings settings, CaptureStats stats, StationTable stations,
                                  FrameSink writer, PrintWriter out, PrintWriter err) {
        if (settings.watch() && stations == null) {
            throw new IllegalArgumentException("watch needs a station table");
        }
        this.settings = settings;
        this.stats = stats;
        this.stations = stations;
        this.writer = writer;
        this.out = out;
        this.err = err;
    }

    /** Adds the handlers to {@code p}. */
    public void initPipeline(FramePipeline p) throws IOException {
        if (writer != null) {
            p.addLast(PCAP_WRITER, new FrameWriterHandler(writer));
        }
        p.addLast(ETHERNET, EthernetDecoder.INSTANCE);
        p.addLast(VLAN, VlanDecoder.INSTANCE);
        p.addLast(ARP, new ArpDecoder(stats));
        p.addLast(CLASSIFIER, ArpClassifier.INSTANCE);
        if (settings.watch()) {
            p.addLast(ETHERNET_MISMATCH, EthernetMismatchDetector.INSTANCE);
            p.addLast(STATIONS, new StationTracker(stations));
            p.addLast(REQUEST_STORM, new RequestStormDetector(settings.stormRequests(), settings.stormWindow()));
        }
        p.addLast(OUTPUT, formatter());
        p.addLast(MALFORMED, new MalformedFrameHandler(stats));
    }

    private OutputFormatter formatter() throws IOException {
        return switch (settings.format()) {
            case LINE -> new LineFormatter(out, err, settings.zone());
            case SEED -> new SeedFormatter(out, err, settings.zone());
            case JSON -> new JsonFormatter(out, err, settings.zone());
        };
    }
}
