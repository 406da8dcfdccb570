package io.inetkit.sniffer.packet;

import java.util.Objects;

/**
 * An ARP packet (RFC 826), parsed from the bytes after the Ethernet header (and any VLAN tags).
 * <pre>
 *   0       2       4    5    6       8          8+h        8+h+p      8+2h+p     8+2h+2p
 *   +-------+-------+----+----+-------+----------+----------+----------+----------+
 *   | htype | ptype | h  | p  | oper  | sender   | sender   | target   | target   |
 *   |       |       |    |    |       | hw addr  | proto    | hw addr  | proto    |
 *   +-------+-------+----+----+-------+----------+----------+----------+----------+
 *    00 01   08 00   06   04   00 01   0024b2841922 c0a80101  000000000000 c0a8011b
 *    Ethernet IPv4   6    4    request 00:24:b2:84:19:22 192.168.1.1  (unknown)  192.168.1.27
 * </pre>
 * For Ethernet and IPv4 the packet is 28 bytes; a frame on the wire pads it to 46.
 *
 * @param hardwareType  {@code htype}: 1 for Ethernet
 * @param protocolType  {@code ptype}: an EtherType, {@code 0x0800} for IPv4
 * @param hardwareSize  {@code h}: bytes in a hardware address, 6 for Ethernet
 * @param protocolSize  {@code p}: bytes in a protocol address, 4 for IPv4
 * @param opcode        {@code oper}: 1 request, 2 reply, see {@link #operationName(int)}
 */
public record ArpPacket(int hardwareType, int protocolType, int hardwareSize, int protocolSize, int opcode,
                        Address senderHardwareAddress, Address senderProtocolAddress,
                        Address targetHardwareAddress, Address targetProtocolAddress) {

    /** Bytes before the addresses. */
    public static final int HEADER_LENGTH = 8;

    public static final int HARDWARE_ETHERNET = 1;
    public static final int OP_REQUEST = 1;
    public static final int OP_REPLY = 2;
    public static final int OP_REVERSE_REQUEST = 3;
    public static final int OP_REVERSE_REPLY = 4;
    public static final int OP_INVERSE_REQUEST = 8;
    public static final int OP_INVERSE_REPLY = 9;
    public static final int OP_NAK = 10;

    public ArpPacket {
        Objects.requireNonNull(senderHardwareAddress, "senderHardwareAddress");
        Objects.requireNonNull(senderProtocolAddress, "senderProtocolAddress");
        Objects.requireNonNull(targetHardwareAddress, "targetHardwareAddress");
        Objects.requireNonNull(targetProtocolAddress, "targetProtocolAddress");
        check16("hardwareType", hardwareType);
        check16("protocolType", protocolType);
        check16("opcode", opcode);
        if (hardwareSize < 0 || hardwareSize > 255 || protocolSize < 0 || protocolSize > 255) {
            throw new IllegalArgumentException("sizes must fit a byte: hardware " + hardwareSize
                    + ", protocol " + protocolSize);
        }
        if (senderHardwareAddress.length() != hardwareSize || targetHardwareAddress.length() != hardwareSize) {
            throw new IllegalArgumentException("hardware addresses must be hardwareSize (" + hardwareSize
                    + ") bytes: " + senderHardwareAddress + ", " + targetHardwareAddress);
        }
        if (senderProtocolAddress.length() != protocolSize || targetProtocolAddress.length() != protocolSize) {
            throw new IllegalArgumentException("protocol addresses must be protocolSize (" + protocolSize
                    + ") bytes: " + senderProtocolAddress + ", " + targetProtocolAddress);
        }
    }

    private static void check16(String name, int value) {
        if (value < 0 || value > 0xffff) {
            throw new IllegalArgumentException(name + " must fit 16 bits: " + value);
        }
    }

    /** An Ethernet/IPv4 packet with the given operation and addresses. */
    public static ArpPacket ethernetIpv4(int opcode, Address senderMac, Address senderIp,
                                         Address targetMac, Address targetIp) {
        return new ArpPacket(HARDWARE_ETHERNET, EthernetHeader.TYPE_IPV4, 6, 4, opcode,
                senderMac, senderIp, targetMac, targetIp);
    }

    /**
     * Reads an ARP packet from {@code length} bytes of {@code data} at {@code offset}; bytes after it
     * (Ethernet padding) are ignored. Sizes that contradict the type (Ethernet with a hardware size other
     * than 6, IPv4 with a protocol size other than 4, or zero) are read as announced, as tcpdump reads
     * them: {@link #inconsistency()} names them.
     *
     * @throws MalformedPacketException TRUNCATED when the header or the addresses its sizes announce
     *         do not fit (tcpdump prints {@code [|arp]})
     */
    public static ArpPacket parse(byte[] data, int offset, int length) throws MalformedPacketException {
        if (length < HEADER_LENGTH) {
            throw MalformedPacketException.truncated("ARP", HEADER_LENGTH, length, "the header");
        }
        int htype = u16(data, offset);
        int ptype = u16(data, offset + 2);
        int h = data[offset + 4] & 0xff;
        int p = data[offset + 5] & 0xff;
        int op = u16(data, offset + 6);
        int needed = HEADER_LENGTH + 2 * (h + p);
        if (length < needed) {
            throw MalformedPacketException.truncated("ARP", needed, length,
                    "hardware size " + h + " and protocol size " + p);
        }
        int at = offset + HEADER_LENGTH;
        Address sha = Address.of(data, at, h);
        Address spa = Address.of(data, at + h, p);
        Address tha = Address.of(data, at + h + p, h);
        Address tpa = Address.of(data, at + 2 * h + p, p);
        return new ArpPacket(htype, ptype, h, p, op, sha, spa, tha, tpa);
    }

    /**
     * Why the sizes contradict the types, or null when they do not: {@code hardware type 1 (Ethernet)
     * with hardware size 8}. Such a packet is printed, and counted as malformed.
     */
    public String inconsistency() {
        if (hardwareSize == 0 || protocolSize == 0) {
            return "hardware size " + hardwareSize + " and protocol size " + protocolSize
                    + " leave no room for addresses";
        }
        if (hardwareType == HARDWARE_ETHERNET && hardwareSize != 6) {
            return "hardware type 1 (Ethernet) with hardware size " + hardwareSize;
        }
        if (protocolType == EthernetHeader.TYPE_IPV4 && protocolSize != 4) {
            return "protocol type 0x0800 (IPv4) with protocol size " + protocolSize;
        }
        return null;
    }

    private static int u16(byte[] data, int offset) {
        return (data[offset] & 0xff) << 8 | data[offset + 1] & 0xff;
    }

    /** Bytes the packet occupies: 8 plus two hardware and two protocol addresses (28 for Ethernet/IPv4). */
    public int length() {
        return HEADER_LENGTH + 2 * (hardwareSize + protocolSize);
    }

    /** True for the ordinary kind: Ethernet hardware addresses and IPv4 protocol addresses. */
    public boolean isEthernetIpv4() {
        return hardwareType == HARDWARE_ETHERNET && hardwareSize == 6
                && protocolType == EthernetHeader.TYPE_IPV4 && protocolSize == 4;
    }

    /** The operation's name in lower case (as Wireshark calls it), {@code opcode N} when unknown. */
    public static String operationName(int opcode) {
        return switch (opcode) {
            case OP_REQUEST -> "request";
            case OP_REPLY -> "reply";
            case OP_REVERSE_REQUEST -> "reverse request";
            case OP_REVERSE_REPLY -> "reverse reply";
            case 5 -> "drarp request";
            case 6 -> "drarp reply";
            case 7 -> "drarp error";
            case OP_INVERSE_REQUEST -> "inverse request";
            case OP_INVERSE_REPLY -> "inverse reply";
            case 10 -> "arp nak";
            default -> "opcode " + opcode;
        };
    }

    /** The packet as bytes (for building test frames). */
    public byte[] toBytes() {
        byte[] b = new byte[length()];
        writeTo(b, 0);
        return b;
    }

    /** Writes the packet into {@code dst} at {@code offset}. */
    public void writeTo(byte[] dst, int offset) {
        dst[offset] = (byte) (hardwareType >> 8);
        dst[offset + 1] = (byte) hardwareType;
        dst[offset + 2] = (byte) (protocolType >> 8);
        dst[offset + 3] = (byte) protocolType;
        dst[offset + 4] = (byte) hardwareSize;
        dst[offset + 5] = (byte) protocolSize;
        dst[offset + 6] = (byte) (opcode >> 8);
        dst[offset + 7] = (byte) opcode;
        int at = offset + HEADER_LENGTH;
        senderHardwareAddress.copyTo(dst, at);
        senderProtocolAddress.copyTo(dst, at + hardwareSize);
        targetHardwareAddress.copyTo(dst, at + hardwareSize + protocolSize);
        targetProtocolAddress.copyTo(dst, at + 2 * hardwareSize + protocolSize);
    }
}
