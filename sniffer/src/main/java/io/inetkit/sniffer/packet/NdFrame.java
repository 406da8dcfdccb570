package io.inetkit.sniffer.packet;

/**
 * A decoded IPv6 neighbour discovery frame.
 *
 * @param ethernet the frame it came in
 * @param nd       the ND message
 */
public record NdFrame(EthernetFrame ethernet, NdPacket nd) {

    public long timestampMicros() {
        return ethernet.captured().timestampMicros();
    }
}
