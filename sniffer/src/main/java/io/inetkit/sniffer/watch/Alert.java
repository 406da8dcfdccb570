package io.inetkit.sniffer.watch;

import io.inetkit.sniffer.packet.Address;

import java.util.Locale;

/**
 * Something the watch handlers noticed.
 *
 * @param kind            what
 * @param timestampMicros the capture time of the frame that raised it
 * @param ip              the IPv4 address concerned (null for a request storm)
 * @param mac             the MAC that claims it now (for a mismatch: the ARP sender MAC)
 * @param otherMac        the MAC it conflicts with: the previous owner, or the Ethernet source (may be null)
 * @param message         one human-readable line
 */
public record Alert(Kind kind, long timestampMicros, Address ip, Address mac, Address otherMac, String message) {

    /** The alerts of arpwatch and Wireshark's expert info that the sniffer raises. */
    public enum Kind {
        /** An IP address seen for the first time (arpwatch "new station"). */
        NEW_STATION,
        /** An IP address claimed by a MAC other than its last one (arpwatch "changed ethernet address"). */
        CHANGED_MAC,
        /** An IP address claimed again by the MAC before its last one (arpwatch "flip flop"). */
        FLIP_FLOP,
        /** Two MACs claimed one IP address within the duplicate window (Wireshark "duplicate use of"). */
        DUPLICATE_ADDRESS,
        /** The Ethernet source MAC differs from the ARP sender MAC (arpwatch "ethernet mismatch"). */
        ETHERNET_MISMATCH,
        /** More ARP requests in the storm window than allowed (Wireshark "ARP packet storm detected"). */
        REQUEST_STORM,
        /** An ARP sender outside the local networks (arpwatch "bogon"); not learned. */
        BOGON,
        /** A broadcast sender MAC, in the ARP packet or the Ethernet header (arpwatch "ethernet broadcast"). */
        BROADCAST_MAC,
        /** A known (IP, MAC) pair seen again after a long silence (arpwatch "new activity"). */
        NEW_ACTIVITY,
        /** An IPv6 duplicate address detection probe (RFC 4862): an NS from {@code ::}. */
        DAD_PROBE,
        /** A DAD probe answered by another MAC, or for an address another MAC holds. */
        DAD_DUPLICATE,
        /** A router advertisement from a MAC that is not one of {@code --router}. */
        ROGUE_RA;

        /** The name used in output: {@code duplicate-address}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }
}
