package io.inetkit.sniffer.packet;

import java.util.List;

/**
 * A frame whose Ethernet header (and, after the VLAN decoder, whose VLAN tags) have been read.
 *
 * @param captured      the frame as captured
 * @param header        its Ethernet header; {@code header.etherType()} is the outer type as on the wire
 * @param vlans         its VLAN tags, outermost first; empty before the VLAN decoder or when untagged
 * @param etherType     the type of what follows the header and tags ({@code 0x0806} for ARP)
 * @param payloadOffset where that payload starts in {@code captured.data()}
 */
public record EthernetFrame(CapturedFrame captured, EthernetHeader header, List<VlanTag> vlans,
                            int etherType, int payloadOffset) {

    public EthernetFrame {
        vlans = List.copyOf(vlans);
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
