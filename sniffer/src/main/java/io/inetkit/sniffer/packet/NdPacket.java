package io.inetkit.sniffer.packet;

import java.util.Objects;

/**
 * An IPv6 neighbour discovery message (RFC 4861): ICMPv6 types 133-137 in an IPv6 packet without
 * extension headers (RFC 4861 forbids none, but every ND message is sent with hop limit 255 straight
 * after the IPv6 header), with its source and target link-layer address options.
 * <pre>
 *   IPv6 header (40): 6 | class, flow | payload length | next header 58 | hop limit 255 | source | destination
 *   ICMPv6:           type | code | checksum | body
 *     133 RS:       reserved (4)                                        options
 *     134 RA:       hop limit | M O flags | router lifetime | reachable | retrans   options
 *     135 NS:       reserved (4) | target (16)                          options
 *     136 NA:       R S O flags, reserved (4) | target (16)             options
 *     137 Redirect: reserved (4) | target (16) | destination (16)       options
 *   option:           type (1 source / 2 target link-layer address) | length in 8 bytes | address
 * </pre>
 *
 * @param type                 133-137
 * @param source               the IPv6 source ({@code ::} for a DAD probe)
 * @param destination          the IPv6 destination
 * @param hopLimit             255 when sent on-link, as RFC 4861 requires
 * @param icmpLength           the ICMPv6 message's length (the IPv6 payload length), as tcpdump prints it
 * @param target               NS/NA/Redirect's target address; null for RS and RA
 * @param redirectDestination  Redirect's destination; null otherwise
 * @param sourceLinkAddress    the source link-layer address option, or null
 * @param targetLinkAddress    the target link-layer address option, or null
 * @param flags                NA: R (0x80) S (0x40) O (0x20); RA: M (0x80) O (0x40); 0 otherwise
 * @param routerLifetime       RA's router lifetime in seconds; 0 otherwise
 */
public record NdPacket(int type, Address source, Address destination, int hopLimit, int icmpLength,
                       Address target, Address redirectDestination, Address sourceLinkAddress,
                       Address targetLinkAddress, int flags, int routerLifetime) {

    public static final int ETHERTYPE_IPV6 = 0x86dd;
    public static final int ROUTER_SOLICITATION = 133;
    public static final int ROUTER_ADVERTISEMENT = 134;
    public static final int NEIGHBOR_SOLICITATION = 135;
    public static final int NEIGHBOR_ADVERTISEMENT = 136;
    public static final int REDIRECT = 137;
    public static final int NA_SOLICITED = 0x40;
    public static final int NA_OVERRIDE = 0x20;
    public static final int NA_ROUTER = 0x80;
    private static final int IPV6_HEADER = 40;

    public NdPacket {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
    }

    /**
     * Reads an ND message from the IPv6 packet at {@code offset}; null when it is IPv6 but not an ND
     * message (another next header or ICMPv6 type).
     *
     * @throws MalformedPacketException TRUNCATED when the headers or the message's fixed part do not fit
     */
    public static NdPacket parse(byte[] data, int offset, int length) throws MalformedPacketException {
        if (length < IPV6_HEADER) {
            throw MalformedPacketException.truncated("IPv6", IPV6_HEADER, length, "the header");
        }
        if ((data[offset] & 0xf0) != 0x60 || (data[offset + 6] & 0xff) != 58) {
            return null;
        }
        int payload = u16(data, offset + 4);
        int icmp = offset + IPV6_HEADER;
        int available = Math.min(length - IPV6_HEADER, payload);
        if (available < 1) {
            return null;
        }
        int type = data[icmp] & 0xff;
        if (type < ROUTER_SOLICITATION || type > REDIRECT) {
            return null;
        }
        int fixed = switch (type) {
            case ROUTER_SOLICITATION -> 8;
            case ROUTER_ADVERTISEMENT -> 16;
            case REDIRECT -> 40;
            default -> 24;
        };
        if (available < fixed) {
            throw MalformedPacketException.truncated("ICMPv6 neighbour discovery", fixed, available, "the message");
        }
        return parseFixed(data, offset, available, icmp, type, fixed, payload);
    }

    /**
     * The message's type when the packet at {@code offset} is an ND message, whatever its length; 0 when it
     * is not (for a message {@link #parse} found cut short).
     */
    public static int type(byte[] data, int offset, int length) {
        if (length < IPV6_HEADER + 1 || (data[offset] & 0xf0) != 0x60 || (data[offset + 6] & 0xff) != 58) {
            return 0;
        }
        int type = data[offset + IPV6_HEADER] & 0xff;
        return type >= ROUTER_SOLICITATION && type <= REDIRECT ? type : 0;
    }

    /** The IPv6 payload length field. */
    public static int payloadLength(byte[] data, int offset) {
        return u16(data, offset + 4);
    }

    /** tcpdump's name of an ND type. */
    public static String typeName(int type) {
        return switch (type) {
            case ROUTER_SOLICITATION -> "router solicitation";
            case ROUTER_ADVERTISEMENT -> "router advertisement";
            case NEIGHBOR_SOLICITATION -> "neighbor solicitation";
            case NEIGHBOR_ADVERTISEMENT -> "neighbor advertisement";
            default -> "redirect";
        };
    }

    private static NdPacket parseFixed(byte[] data, int offset, int available, int icmp, int type, int fixed,
                                       int payload) {
        Address src = Address.of(data, offset + 8, 16);
        Address dst = Address.of(data, offset + 24, 16);
        Address target = type >= NEIGHBOR_SOLICITATION ? Address.of(data, icmp + 8, 16) : null;
        Address redirect = type == REDIRECT ? Address.of(data, icmp + 24, 16) : null;
        int flags = type == NEIGHBOR_ADVERTISEMENT ? data[icmp + 4] & 0xe0
                : type == ROUTER_ADVERTISEMENT ? data[icmp + 5] & 0xc0 : 0;
        int lifetime = type == ROUTER_ADVERTISEMENT ? u16(data, icmp + 6) : 0;
        Address sll = null;
        Address tll = null;
        for (int at = fixed; at + 2 <= available; ) {
            int optType = data[icmp + at] & 0xff;
            int optLength = (data[icmp + at + 1] & 0xff) * 8;
            if (optLength == 0 || at + optLength > available) {
                break; // RFC 4861 4.6: a zero length is invalid; a cut option is not read
            }
            if ((optType == 1 || optType == 2) && optLength >= 8) {
                Address a = Address.of(data, icmp + at + 2, 6);
                if (optType == 1) {
                    sll = a;
                } else {
                    tll = a;
                }
            }
            at += optLength;
        }
        return new NdPacket(type, src, dst, data[offset + 7] & 0xff, payload, target, redirect, sll, tll, flags,
                lifetime);
    }

    /** tcpdump's name of the message: {@code neighbor solicitation}. */
    public String typeName() {
        return typeName(type);
    }

    /** A duplicate address detection probe (RFC 4862 5.4.2): an NS from the unspecified address. */
    public boolean isDadProbe() {
        return type == NEIGHBOR_SOLICITATION && source.isZero();
    }

    /** An address in RFC 5952 form ({@code fd00::2}). */
    public static String text(Address a) {
        return a.toIpv6();
    }

    private static int u16(byte[] data, int offset) {
        return (data[offset] & 0xff) << 8 | data[offset + 1] & 0xff;
    }
}
