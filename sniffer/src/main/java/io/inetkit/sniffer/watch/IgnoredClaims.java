package io.inetkit.sniffer.watch;

import java.util.Map;

/**
 * What the station tracker did not learn, and why, counted over the capture: sent when it ends, so that
 * the output says it (arpwatch drops these silently or in syslog).
 *
 * @param counts frames per reason, in the order they were first met
 */
public record IgnoredClaims(Map<String, Long> counts) {

    public static final String ZERO_SENDER = "sender 0.0.0.0 (an RFC 5227 probe claims no address)";
    public static final String MISMATCH = "link-layer source is not the ARP sender (arpwatch: ethernet mismatch)";
    public static final String BOGON = "sender outside the local networks (arpwatch: bogon)";
    public static final String BROADCAST = "broadcast sender MAC (arpwatch: ethernet broadcast)";
    public static final String GROUP = "all-zero or multicast sender MAC";
    public static final String NOT_ETHERNET_IPV4 = "not Ethernet/IPv4 (hardware or protocol type or size)";

    public IgnoredClaims {
        counts = Map.copyOf(counts);
    }
}
