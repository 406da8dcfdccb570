package io.inetkit.sniffer.packet;

/**
 * An ICMPv6 neighbour discovery message cut short. tcpdump prints it as
 * {@code IP6 truncated-ip6 - 14 bytes missing!fe80::a > fe80::2: ICMP6, neighbor solicitation [|icmp6]};
 * it is counted as malformed.
 *
 * @param ethernet    the frame it came in
 * @param source      the IPv6 source
 * @param destination the IPv6 destination
 * @param type        the ICMPv6 type, 133-137
 * @param missing     bytes the IPv6 payload length announces beyond the packet on the wire (0: none)
 */
public record TruncatedNd(EthernetFrame ethernet, Address source, Address destination, int type, int missing) {

    public long timestampMicros() {
        return ethernet.captured().timestampMicros();
    }
}
