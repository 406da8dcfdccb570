package io.inetkit.sniffer.capture;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where frames come from: an interface ({@code -i}) or a capture file ({@code -r}), with the BPF filter
 * and, for an interface, the snapshot length and promiscuous mode. Built with {@link #live} or
 * {@link #file} and the withers.
 *
 * @param interfaceName live capture on this interface; null when reading a file
 * @param file          read this capture file; null for a live capture
 * @param filter        BPF expression (default {@value #DEFAULT_FILTER}); empty matches everything
 * @param snaplen       bytes captured per frame (default {@value #DEFAULT_SNAPLEN}, also the maximum)
 * @param promiscuous   put the interface in promiscuous mode (default {@value #DEFAULT_PROMISCUOUS})
 */
public record CaptureSource(String interfaceName, Path file, String filter, int snaplen, boolean promiscuous) {

    /*
     * ARP and RARP: RARP (RFC 903, EtherType 0x8035) is ARP's packet with other operations, and tcpdump
     * prints both with its ARP printer; libpcap's "arp" alone matches only 0x0806.
     */
    public static final String ARP_FILTER = "arp or rarp";
    /** IPv6 neighbour discovery: ICMPv6 types 133 (RS) to 137 (Redirect). */
    public static final String ND_FILTER = "icmp6 and icmp6[icmp6type] >= 133 and icmp6[icmp6type] <= 137";
    /** ARP, RARP and IPv6 neighbour discovery: {@code --only arp} or {@code --only nd} narrows it. */
    public static final String DEFAULT_FILTER = ARP_FILTER + " or (" + ND_FILTER + ")";

    /**
     * The default filter widened to VLAN-tagged frames, {@code depth} tags deep. libpcap's {@code vlan}
     * moves every later offset by 4 bytes, so each level is its own {@code vlan and (...)}:
     * {@code arp or rarp or (vlan and (arp or rarp or (vlan and (arp or rarp))))} for QinQ (depth 2).
     */
    public static String vlanFilter(String base, int depth) {
        if (depth < 1 || depth > 8) {
            throw new IllegalArgumentException("--vlan depth must be 1-8: " + depth);
        }
        String f = base;
        for (int i = 0; i < depth; i++) {
            f = "(" + base + ") or (vlan and (" + f + "))";
        }
        return f;
    }
    public static final int DEFAULT_SNAPLEN = 262_144;
    public static final boolean DEFAULT_PROMISCUOUS = true;

    public CaptureSource {
        if (interfaceName == null && file == null) {
            throw new IllegalArgumentException("give an interface (-i IFACE) or a capture file (-r FILE); "
                    + "--list-interfaces lists the interfaces");
        }
        if (interfaceName != null && file != null) {
            throw new IllegalArgumentException("give either -i or -r, not both");
        }
        if (interfaceName != null && interfaceName.isBlank()) {
            throw new IllegalArgumentException("interface name must not be blank");
        }
        Objects.requireNonNull(filter, "filter");
        if (snaplen < 1 || snaplen > DEFAULT_SNAPLEN) {
            throw new IllegalArgumentException("snaplen must be 1-" + DEFAULT_SNAPLEN + ": " + snaplen);
        }
    }

    /** A live capture on {@code interfaceName} with the defaults. */
    public static CaptureSource live(String interfaceName) {
        return new CaptureSource(interfaceName, null, DEFAULT_FILTER, DEFAULT_SNAPLEN, DEFAULT_PROMISCUOUS);
    }

    /** The frames of capture {@code file}, with the default filter. */
    public static CaptureSource file(Path file) {
        return new CaptureSource(null, file, DEFAULT_FILTER, DEFAULT_SNAPLEN, DEFAULT_PROMISCUOUS);
    }

    public CaptureSource withFilter(String f) {
        return new CaptureSource(interfaceName, file, f, snaplen, promiscuous);
    }

    public CaptureSource withSnaplen(int s) {
        return new CaptureSource(interfaceName, file, filter, s, promiscuous);
    }

    public CaptureSource withPromiscuous(boolean p) {
        return new CaptureSource(interfaceName, file, filter, snaplen, p);
    }

    public boolean live() {
        return interfaceName != null;
    }

    boolean filtered() {
        return !filter.isBlank();
    }

    /** {@code interface eth0} or {@code capture file x.pcap}, as error messages name it. */
    String description() {
        return live() ? "interface " + interfaceName : "capture file " + file;
    }
}
