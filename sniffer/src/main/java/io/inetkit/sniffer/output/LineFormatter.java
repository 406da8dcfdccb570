package io.inetkit.sniffer.output;

import io.inetkit.sniffer.packet.ArpClassification;
import io.inetkit.sniffer.packet.ArpFrame;
import io.inetkit.sniffer.packet.AtmArpFrame;
import io.inetkit.sniffer.packet.CapturedFrame;
import io.inetkit.sniffer.packet.EthernetFrame;
import io.inetkit.sniffer.packet.EthernetHeader;
import io.inetkit.sniffer.packet.LinuxCookedHeader;
import io.inetkit.sniffer.packet.NdFrame;
import io.inetkit.sniffer.packet.NdPacket;
import io.inetkit.sniffer.packet.TruncatedArp;
import io.inetkit.sniffer.packet.TruncatedNd;
import io.inetkit.sniffer.packet.VlanTag;

import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.List;

/**
 * {@code --format line}: one line per frame, as {@code tcpdump -nn} prints it (see {@link TcpdumpArp}),
 * then, unless {@code -q}, the VLAN tags and the classification when it says more than request or reply:
 * <pre>
 * 22:13:20.123456 ARP, Request who-has 192.168.1.27 tell 192.168.1.1, length 28
 * 22:13:20.123456 ARP, Reply 192.168.1.27 is-at 00:11:22:33:44:55, length 28
 * 22:13:20.123456 ARP, Request who-has 10.0.0.7 tell 10.0.0.7, length 46 [vlan 100] [announcement]
 * 22:13:20.123456  [|arp]
 * </pre>
 * With {@link TcpdumpStyle}'s options: tcpdump's time formats, {@code -e}'s link header
 * ({@code 02:00:00:00:00:0a > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 60: }), {@code -v} and
 * the {@code -x}/{@code -X} dumps. An SLL2 frame starts with its interface's name and direction, as
 * tcpdump prints it ({@code eth0  B   ARP, ...}); the name is this machine's for that index, as tcpdump's is.
 */
final class LineFormatter extends OutputFormatter {

    private final TcpdumpStyle style;
    private long firstMicros = Long.MIN_VALUE;
    private long previousMicros = Long.MIN_VALUE;
    private final InterfaceNames interfaceNames = new InterfaceNames();

    LineFormatter(PrintWriter out, PrintWriter err, ZoneId zone, TcpdumpStyle style) {
        super(out, err, zone);
        this.style = style;
    }

    @Override
    void frame(ArpFrame frame) {
        StringBuilder sb = outText;
        EthernetFrame eth = frame.ethernet();
        start(sb, eth);
        boolean lengthPrinted = TcpdumpArp.append(sb, frame.arp(), eth.captured().data(), eth.payloadOffset(),
                eth.capturedPayloadLength(), eth.payloadLength(), style.linkHeader(), style.verbose());
        if (lengthPrinted && !style.quiet()) {
            List<VlanTag> vlans = eth.vlans();
            for (int i = 0; i < vlans.size(); i++) { // indexed: no iterator per frame
                sb.append(" [vlan ").append(vlans.get(i).vlanId()).append(']');
            }
            ArpClassification c = frame.classification();
            if (c == ArpClassification.GRATUITOUS || c == ArpClassification.PROBE || c == ArpClassification.ANNOUNCEMENT) {
                sb.append(" [").append(c.label()).append(']');
            }
        }
        hex(sb, eth.captured(), eth.payloadOffset());
        sb.append('\n');
    }

    @Override
    void atm(AtmArpFrame frame) {
        StringBuilder sb = outText;
        EthernetFrame eth = frame.ethernet();
        start(sb, eth);
        TcpdumpArp.appendAtm(sb, frame.arp(), eth.captured().data(), eth.payloadOffset(),
                eth.capturedPayloadLength(), eth.payloadLength(), style.linkHeader(), style.verbose());
        hex(sb, eth.captured(), eth.payloadOffset());
        sb.append('\n');
    }

    /**
     * tcpdump's line for an ND message ({@code print-icmp6.c}, without -v):
     * {@code IP6 fe80::a > ff02::1:ff00:2: ICMP6, neighbor solicitation, who has fe80::2, length 32}, then
     * unless -q {@code [dad probe]} for a DAD probe.
     */
    @Override
    void nd(NdFrame frame) {
        StringBuilder sb = outText;
        EthernetFrame eth = frame.ethernet();
        NdPacket nd = frame.nd();
        start(sb, eth);
        if (!style.linkHeader()) {
            sb.append("IP6 ");
        }
        sb.append(nd.source()).append(" > ").append(nd.destination()).append(": ICMP6, ").append(nd.typeName());
        switch (nd.type()) {
            case NdPacket.NEIGHBOR_SOLICITATION -> sb.append(", who has ").append(nd.target());
            case NdPacket.NEIGHBOR_ADVERTISEMENT -> sb.append(", tgt is ").append(nd.target());
            case NdPacket.REDIRECT -> sb.append(", ").append(nd.redirectDestination()).append(" to ").append(nd.target());
            default -> {
            }
        }
        sb.append(", length ").append(nd.icmpLength());
        if (!style.quiet() && nd.isDadProbe()) {
            sb.append(" [dad probe]");
        }
        hex(sb, eth.captured(), eth.payloadOffset());
        sb.append('\n');
    }

    @Override
    void truncatedNd(TruncatedNd frame) {
        StringBuilder sb = outText;
        start(sb, frame.ethernet());
        if (!style.linkHeader()) {
            sb.append("IP6 ");
        }
        if (frame.missing() > 0) {
            sb.append("truncated-ip6 - ").append(frame.missing()).append(" bytes missing!");
        }
        sb.append(frame.source()).append(" > ").append(frame.destination()).append(": ICMP6, ")
                .append(NdPacket.typeName(frame.type())).append(" [|icmp6]");
        hex(sb, frame.ethernet().captured(), 0); // as for [|arp]: tcpdump dumps a cut-short frame whole
        sb.append('\n');
    }

    @Override
    void truncated(TruncatedArp frame) {
        StringBuilder sb = outText;
        start(sb, frame.ethernet());
        sb.append(TcpdumpArp.TRUNCATED);
        hex(sb, frame.ethernet().captured(), 0); // tcpdump dumps a cut-short frame whole, link header included
        sb.append('\n');
    }

    /** The time stamp, then what comes before the ARP text: the link header with -e, SLL2's interface. */
    private void start(StringBuilder sb, EthernetFrame eth) {
        CapturedFrame f = eth.captured();
        switch (style.timestamps()) {
            case TIME -> time.appendTime(sb, f.seconds(), f.microsecondsField());
            case NONE -> {
            }
            case EPOCH -> TimeFormat.appendEpoch(sb, f.seconds(), f.microsecondsField());
            case DATE_TIME -> time.appendDateTime(sb, f.seconds(), f.microsecondsField());
            case DELTA -> TimeFormat.appendDelta(sb,
                    previousMicros == Long.MIN_VALUE ? 0 : f.timestampMicros() - previousMicros, true);
            case SINCE_FIRST -> TimeFormat.appendDelta(sb,
                    firstMicros == Long.MIN_VALUE ? 0 : f.timestampMicros() - firstMicros, true);
        }
        if (firstMicros == Long.MIN_VALUE) {
            firstMicros = f.timestampMicros();
        }
        previousMicros = f.timestampMicros();
        if (style.timestamps() != TcpdumpStyle.Timestamps.NONE) {
            sb.append(' ');
        }
        LinuxCookedHeader cooked = eth.cooked();
        if (cooked != null && cooked.version() == 2) {
            int at = sb.length();
            sb.append(interfaceNames.name(cooked.interfaceIndex()));
            pad(sb, at + 5);
            sb.append(' ');
            at = sb.length();
            sb.append(cooked.packetTypeName());
            pad(sb, at + 3);
            sb.append(' ');
        }
        if (!style.linkHeader()) {
            return;
        }
        if (cooked != null) {
            if (cooked.version() == 1) {
                int at = sb.length();
                sb.append(cooked.packetTypeName());
                while (sb.length() < at + 3) {
                    sb.insert(at, ' ');
                }
                sb.append(' ');
            } else {
                sb.append("ifindex ").append(cooked.interfaceIndex()).append(' ');
            }
            cooked.address().appendColonHex(sb);
            etherType(sb.append(' '), cooked.protocol());
        } else {
            EthernetHeader h = eth.header();
            h.source().appendColonHex(sb).append(" > ");
            h.destination().appendColonHex(sb).append(", ");
            etherType(sb, h.etherType());
        }
        sb.append(", length ").append(f.originalLength()).append(": ");
        List<VlanTag> vlans = eth.vlans();
        int offset = eth.cooked() != null ? eth.cooked().length() : EthernetHeader.LENGTH;
        byte[] data = f.data();
        for (int i = 0; i < vlans.size(); i++) {
            VlanTag tag = vlans.get(i);
            offset += VlanTag.LENGTH;
            int inner = (data[offset - 2] & 0xff) << 8 | data[offset - 1] & 0xff;
            sb.append("vlan ").append(tag.vlanId()).append(", p ").append(tag.priority());
            if (tag.dropEligible()) {
                sb.append(", DEI");
            }
            etherType(sb.append(", "), inner).append(", ");
        }
    }

    private static StringBuilder etherType(StringBuilder sb, int type) {
        return sb.append("ethertype ").append(EtherTypes.nameOrUnknown(type))
                .append(String.format(" (0x%04x)", type));
    }

    /** {@code -x} .. {@code -XX}: the frame from {@code payloadOffset} (or whole with -xx/-XX). */
    private void hex(StringBuilder sb, CapturedFrame f, int payloadOffset) {
        if (style.hex() == 0) {
            return;
        }
        int from = style.withLinkHeader() ? 0 : payloadOffset;
        int length = f.data().length - from;
        if (style.ascii()) {
            HexDump.hexAndAscii(sb, "\n\t", f.data(), from, length);
        } else {
            HexDump.hex(sb, "\n\t", f.data(), from, length);
        }
    }
}
