package io.inetkit.common.net;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.NetUtil;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * An IPv4 or IPv6 network in CIDR notation: {@code 10.0.0.0/8}, {@code 127.0.0.66/32}, {@code fd00::/8},
 * {@code ::1/128}; a bare address ({@code 192.0.2.7}, {@code ::1}) is a network of one. Only address
 * literals are accepted: a network is never looked up in DNS.
 *
 * <p>Matching is Netty's {@link IpSubnetFilterRule}: an IPv4 network matches IPv4 peers, an IPv6
 * network IPv6 peers.
 */
public final class Cidr {

    private final InetAddress network;
    private final int prefixLength;
    private final IpSubnetFilterRule rule;

    private Cidr(InetAddress network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
        this.rule = new IpSubnetFilterRule(network, prefixLength, IpFilterRuleType.ACCEPT);
    }

    /**
     * Parses {@code ADDRESS[/PREFIX]}.
     *
     * @throws IllegalArgumentException naming the bad text
     */
    public static Cidr parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        if (address.startsWith("[") && address.endsWith("]")) {
            address = address.substring(1, address.length() - 1);
        }
        InetAddress ip = NetUtil.createInetAddressFromIpAddressString(address);
        if (ip == null) {
            throw new IllegalArgumentException("bad CIDR '" + text + "': '" + address + "' is not an IPv4 or IPv6 address");
        }
        int max = ip instanceof Inet4Address ? 32 : 128;
        int prefix = max;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(trimmed.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad CIDR '" + text + "': prefix length is not a number");
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("bad CIDR '" + text + "': prefix length must be 0.." + max);
            }
        }
        return new Cidr(ip, prefix);
    }

    /** True when {@code address} is inside this network. */
    public boolean contains(InetAddress address) {
        return rule.matches(new InetSocketAddress(address, 0));
    }

    /**
     * The {@code index}-th address of this network, counting from its first ({@code 10.0.0.0/16}: 0 is
     * {@code 10.0.0.0}, 65,537 is {@code 10.0.0.1} again): the host part is {@code index} modulo the network's
     * size. What a load generator gives its synthetic clients; nothing is ever sent to them.
     *
     * @throws IllegalArgumentException for a negative index
     */
    public InetAddress address(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0: " + index);
        }
        byte[] bytes = network.getAddress();
        int hostBits = bytes.length * 8 - prefixLength;
        long host = hostBits >= 63 ? index : index & ((1L << hostBits) - 1);
        for (int bit = 0; bit < hostBits; bit++) { // clear the host bits as given (10.1.2.3/8 is 10.0.0.0/8)
            bytes[bytes.length - 1 - bit / 8] &= (byte) ~(1 << (bit % 8));
        }
        for (int i = bytes.length - 1; i >= 0 && host != 0; i--, host >>>= 8) {
            bytes[i] |= (byte) (host & 0xff); // the host part fits in the cleared bits: no carry
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 4 or 16 bytes: not reached
        }
    }

    public InetAddress network() {
        return network;
    }

    public int prefixLength() {
        return prefixLength;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.network.equals(network) && c.prefixLength == prefixLength;
    }

    @Override
    public int hashCode() {
        return Objects.hash(network, prefixLength);
    }

    /** {@code 10.0.0.0/8}: the address as given and the prefix length. */
    @Override
    public String toString() {
        return NetUtil.toAddressString(network) + "/" + prefixLength;
    }
}
