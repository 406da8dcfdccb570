package io.inetkit.sniffer.output;

import io.inetkit.sniffer.packet.Address;
import io.inetkit.sniffer.packet.ArpPacket;
import io.inetkit.sniffer.packet.AtmArpPacket;
import io.inetkit.sniffer.packet.EthernetHeader;

/**
 * The text {@code tcpdump -nn} prints for an ARP packet (its {@code print-arp.c}, tcpdump 4.99), from
 * {@code ARP, } to {@code , length N}:
 * <pre>
 *   ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 46
 *   ARP, Request who-has 10.0.0.2 (02:00:00:00:00:0b) tell 10.0.0.1, length 46
 *   ARP, Reply 10.0.0.2 is-at 02:00:00:00:00:0b, length 46
 *   ARP, Reverse Request who-is 02:00:00:00:00:0b tell 02:00:00:00:00:0a, length 46
 *   ARP, Ethernet (len 6), IPv6 (len 16), length 52            protocol other than IPv4: no addresses
 *   ARP, Unknown (29953)                                       unknown operation: then a hex dump
 *    [|arp]                                                    cut short
 * </pre>
 * Hardware addresses print as colon hex of their own length (8 bytes print as 8 octets).
 */
final class TcpdumpArp {

    /** tcpdump's ETHERTYPE_TRAIL, which it prints like IPv4. */
    private static final int ETHERTYPE_TRAIL = 0x1000;
    /** tcpdump's {@code nd_print_trunc} for ARP. */
    static final String TRUNCATED = " [|arp]";

    private TcpdumpArp() {
    }

    /**
     * Appends the text of {@code a}, whose packet starts at {@code offset} of {@code data} with
     * {@code captured} bytes captured and {@code length} on the wire. Returns false when tcpdump ends the
     * line with a hex dump instead of {@code , length N} (unknown operations and NACK).
     *
     * @param linkHeaderShown true with {@code -e}: tcpdump then leaves out {@code ARP, }
     */
    static boolean append(StringBuilder sb, ArpPacket a, byte[] data, int offset, int captured, int length,
                          boolean linkHeaderShown, boolean verbose) {
        boolean frameRelay = a.hardwareType() == HARDWARE_FRAME_RELAY;
        if (!linkHeaderShown) {
            sb.append("ARP, ");
        }
        int pro = a.protocolType();
        if ((pro != EthernetHeader.TYPE_IPV4 && pro != ETHERTYPE_TRAIL) || a.protocolSize() != 4
                || a.hardwareSize() == 0 || verbose) {
            sb.append(hardwareName(a.hardwareType())).append(" (len ").append(a.hardwareSize()).append("), ")
                    .append(EtherTypes.name(pro)).append(" (len ").append(a.protocolSize()).append(')');
            if (!verbose) {
                sb.append(", length ").append(length);
                return true;
            }
            sb.append(", ");
        }
        sb.append(operationName(a.opcode())).append(' ');
        Address sha = a.senderHardwareAddress();
        Address tha = a.targetHardwareAddress();
        switch (a.opcode()) {
            case ArpPacket.OP_REQUEST -> {
                protocolAddress(sb.append("who-has "), a, a.targetProtocolAddress());
                if (!tha.isZero()) {
                    link(sb.append(" ("), tha, frameRelay).append(')');
                }
                protocolAddress(sb.append(" tell "), a, a.senderProtocolAddress());
            }
            case ArpPacket.OP_REPLY ->
                    link(protocolAddress(sb, a, a.senderProtocolAddress()).append(" is-at "), sha, frameRelay);
            case ArpPacket.OP_REVERSE_REQUEST, ArpPacket.OP_INVERSE_REQUEST ->
                    link(link(sb.append("who-is "), tha, frameRelay).append(" tell "), sha, frameRelay);
            case ArpPacket.OP_REVERSE_REPLY ->
                    protocolAddress(link(sb, tha, frameRelay).append(" at "), a, a.targetProtocolAddress());
            case ArpPacket.OP_INVERSE_REPLY ->
                    protocolAddress(link(sb, sha, frameRelay).append(" at "), a, a.senderProtocolAddress());
            default -> {
                HexDump.hexAndAscii(sb, "\n\t", data, offset, captured);
                return false;
            }
        }
        sb.append(", length ").append(length);
        return true;
    }

    /** tcpdump's ATM ARP layout ({@code atmarp_print}). Returns false when it ended with a hex dump. */
    static boolean appendAtm(StringBuilder sb, AtmArpPacket a, byte[] data, int offset, int captured, int length,
                             boolean linkHeaderShown, boolean verbose) {
        if (!linkHeaderShown) {
            sb.append("ARP, ");
        }
        int pro = a.protocolType();
        int spl = a.senderProtocolAddress().length();
        int tpl = a.targetProtocolAddress().length();
        if ((pro != EthernetHeader.TYPE_IPV4 && pro != ETHERTYPE_TRAIL) || spl != 4 || tpl != 4 || verbose) {
            sb.append(hardwareName(a.hardwareType())).append(", ").append(EtherTypes.name(pro))
                    .append(" (len ").append(spl).append('/').append(tpl).append(')');
            if (!verbose) {
                sb.append(", length ").append(length);
                return true;
            }
            sb.append(", ");
        }
        sb.append(operationName(a.opcode())).append(' ');
        switch (a.opcode()) {
            case ArpPacket.OP_REQUEST -> {
                atmIp(sb.append("who-has "), pro, a.targetProtocolAddress(), "<wrong tplen>");
                if (a.targetHardwareAddress().length() != 0) {
                    atmAddress(sb.append(" ("), a.targetHardwareAddress(), a.targetSubaddress()).append(')');
                }
                atmIp(sb.append(" tell "), pro, a.senderProtocolAddress(), "<wrong splen>");
            }
            case ArpPacket.OP_REPLY -> atmAddress(atmIp(sb, pro, a.senderProtocolAddress(), "<wrong splen>")
                    .append(" is-at "), a.senderHardwareAddress(), a.senderSubaddress());
            case ArpPacket.OP_INVERSE_REQUEST -> atmAddress(atmAddress(sb.append("who-is "), a.targetHardwareAddress(),
                    a.targetSubaddress()).append(" tell "), a.senderHardwareAddress(), a.senderSubaddress());
            // tcpdump 4.99 prints no space before "at" here (its atmarp_print): the same text, on purpose
            case ArpPacket.OP_INVERSE_REPLY -> atmIp(atmAddress(sb, a.senderHardwareAddress(),
                    a.senderSubaddress()).append("at "), pro, a.senderProtocolAddress(), "<wrong splen>");
            case ArpPacket.OP_NAK -> atmIp(sb.append("for "), pro, a.senderProtocolAddress(), "<wrong splen>");
            default -> {
                HexDump.hexAndAscii(sb, "\n\t", data, offset, captured);
                return false;
            }
        }
        sb.append(", length ").append(length);
        return true;
    }

    private static StringBuilder atmAddress(StringBuilder sb, Address ha, Address subaddress) {
        if (ha.length() == 0) {
            return sb.append("<No address>");
        }
        linkHex(sb, ha);
        if (subaddress.length() != 0) {
            linkHex(sb.append(','), subaddress);
        }
        return sb;
    }

    /** ATM ARP's address printers name which length is wrong. */
    private static StringBuilder atmIp(StringBuilder sb, int pro, Address ip, String wrongLength) {
        if (pro != EthernetHeader.TYPE_IPV4 && pro != ETHERTYPE_TRAIL) {
            return sb.append("<wrong proto type>");
        }
        return ip.length() != 4 ? sb.append(wrongLength) : ip.appendDotted(sb);
    }

    private static StringBuilder ipOrWrong(StringBuilder sb, int pro, Address ip) {
        if (pro != EthernetHeader.TYPE_IPV4 && pro != ETHERTYPE_TRAIL) {
            return sb.append("<wrong proto type>");
        }
        if (ip.length() != 4) {
            return sb.append("<wrong len>");
        }
        return ip.appendDotted(sb);
    }

    /** {@code tpaddr_print_ip} / {@code spaddr_print_ip}: the address, or why it cannot be printed (-v). */
    private static StringBuilder protocolAddress(StringBuilder sb, ArpPacket a, Address ip) {
        return ipOrWrong(sb, a.protocolType(), ip);
    }

    /**
     * {@code GET_LINKADDR_STRING}: colon hex of the address's own length, {@code <empty>} for none; for Frame
     * Relay (hardware type 15) the Q.922 address's DLCI ({@code DLCI 16}), as tcpdump's {@code q922_string}.
     */
    private static StringBuilder link(StringBuilder sb, Address a, boolean frameRelay) {
        return frameRelay ? sb.append(q922(a)) : linkHex(sb, a);
    }

    private static final int HARDWARE_FRAME_RELAY = 15;
    private static final int EA = 0x01;

    /**
     * tcpdump's {@code q922_string}: a Q.922 address is 2 to 4 bytes whose last byte has the EA bit set.
     * <pre>
     *   2 bytes: DLCI high 6 bits | C/R | EA=0,  DLCI low 4 bits | FECN BECN DE | EA=1
     * </pre>
     */
    static String q922(Address a) {
        int n = a.length();
        if (n < 1) {
            return "parse_q922_header() returned -1";
        }
        if ((a.get(0) & EA) != 0) {
            return "<Invalid DLCI>";
        }
        if (n < 2) {
            return "parse_q922_header() returned -1";
        }
        long dlci = (a.get(0) & 0xfc) << 2 | (a.get(1) & 0xf0) >> 4;
        if ((a.get(1) & EA) != 0) {
            return "DLCI " + dlci;
        }
        int at = 2;
        if (n <= at) {
            return "parse_q922_header() returned -1";
        }
        if ((a.get(at) & EA) == 0) {
            dlci = dlci << 7 | a.get(at) >> 1;
            at++;
        }
        if (n <= at) {
            return "parse_q922_header() returned -1";
        }
        if ((a.get(at) & EA) == 0) {
            return "<Invalid DLCI>";
        }
        return "DLCI " + (dlci << 6 | a.get(at) >> 2);
    }

    private static StringBuilder linkHex(StringBuilder sb, Address a) {
        if (a.length() == 0) {
            return sb.append("<empty>");
        }
        return a.appendColonHex(sb);
    }

    /** tcpdump's {@code arpop_values}, {@code Unknown (N)} for the rest. */
    static String operationName(int op) {
        return switch (op) {
            case ArpPacket.OP_REQUEST -> "Request";
            case ArpPacket.OP_REPLY -> "Reply";
            case ArpPacket.OP_REVERSE_REQUEST -> "Reverse Request";
            case ArpPacket.OP_REVERSE_REPLY -> "Reverse Reply";
            case ArpPacket.OP_INVERSE_REQUEST -> "Inverse Request";
            case ArpPacket.OP_INVERSE_REPLY -> "Inverse Reply";
            case ArpPacket.OP_NAK -> "NACK Reply";
            default -> "Unknown (" + op + ")";
        };
    }

    /** tcpdump's {@code arphrd_values}. */
    static String hardwareName(int type) {
        return switch (type) {
            case 1 -> "Ethernet";
            case 6 -> "TokenRing";
            case 7 -> "ArcNet";
            case 15 -> "FrameRelay";
            case 19 -> "ATM";
            case 23 -> "Strip";
            case 24 -> "IEEE 1394";
            case 32 -> "InfiniBand";
            default -> "Unknown Hardware (" + type + ")";
        };
    }
}
