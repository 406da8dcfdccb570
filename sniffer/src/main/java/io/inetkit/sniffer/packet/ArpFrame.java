package io.inetkit.sniffer.packet;


/**
 * A decoded ARP frame.
 *
 * @param ethernet       the frame it came in
 * @param arp            the ARP packet
 * @param classification what it is for; null until the classifier has seen it
 */
public record ArpFrame(EthernetFrame ethernet, ArpPacket arp, ArpClassification classification) {

    public ArpFrame withClassification(ArpClassification c) {
        return new ArpFrame(ethernet, arp, c);
    }

    public long timestampMicros() {
        return ethernet.captured().timestampMicros();
    }
}
