package io.inetkit.sniffer.output;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.inetkit.sniffer.chain.CaptureSummary;
import io.inetkit.sniffer.packet.Address;
import io.inetkit.sniffer.packet.ArpFrame;
import io.inetkit.sniffer.packet.ArpPacket;
import io.inetkit.sniffer.packet.AtmArpFrame;
import io.inetkit.sniffer.packet.AtmArpPacket;
import io.inetkit.sniffer.packet.CapturedFrame;
import io.inetkit.sniffer.packet.LinuxCookedHeader;
import io.inetkit.sniffer.packet.NdFrame;
import io.inetkit.sniffer.packet.NdPacket;
import io.inetkit.sniffer.packet.TruncatedArp;
import io.inetkit.sniffer.packet.TruncatedNd;
import io.inetkit.sniffer.packet.EthernetFrame;
import io.inetkit.sniffer.packet.EthernetHeader;
import io.inetkit.sniffer.packet.VlanTag;
import io.inetkit.sniffer.watch.Alert;
import io.inetkit.sniffer.watch.Station;
import io.inetkit.sniffer.watch.IgnoredClaims;
import io.inetkit.sniffer.watch.StationReport;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.time.ZoneId;

/**
 * {@code --format json}: one JSON object per line on stdout, written with Jackson's streaming generator.
 * Every object has a {@code type}: {@code arp} for a frame, {@code alert}, {@code station} (one per row
 * of the table when the capture ends) and {@code stats} (last). A frame:
 * <pre>
 * {"type":"arp","timestamp":"2023-11-14T22:13:20.123456Z","timestampMicros":1700000000123456,
 *  "length":60,"capturedLength":42,
 *  "ethernet":{"destination":"ff:ff:ff:ff:ff:ff","source":"00:24:b2:84:19:22","etherType":33024},
 *  "vlans":[{"tpid":33024,"priority":3,"dropEligible":false,"id":100}],
 *  "arp":{"hardwareType":1,"protocolType":2048,"hardwareSize":6,"protocolSize":4,"opcode":1,
 *         "operation":"request","senderHardwareAddress":"00:24:b2:84:19:22","senderProtocolAddress":"192.168.1.1",
 *         "targetHardwareAddress":"00:00:00:00:00:00","targetProtocolAddress":"192.168.1.27"},
 *  "classification":"request"}
 * </pre>
 * (shown wrapped; each object is one line). A Linux cooked capture has {@code "linuxCooked"} instead of
 * {@code "ethernet"}; a packet cut short has {@code "arp":null,"truncated":true} and a {@code "malformed"}
 * reason, which a packet whose sizes contradict its types also carries; an ATM ARP packet has its
 * subaddresses; a record with an out-of-range microseconds field has {@code "timestampInvalid":true} and
 * the field as recorded. Protocol addresses are dotted when 4 bytes long, colon hex
 * otherwise. The statistics are also printed as text on stderr.
 */
final class JsonFormatter extends OutputFormatter {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private final JsonGenerator json;
    private final StringBuilder scratch = new StringBuilder(32);

    JsonFormatter(PrintWriter out, PrintWriter err, ZoneId zone) throws IOException {
        super(out, err, zone);
        this.json = FACTORY.createGenerator(new StringBuilderWriter(outText));
        this.json.setRootValueSeparator(null); // objects are separated by newlines, written in end()
    }

    @Override
    void frame(ArpFrame frame) throws IOException {
        ArpPacket a = frame.arp();
        begin(frame.ethernet());
        json.writeObjectFieldStart("arp");
        json.writeNumberField("hardwareType", a.hardwareType());
        json.writeNumberField("protocolType", a.protocolType());
        json.writeNumberField("hardwareSize", a.hardwareSize());
        json.writeNumberField("protocolSize", a.protocolSize());
        json.writeNumberField("opcode", a.opcode());
        json.writeStringField("operation", ArpPacket.operationName(a.opcode()));
        json.writeStringField("senderHardwareAddress", colon(a.senderHardwareAddress()));
        json.writeStringField("senderProtocolAddress", protocol(a.senderProtocolAddress()));
        json.writeStringField("targetHardwareAddress", colon(a.targetHardwareAddress()));
        json.writeStringField("targetProtocolAddress", protocol(a.targetProtocolAddress()));
        json.writeEndObject();
        if (frame.classification() == null) {
            json.writeNullField("classification");
        } else {
            json.writeStringField("classification", frame.classification().label());
        }
        String problem = a.inconsistency();
        if (problem != null) {
            json.writeStringField("malformed", problem);
        }
        end();
    }

    @Override
    void truncated(TruncatedArp frame) throws IOException {
        begin(frame.ethernet());
        json.writeNullField("arp");
        json.writeBooleanField("truncated", true);
        json.writeStringField("malformed", frame.problem().getMessage());
        end();
    }

    @Override
    void atm(AtmArpFrame frame) throws IOException {
        AtmArpPacket a = frame.arp();
        begin(frame.ethernet());
        json.writeObjectFieldStart("arp");
        json.writeNumberField("hardwareType", a.hardwareType());
        json.writeNumberField("protocolType", a.protocolType());
        json.writeNumberField("opcode", a.opcode());
        json.writeStringField("operation", ArpPacket.operationName(a.opcode()));
        json.writeStringField("senderHardwareAddress", colon(a.senderHardwareAddress()));
        json.writeStringField("senderSubaddress", colon(a.senderSubaddress()));
        json.writeStringField("senderProtocolAddress", protocol(a.senderProtocolAddress()));
        json.writeStringField("targetHardwareAddress", colon(a.targetHardwareAddress()));
        json.writeStringField("targetSubaddress", colon(a.targetSubaddress()));
        json.writeStringField("targetProtocolAddress", protocol(a.targetProtocolAddress()));
        json.writeEndObject();
        json.writeNullField("classification");
        end();
    }

    /**
     * An ND frame: {@code {"type":"nd", ..., "ipv6":{"source":"fe80::a","destination":...,"hopLimit":255},
     * "icmp6":{"type":135,"name":"neighbor solicitation","target":"fe80::2","sourceLinkAddress":...},
     * "dadProbe":false}}, addresses in RFC 5952 form.
     */
    @Override
    void nd(NdFrame frame) throws IOException {
        NdPacket nd = frame.nd();
        begin(frame.ethernet(), "nd");
        json.writeObjectFieldStart("ipv6");
        json.writeStringField("source", nd.source().toIpv6());
        json.writeStringField("destination", nd.destination().toIpv6());
        json.writeNumberField("hopLimit", nd.hopLimit());
        json.writeEndObject();
        json.writeObjectFieldStart("icmp6");
        json.writeNumberField("type", nd.type());
        json.writeStringField("name", nd.typeName());
        json.writeNumberField("length", nd.icmpLength());
        if (nd.target() != null) {
            json.writeStringField("target", nd.target().toIpv6());
        }
        if (nd.redirectDestination() != null) {
            json.writeStringField("redirectDestination", nd.redirectDestination().toIpv6());
        }
        optional("sourceLinkAddress", nd.sourceLinkAddress());
        optional("targetLinkAddress", nd.targetLinkAddress());
        json.writeNumberField("flags", nd.flags());
        if (nd.type() == NdPacket.ROUTER_ADVERTISEMENT) {
            json.writeNumberField("routerLifetime", nd.routerLifetime());
        }
        json.writeEndObject();
        json.writeBooleanField("dadProbe", nd.isDadProbe());
        end();
    }

    @Override
    void truncatedNd(TruncatedNd frame) throws IOException {
        begin(frame.ethernet(), "nd");
        json.writeObjectFieldStart("ipv6");
        json.writeStringField("source", frame.source().toIpv6());
        json.writeStringField("destination", frame.destination().toIpv6());
        json.writeEndObject();
        json.writeObjectFieldStart("icmp6");
        json.writeNumberField("type", frame.type());
        json.writeStringField("name", NdPacket.typeName(frame.type()));
        json.writeEndObject();
        json.writeBooleanField("truncated", true);
        json.writeNumberField("missing", frame.missing());
        end();
    }

    private void begin(EthernetFrame eth) throws IOException {
        begin(eth, "arp");
    }

    /** The fields every frame object starts with: type, time, lengths, the link header, the VLAN tags. */
    private void begin(EthernetFrame eth, String type) throws IOException {
        CapturedFrame captured = eth.captured();
        json.writeStartObject();
        json.writeStringField("type", type);
        timestamp(captured.timestampMicros());
        if (captured.timestampInvalid()) {
            // tcpdump prints such a record's field as it is; the object says so and keeps it
            json.writeBooleanField("timestampInvalid", true);
            json.writeNumberField("microsecondsField", captured.microsecondsField());
        }
        json.writeNumberField("length", captured.originalLength());
        json.writeNumberField("capturedLength", captured.data().length);
        EthernetHeader h = eth.header();
        if (h != null) {
            json.writeObjectFieldStart("ethernet");
            json.writeStringField("destination", colon(h.destination()));
            json.writeStringField("source", colon(h.source()));
            json.writeNumberField("etherType", h.etherType());
            json.writeEndObject();
        } else {
            LinuxCookedHeader c = eth.cooked();
            json.writeObjectFieldStart("linuxCooked");
            json.writeNumberField("version", c.version());
            json.writeNumberField("packetType", c.packetType());
            json.writeNumberField("hardwareType", c.hardwareType());
            json.writeStringField("address", colon(c.address()));
            json.writeNumberField("protocol", c.protocol());
            if (c.version() == 2) {
                json.writeNumberField("interfaceIndex", c.interfaceIndex());
            }
            json.writeEndObject();
        }
        json.writeArrayFieldStart("vlans");
        for (VlanTag tag : eth.vlans()) {
            json.writeStartObject();
            json.writeNumberField("tpid", tag.tpid());
            json.writeNumberField("priority", tag.priority());
            json.writeBooleanField("dropEligible", tag.dropEligible());
            json.writeNumberField("id", tag.vlanId());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    @Override
    void alert(Alert alert) throws IOException {
        json.writeStartObject();
        json.writeStringField("type", "alert");
        json.writeStringField("alert", alert.kind().label());
        timestamp(alert.timestampMicros());
        optional("ip", alert.ip());
        optional("mac", alert.mac());
        optional("otherMac", alert.otherMac());
        json.writeStringField("message", alert.message());
        end();
    }

    @Override
    void stations(StationReport report) throws IOException {
        for (Station s : report.stations()) {
            json.writeStartObject();
            json.writeStringField("type", "station");
            json.writeStringField("ip", s.ip().toString()); // dotted, or RFC 5952
            json.writeStringField("mac", colon(s.mac()));
            optional("previousMac", s.previousMac());
            json.writeStringField("firstSeen", time.isoUtc(s.firstSeen()));
            json.writeStringField("lastSeen", time.isoUtc(s.lastSeen()));
            json.writeNumberField("count", s.count());
            end();
        }
    }

    @Override
    void ignored(IgnoredClaims ignored) throws Exception {
        for (var e : ignored.counts().entrySet()) {
            json.writeStartObject();
            json.writeStringField("type", "ignored");
            json.writeStringField("reason", e.getKey());
            json.writeNumberField("frames", e.getValue());
            end();
        }
        super.ignored(ignored);
    }

    @Override
    void summary(CaptureSummary s) throws Exception {
        json.writeStartObject();
        json.writeStringField("type", "stats");
        json.writeNumberField("received", s.received());
        json.writeNumberField("matched", s.matched());
        json.writeNumberField("decoded", s.decoded());
        json.writeNumberField("malformed", s.malformed());
        json.writeNumberField("notArp", s.notArp());
        json.writeNumberField("neighborDiscovery", s.neighborDiscovery());
        json.writeNumberField("droppedByKernel", s.droppedByKernel());
        json.writeBooleanField("live", s.live());
        end();
        super.summary(s);
    }

    @Override
    void flush() throws Exception {
        json.flush(); // the generator's own buffer into outText
        super.flush();
    }

    private void timestamp(long micros) throws IOException {
        scratch.setLength(0);
        time.appendIsoUtc(scratch, micros);
        json.writeStringField("timestamp", scratch.toString());
        json.writeNumberField("timestampMicros", micros);
    }

    private void optional(String name, Address a) throws IOException {
        if (a == null) {
            json.writeNullField(name);
        } else {
            json.writeStringField(name, a.length() == 6 ? a.toColonHex() : a.toString());
        }
    }

    private void end() throws IOException {
        json.writeEndObject();
        json.writeRaw('\n');
    }

    private String colon(Address a) {
        scratch.setLength(0);
        return a.appendColonHex(scratch).toString();
    }

    /** Dotted for 4 bytes, RFC 5952 for 16 (an IPv6 protocol address: {@code fd00::2}), colon hex otherwise. */
    private String protocol(Address a) {
        if (a.length() == 16) {
            return io.netty.util.NetUtil.bytesToIpAddress(a.toByteArray());
        }
        scratch.setLength(0);
        return (a.length() == 4 ? a.appendDotted(scratch) : a.appendColonHex(scratch)).toString();
    }

    /** A Writer that appends to a StringBuilder (the formatter's stdout buffer). */
    private static final class StringBuilderWriter extends Writer {
        private final StringBuilder sb;

        StringBuilderWriter(StringBuilder sb) {
            this.sb = sb;
        }

        @Override
        public void write(char[] cbuf, int off, int len) {
            sb.append(cbuf, off, len);
        }

        @Override
        public void write(String str, int off, int len) {
            sb.append(str, off, off + len);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
