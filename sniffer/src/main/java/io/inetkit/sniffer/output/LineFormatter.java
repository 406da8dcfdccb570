package io.inetkit.sniffer.output;

import io.inetkit.sniffer.packet.Address;
import io.inetkit.sniffer.packet.ArpClassification;
import io.inetkit.sniffer.packet.ArpFrame;
import io.inetkit.sniffer.packet.ArpPacket;
import io.inetkit.sniffer.packet.EthernetHeader;
import io.inetkit.sniffer.packet.VlanTag;

import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.List;

/**
 * {@code --format line}: one line per frame, as {@code tcpdump -nn} prints it (its {@code print-arp.c}),
 * then the VLAN tags and the classification when it says more than request or reply:
 * <pre>
 * 22:13:20.123456 ARP, Request who-has 192.168.1.27 tell 192.168.1.1, length 28
 * 22:13:20.123456 ARP, Reply 192.168.1.27 is-at 00:11:22:33:44:55, length 28
 * 22:13:20.123456 ARP, Request who-has 10.0.0.7 tell 10.0.0.7, length 46 [vlan 100] [announcement]
 * </pre>
 * The time is local, like tcpdump's; "length" is the ARP payload's length on the wire (46 when the
 * frame was padded to Ethernet's minimum).
 */
final class LineFormatter extends OutputFormatter {

    LineFormatter(PrintWriter out, PrintWriter err, ZoneId zone) {
        super(out, err, zone);
    }

    @Override
    void frame(ArpFrame frame) {
        StringBuilder sb = outText;
        time.appendTime(sb, frame.timestampMicros());
        sb.append(" ARP, ");
        appendArp(sb, frame.arp());
        sb.append(", length ").append(frame.ethernet().payloadLength());
        List<VlanTag> vlans = frame.ethernet().vlans();
        for (int i = 0; i < vlans.size(); i++) { // indexed: no iterator per frame
            sb.append(" [vlan ").append(vlans.get(i).vlanId()).append(']');
        }
        ArpClassification c = frame.classification();
        if (c == ArpClassification.GRATUITOUS || c == ArpClassification.PROBE || c == ArpClassification.ANNOUNCEMENT) {
            sb.append(" [").append(c.label()).append(']');
        }
        sb.append('\n');
    }

    /** The part of tcpdump's line between "ARP, " and ", length". */
    static void appendArp(StringBuilder sb, ArpPacket a) {
        int pro = a.protocolType();
        if ((pro != EthernetHeader.TYPE_IPV4 && pro != ETHERTYPE_TRAIL) || a.protocolSize() != 4
                || a.hardwareSize() == 0) {
            sb.append(hardwareName(a.hardwareType())).append(" (len ").append(a.hardwareSize()).append("), ")
                    .append(protocolName(pro)).append(" (len ").append(a.protocolSize()).append(')');
            return;
        }
        Address sha = a.senderHardwareAddress();
        Address tha = a.targetHardwareAddress();
        switch (a.opcode()) {
            case ArpPacket.OP_REQUEST -> {
                sb.append("Request who-has ");
                a.targetProtocolAddress().appendDotted(sb);
                if (!tha.isZero()) {
                    tha.appendColonHex(sb.append(" (")).append(')');
                }
                a.senderProtocolAddress().appendDotted(sb.append(" tell "));
            }
            case ArpPacket.OP_REPLY -> {
                a.senderProtocolAddress().appendDotted(sb.append("Reply "));
                sha.appendColonHex(sb.append(" is-at "));
            }
            // RARP and InARP ask alike: who is this hardware address, tell that one
            case ArpPacket.OP_REVERSE_REQUEST, ArpPacket.OP_INVERSE_REQUEST -> {
                sb.append(a.opcode() == ArpPacket.OP_REVERSE_REQUEST ? "Reverse" : "Inverse");
                tha.appendColonHex(sb.append(" Request who-is "));
                sha.appendColonHex(sb.append(" tell "));
            }
            case ArpPacket.OP_REVERSE_REPLY -> {
                tha.appendColonHex(sb.append("Reverse Reply "));
                a.targetProtocolAddress().appendDotted(sb.append(" at "));
            }
            case ArpPacket.OP_INVERSE_REPLY -> {
                sha.appendColonHex(sb.append("Inverse Reply "));
                a.senderProtocolAddress().appendDotted(sb.append(" at "));
            }
            case 10 -> sb.append("NACK Reply");
            default -> sb.append("Unknown (").append(a.opcode()).append(')');
        }
    }

    /** tcpdump's ETHERTYPE_TRAIL, which it prints like IPv4. */
    private static final int ETHERTYPE_TRAIL = 0x1000;

    static String hardwareName(int type) {
        return switch (type) {
            case 1 -> "Ethernet";
            case 6 -> "TokenRing";
            case 7 -> "ArcNet";
            case 15 -> "FrameRelay";
            case 19 -> "ATM";
            case 23 -> "Strip";
            case 24 -> "IEEE 1394";
            default -> "Unknown Hardware (" + type + ")";
        };
    }

    static String protocolName(int type) {
        return switch (type) {
            case 0x0800 -> "IPv4";
            case 0x86dd -> "IPv6";
            case 0x0806 -> "ARP";
            case 0x8035 -> "Reverse ARP";
            case 0x8100 -> "802.1Q";
            default -> String.format("Unknown Protocol (0x%04x)", type);
        };
    }
}
