package io.inetkit.sniffer.packet;

/**
 * An ARP (or RARP) frame whose packet was cut short: fewer than its 8 header bytes, or fewer than the
 * addresses its sizes announce. tcpdump prints it as {@code [|arp]}; it is counted as malformed.
 *
 * @param ethernet the frame it came in
 * @param problem  what is missing
 */
public record TruncatedArp(EthernetFrame ethernet, MalformedPacketException problem) {

    public long timestampMicros() {
        return ethernet.captured().timestampMicros();
    }
}
