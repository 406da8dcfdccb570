package io.inetkit.sniffer.packet;

import java.util.Objects;

/**
 * The Linux "cooked" pseudo-header that {@code -i any} captures carry instead of an Ethernet header:
 * SLL (link type 113, 16 bytes) or SLL2 (link type 276, 20 bytes).
 * <pre>
 *   SLL:  0 packet type | 2 ARPHRD type | 4 address length | 6 address (8 bytes, padded) | 14 protocol
 *         00 00 (host)    00 01 (Ethernet) 00 06              02 00 00 00 00 0a 00 00       08 06 (ARP)
 *   SLL2: 0 protocol | 2 reserved | 4 interface index | 8 ARPHRD type | 10 packet type | 11 address length
 *         | 12 address (8 bytes, padded)
 * </pre>
 *
 * @param version        1 for SLL, 2 for SLL2
 * @param packetType     0 to us, 1 broadcast, 2 multicast, 3 to another host, 4 sent by us
 * @param hardwareType   the interface's ARPHRD type (1 Ethernet, 772 loopback)
 * @param address        the link-layer source address, as long as its length says (at most 8)
 * @param protocol       the EtherType of what follows
 * @param interfaceIndex SLL2's interface index; 0 for SLL
 */
public record LinuxCookedHeader(int version, int packetType, int hardwareType, Address address, int protocol,
                                int interfaceIndex) {

    public static final int SLL_LENGTH = 16;
    public static final int SLL2_LENGTH = 20;

    public LinuxCookedHeader {
        Objects.requireNonNull(address, "address");
    }

    /** Bytes this header occupies. */
    public int length() {
        return version == 1 ? SLL_LENGTH : SLL2_LENGTH;
    }

    /** Reads an SLL (version 1) or SLL2 (version 2) header from the start of {@code data}. */
    public static LinuxCookedHeader parse(int version, byte[] data, int length) throws MalformedPacketException {
        int need = version == 1 ? SLL_LENGTH : SLL2_LENGTH;
        if (length < need) {
            throw MalformedPacketException.truncated(version == 1 ? "SLL" : "SLL2", need, length, "the header");
        }
        if (version == 1) {
            int addressLength = Math.min(u16(data, 4), 8);
            return new LinuxCookedHeader(1, u16(data, 0), u16(data, 2), Address.of(data, 6, addressLength),
                    u16(data, 14), 0);
        }
        int addressLength = Math.min(data[11] & 0xff, 8);
        int ifindex = (data[4] & 0xff) << 24 | (data[5] & 0xff) << 16 | (data[6] & 0xff) << 8 | data[7] & 0xff;
        return new LinuxCookedHeader(2, data[10] & 0xff, u16(data, 8), Address.of(data, 12, addressLength),
                u16(data, 0), ifindex);
    }

    /** tcpdump's name of the packet type: {@code In}, {@code B}, {@code M}, {@code P}, {@code Out}. */
    public String packetTypeName() {
        return switch (packetType) {
            case 0 -> "In";
            case 1 -> "B";
            case 2 -> "M";
            case 3 -> "P";
            case 4 -> "Out";
            default -> "Unknown (" + packetType + ")";
        };
    }

    private static int u16(byte[] data, int offset) {
        return (data[offset] & 0xff) << 8 | data[offset + 1] & 0xff;
    }
}
