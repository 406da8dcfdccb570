package io.inetkit.sniffer.packet;

import java.util.Locale;

/**
 * What an ARP packet is for, by Wireshark's definitions ({@code packet-arp.c}, the
 * {@code arp.isgratuitous}, {@code arp.isprobe} and {@code arp.isannouncement} fields, RFC 5227):
 * <ul>
 *   <li>gratuitous: a request or reply whose sender and target protocol addresses are equal;</li>
 *   <li>announcement: a gratuitous request whose target hardware address is all zeros;</li>
 *   <li>probe: a request, not gratuitous, with an all-zero target hardware address and sender
 *       protocol address 0.0.0.0;</li>
 *   <li>request, reply: the other requests and replies;</li>
 *   <li>other: every other operation (RARP, InARP, ...).</li>
 * </ul>
 * An announcement is not also reported as gratuitous: the more specific name wins, as in Wireshark's
 * packet list ("ARP Announcement for ...").
 */
public enum ArpClassification {
    REQUEST, REPLY, GRATUITOUS, PROBE, ANNOUNCEMENT, OTHER;

    /** The name used in output: lower case. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Classifies {@code arp}. */
    public static ArpClassification of(ArpPacket arp) {
        int op = arp.opcode();
        if (op != ArpPacket.OP_REQUEST && op != ArpPacket.OP_REPLY) {
            return OTHER;
        }
        boolean gratuitous = arp.senderProtocolAddress().equals(arp.targetProtocolAddress());
        if (op == ArpPacket.OP_REPLY) {
            return gratuitous ? GRATUITOUS : REPLY;
        }
        boolean targetMacUnknown = arp.targetHardwareAddress().isZero();
        if (gratuitous) {
            return targetMacUnknown ? ANNOUNCEMENT : GRATUITOUS;
        }
        if (targetMacUnknown && arp.senderProtocolAddress().isZero()) {
            return PROBE;
        }
        return REQUEST;
    }

    /** Wireshark's {@code arp.isgratuitous}: true for {@link #GRATUITOUS} and {@link #ANNOUNCEMENT}. */
    public boolean isGratuitous() {
        return this == GRATUITOUS || this == ANNOUNCEMENT;
    }
}
