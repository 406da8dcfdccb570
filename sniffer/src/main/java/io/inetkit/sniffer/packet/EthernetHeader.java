package io.inetkit.sniffer.packet;

import java.util.Objects;

/**
 * The 14-byte Ethernet II header.
 * <pre>
 *   0                   6                   12        14
 *   +-------------------+-------------------+---------+----------
 *   | destination MAC   | source MAC        | type    | payload
 *   | ff ff ff ff ff ff | 00 24 b2 84 19 22 | 08 06   | (ARP: 28 bytes, padded to 46 on the wire)
 *   +-------------------+-------------------+---------+----------
 * </pre>
 * The type is an EtherType ({@code 0x0806} ARP, {@code 0x8100} an 802.1Q tag follows) or, below
 * {@code 0x0600}, an 802.3 length.
 */
public record EthernetHeader(Address destination, Address source, int etherType) {

    /** Bytes in the header. */
    public static final int LENGTH = 14;

    public static final int TYPE_ARP = 0x0806;
    public static final int TYPE_IPV4 = 0x0800;
    /** An 802.1Q VLAN tag follows. */
    public static final int TYPE_VLAN = 0x8100;
    /** An 802.1ad service tag (QinQ outer tag) follows. */
    public static final int TYPE_QINQ = 0x88a8;
    /** The pre-standard QinQ outer tag some switches still send. */
    public static final int TYPE_QINQ_LEGACY = 0x9100;

    public EthernetHeader {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(source, "source");
        if (destination.length() != 6 || source.length() != 6) {
            throw new IllegalArgumentException("Ethernet addresses are 6 bytes: " + destination + ", " + source);
        }
        if (etherType < 0 || etherType > 0xffff) {
            throw new IllegalArgumentException("etherType must fit 16 bits: " + etherType);
        }
    }

    /**
     * Reads the header from {@code length} bytes of {@code data} at {@code offset}.
     *
     * @throws MalformedPacketException when fewer than {@link #LENGTH} bytes are there
     */
    public static EthernetHeader parse(byte[] data, int offset, int length) throws MalformedPacketException {
        if (length < LENGTH) {
            throw MalformedPacketException.truncated("Ethernet", LENGTH, length, "the header");
        }
        return new EthernetHeader(Address.of(data, offset, 6), Address.of(data, offset + 6, 6),
                (data[offset + 12] & 0xff) << 8 | data[offset + 13] & 0xff);
    }

    /** True when a VLAN tag (802.1Q, 802.1ad or the legacy 0x9100) follows the header. */
    public static boolean isVlanTag(int etherType) {
        return etherType == TYPE_VLAN || etherType == TYPE_QINQ || etherType == TYPE_QINQ_LEGACY;
    }

    /** Writes the header into {@code dst} at {@code offset} (for building test frames). */
    public void writeTo(byte[] dst, int offset) {
        destination.copyTo(dst, offset);
        source.copyTo(dst, offset + 6);
        dst[offset + 12] = (byte) (etherType >> 8);
        dst[offset + 13] = (byte) etherType;
    }
}
