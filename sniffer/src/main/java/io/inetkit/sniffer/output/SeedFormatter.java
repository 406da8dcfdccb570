package io.inetkit.sniffer.output;

import io.inetkit.sniffer.packet.Address;
import io.inetkit.sniffer.packet.ArpFrame;
import io.inetkit.sniffer.packet.ArpPacket;
import io.inetkit.sniffer.packet.AtmArpFrame;
import io.inetkit.sniffer.packet.AtmArpPacket;
import io.inetkit.sniffer.packet.EthernetFrame;
import io.inetkit.sniffer.packet.LinuxCookedHeader;
import io.inetkit.sniffer.packet.NdFrame;
import io.inetkit.sniffer.packet.NdPacket;
import io.inetkit.sniffer.packet.TruncatedArp;
import io.inetkit.sniffer.packet.TruncatedNd;
import io.inetkit.sniffer.packet.EthernetHeader;

import java.io.PrintWriter;
import java.time.ZoneId;

/**
 * {@code --format seed}: the block the lecture's raw-socket sniffer prints, byte for byte. Labels are
 * padded to 18 columns, MACs are bare lower-case hex, the types, sizes and opcode are hex of their field
 * widths, IPs are dotted; the closing line has 49 stars where the banners have 48, as in the lecture.
 * Blocks are separated by a blank line:
 * <pre>
 * ****************_ETHERNET_FRAME_****************
 * Dest MAC:         ffffffffffff
 * Source MAC:       0024b2841922
 * Type:             0806
 * ************************************************
 * ******************_ARP_HEADER_******************
 * Hardware type:    0001
 * Protocol type:    0800
 * Hardware size:    06
 * Protocol size:    04
 * Opcode:           0001
 * Source MAC:       0024b2841922
 * Source IP:        192.168.1.1
 * Dest MAC:         000000000000
 * Dest IP:          192.168.1.27
 * *************************************************
 * </pre>
 * "Type" is the frame's EtherType field as on the wire (0x8100 for a VLAN-tagged frame), as the
 * lecture's code unpacks it.
 */
final class SeedFormatter extends OutputFormatter {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private boolean first = true;

    SeedFormatter(PrintWriter out, PrintWriter err, ZoneId zone) {
        super(out, err, zone);
    }

    @Override
    void frame(ArpFrame frame) {
        StringBuilder sb = outText;
        ArpPacket arp = frame.arp();
        link(sb, frame.ethernet());
        sb.append("******************_ARP_HEADER_******************\n");
        hex(sb.append("Hardware type:    "), arp.hardwareType(), 4).append('\n');
        hex(sb.append("Protocol type:    "), arp.protocolType(), 4).append('\n');
        hex(sb.append("Hardware size:    "), arp.hardwareSize(), 2).append('\n');
        hex(sb.append("Protocol size:    "), arp.protocolSize(), 2).append('\n');
        hex(sb.append("Opcode:           "), arp.opcode(), 4).append('\n');
        arp.senderHardwareAddress().appendHex(sb.append("Source MAC:       ")).append('\n');
        protocolAddress(sb.append("Source IP:        "), arp.senderProtocolAddress()).append('\n');
        arp.targetHardwareAddress().appendHex(sb.append("Dest MAC:         ")).append('\n');
        protocolAddress(sb.append("Dest IP:          "), arp.targetProtocolAddress()).append('\n');
        sb.append("*************************************************\n");
    }

    @Override
    void truncated(TruncatedArp frame) {
        StringBuilder sb = outText;
        link(sb, frame.ethernet());
        sb.append("******************_ARP_HEADER_******************\n");
        sb.append("[|arp] ").append(frame.problem().getMessage()).append('\n');
        sb.append("*************************************************\n");
    }

    @Override
    void atm(AtmArpFrame frame) {
        StringBuilder sb = outText;
        AtmArpPacket arp = frame.arp();
        link(sb, frame.ethernet());
        sb.append("****************_ATM_ARP_HEADER_****************\n");
        hex(sb.append("Hardware type:    "), arp.hardwareType(), 4).append('\n');
        hex(sb.append("Protocol type:    "), arp.protocolType(), 4).append('\n');
        hex(sb.append("Opcode:           "), arp.opcode(), 4).append('\n');
        arp.senderHardwareAddress().appendHex(sb.append("Source ATM:       ")).append('\n');
        arp.senderSubaddress().appendHex(sb.append("Source subaddr:   ")).append('\n');
        protocolAddress(sb.append("Source IP:        "), arp.senderProtocolAddress()).append('\n');
        arp.targetHardwareAddress().appendHex(sb.append("Dest ATM:         ")).append('\n');
        arp.targetSubaddress().appendHex(sb.append("Dest subaddr:     ")).append('\n');
        protocolAddress(sb.append("Dest IP:          "), arp.targetProtocolAddress()).append('\n');
        sb.append("*************************************************\n");
    }

    /** The lecture's style for ND: the Ethernet block, an IPv6 header block and an ICMPv6 header block. */
    @Override
    void nd(NdFrame frame) {
        StringBuilder sb = outText;
        NdPacket nd = frame.nd();
        link(sb, frame.ethernet());
        sb.append("*****************_IPV6_HEADER_******************\n");
        sb.append("Source IP:        ").append(nd.source()).append('\n');
        sb.append("Dest IP:          ").append(nd.destination()).append('\n');
        sb.append("Next header:      3a\n");
        hex(sb.append("Hop limit:        "), nd.hopLimit(), 2).append('\n');
        hex(sb.append("Payload length:   "), nd.icmpLength(), 4).append('\n');
        sb.append("************************************************\n");
        sb.append("****************_ICMPV6_HEADER_*****************\n");
        hex(sb.append("Type:             "), nd.type(), 2).append('\n');
        sb.append("Message:          ").append(nd.typeName()).append('\n');
        if (nd.target() != null) {
            sb.append("Target IP:        ").append(nd.target()).append('\n');
        }
        if (nd.redirectDestination() != null) {
            sb.append("Redirect to IP:   ").append(nd.redirectDestination()).append('\n');
        }
        if (nd.sourceLinkAddress() != null) {
            nd.sourceLinkAddress().appendHex(sb.append("Source MAC:       ")).append('\n');
        }
        if (nd.targetLinkAddress() != null) {
            nd.targetLinkAddress().appendHex(sb.append("Target MAC:       ")).append('\n');
        }
        hex(sb.append("Flags:            "), nd.flags(), 2).append('\n');
        sb.append("*************************************************\n");
    }

    @Override
    void truncatedNd(TruncatedNd frame) {
        StringBuilder sb = outText;
        link(sb, frame.ethernet());
        sb.append("*****************_IPV6_HEADER_******************\n");
        sb.append("Source IP:        ").append(frame.source()).append('\n');
        sb.append("Dest IP:          ").append(frame.destination()).append('\n');
        sb.append("************************************************\n");
        sb.append("****************_ICMPV6_HEADER_*****************\n");
        hex(sb.append("Type:             "), frame.type(), 2).append('\n');
        sb.append("[|icmp6]\n");
        sb.append("*************************************************\n");
    }

    /** The blank line between blocks, then the Ethernet block (or the Linux cooked one). */
    private void link(StringBuilder sb, EthernetFrame frame) {
        if (!first) {
            sb.append('\n');
        }
        first = false;
        EthernetHeader eth = frame.header();
        if (eth != null) {
            sb.append("****************_ETHERNET_FRAME_****************\n");
            eth.destination().appendHex(sb.append("Dest MAC:         ")).append('\n');
            eth.source().appendHex(sb.append("Source MAC:       ")).append('\n');
            hex(sb.append("Type:             "), eth.etherType(), 4).append('\n');
        } else {
            LinuxCookedHeader c = frame.cooked();
            sb.append("**************_LINUX_COOKED_HEADER_*************\n");
            hex(sb.append("Packet type:      "), c.packetType(), 4).append('\n');
            hex(sb.append("ARPHRD type:      "), c.hardwareType(), 4).append('\n');
            c.address().appendHex(sb.append("Source address:   ")).append('\n');
            hex(sb.append("Protocol:         "), c.protocol(), 4).append('\n');
        }
        sb.append("************************************************\n");
    }

    private static StringBuilder protocolAddress(StringBuilder sb, Address a) {
        return a.length() == 4 ? a.appendDotted(sb) : a.appendHex(sb);
    }

    private static StringBuilder hex(StringBuilder sb, int value, int digits) {
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            sb.append(HEX[(value >> shift) & 0xf]);
        }
        return sb;
    }
}
