package io.inetkit.sniffer.packet;

import java.util.List;

/**
 * A frame whose link-layer header (and, after the VLAN decoder, whose VLAN tags) have been read: an
 * Ethernet header, or the Linux cooked header of an {@code -i any} capture.
 *
 * @param captured      the frame as captured
 * @param header        its Ethernet header; {@code header.etherType()} is the outer type as on the wire;
 *                      null for a Linux cooked frame
 * @param cooked        its Linux cooked (SLL/SLL2) header; null for an Ethernet frame
 * @param vlans         its VLAN tags, outermost first; empty before the VLAN decoder or when untagged
 * @param etherType     the type of what follows the header and tags ({@code 0x0806} for ARP)
 * @param payloadOffset where that payload starts in {@code captured.data()}
 */
public record EthernetFrame(CapturedFrame captured, EthernetHeader header, LinuxCookedHeader cooked,
                            List<VlanTag> vlans, int etherType, int payloadOffset) {

    public EthernetFrame {
        vlans = List.copyOf(vlans);
        if ((header == null) == (cooked == null)) {
            throw new IllegalArgumentException("a frame has either an Ethernet or a Linux cooked header");
        }
    }

    /** An Ethernet frame. */
    public EthernetFrame(CapturedFrame captured, EthernetHeader header, List<VlanTag> vlans, int etherType,
                         int payloadOffset) {
        this(captured, header, null, vlans, etherType, payloadOffset);
    }

    /** The same frame with its tags read: the inner type and where its payload starts. */
    public EthernetFrame withTags(List<VlanTag> tags, int innerType, int offset) {
        return new EthernetFrame(captured, header, cooked, tags, innerType, offset);
    }

    /** The link-layer source: the Ethernet source, or the cooked header's address. */
    public Address linkSource() {
        return header != null ? header.source() : cooked.address();
    }

    /** The EtherType right after the link-layer header (the outer one: {@code 0x8100} when tagged). */
    public int outerEtherType() {
        return header != null ? header.etherType() : cooked.protocol();
    }

    /** Bytes of payload captured. */
    public int capturedPayloadLength() {
        return captured.data().length - payloadOffset;
    }

    /** Bytes of payload on the wire (what tcpdump prints as "length"). */
    public int payloadLength() {
        return captured.originalLength() - payloadOffset;
    }
}
