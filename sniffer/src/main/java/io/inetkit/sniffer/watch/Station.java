package io.inetkit.sniffer.watch;

import io.inetkit.sniffer.packet.Address;

import java.util.Objects;

/**
 * One row of the station table: an IPv4 address and the MAC that last claimed it.
 *
 * @param ip          the IPv4 address
 * @param mac         the MAC that claimed it last
 * @param previousMac the MAC before that one, or null (what a flip-flop flips back to)
 * @param firstSeen   capture time of the first claim, microseconds since the epoch
 * @param lastSeen    capture time of the last claim
 * @param count       claims seen
 */
public record Station(Address ip, Address mac, Address previousMac, long firstSeen, long lastSeen, long count) {

    public Station {
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(mac, "mac");
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1: " + count);
        }
    }
}
