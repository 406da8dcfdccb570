package io.inetkit.sniffer.watch;

import io.inetkit.sniffer.packet.Address;

import java.util.Objects;

/**
 * An IPv4 network in CIDR form ({@code 192.168.1.0/24}): arpwatch's local networks, outside which an ARP
 * sender is a bogon.
 *
 * @param network the address, host bits cleared
 * @param prefix  0-32
 */
public record LocalNetwork(Address network, int prefix) {

    public LocalNetwork {
        Objects.requireNonNull(network, "network");
        if (network.length() != 4 || prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("an IPv4 network with a prefix of 0-32: " + network + "/" + prefix);
        }
        network = Address.of(toBytes(bits(network) & mask(prefix)));
    }

    /** Parses {@code 10.0.0.0/8} (a bare address is a /32). */
    public static LocalNetwork parse(String text) {
        int slash = text.indexOf('/');
        try {
            Address ip = Address.ipv4(slash < 0 ? text : text.substring(0, slash));
            int prefix = slash < 0 ? 32 : Integer.parseInt(text.substring(slash + 1));
            return new LocalNetwork(ip, prefix);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not an IPv4 network (CIDR, e.g. 192.168.1.0/24): " + text);
        }
    }

    /** True when {@code ip} (4 bytes) is inside this network. */
    public boolean contains(Address ip) {
        return ip.length() == 4 && (bits(ip) & mask(prefix)) == bits(network);
    }

    private static long mask(int prefix) {
        return prefix == 0 ? 0 : (0xffff_ffffL << (32 - prefix)) & 0xffff_ffffL;
    }

    private static long bits(Address a) {
        return (long) a.get(0) << 24 | a.get(1) << 16 | a.get(2) << 8 | a.get(3);
    }

    private static byte[] toBytes(long v) {
        return new byte[] {(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v};
    }

    @Override
    public String toString() {
        return network.toDotted() + "/" + prefix;
    }
}
