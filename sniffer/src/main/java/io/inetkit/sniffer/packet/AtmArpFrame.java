package io.inetkit.sniffer.packet;

/**
 * A decoded ATM ARP frame (hardware type 19).
 *
 * @param ethernet the frame it came in
 * @param arp      the ATM ARP packet
 */
public record AtmArpFrame(EthernetFrame ethernet, AtmArpPacket arp) {

    public long timestampMicros() {
        return ethernet.captured().timestampMicros();
    }
}
