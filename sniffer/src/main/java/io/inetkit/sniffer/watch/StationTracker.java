package io.inetkit.sniffer.watch;

import io.inetkit.sniffer.chain.CaptureEnded;
import io.inetkit.sniffer.chain.FrameContext;
import io.inetkit.sniffer.chain.FrameHandler;
import io.inetkit.sniffer.packet.Address;
import io.inetkit.sniffer.packet.ArpFrame;
import io.inetkit.sniffer.packet.ArpPacket;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Feeds each ARP sender's (IP, MAC) claim into a {@link StationTable} and passes on the alerts it raises
 * ahead of the frame; when the capture ends it passes on a {@link StationReport} and what it did not learn
 * ({@link IgnoredClaims}).
 *
 * <p>As arpwatch 2.1 does, a claim is not learned when
 * <ul>
 *   <li>it is not Ethernet/IPv4;</li>
 *   <li>the sender IP is 0.0.0.0 (an RFC 5227 probe: it claims nothing);</li>
 *   <li>the link-layer source is not the ARP sender MAC (the mismatch detector reports it);</li>
 *   <li>the sender MAC, or the Ethernet source, is broadcast: {@code broadcast-mac} alert;</li>
 *   <li>the sender MAC is all zeros or another group address;</li>
 *   <li>local networks are known ({@code --local-net}, or the interface's own subnets) and the sender IP is
 *       outside them: {@code bogon} alert.</li>
 * </ul>
 */
public final class StationTracker implements FrameHandler {

    private final StationTable table;
    private final List<LocalNetwork> localNetworks;
    private final Map<String, Long> ignored = new LinkedHashMap<>();

    public StationTracker(StationTable table) {
        this(table, List.of());
    }

    /** @param localNetworks the networks a sender must be in; empty: no bogon check */
    public StationTracker(StationTable table, List<LocalNetwork> localNetworks) {
        this.table = table;
        this.localNetworks = List.copyOf(localNetworks);
    }

    @Override
    public void read(FrameContext ctx, Object msg) {
        if (msg instanceof ArpFrame frame) {
            claim(ctx, frame);
        }
        ctx.fireRead(msg);
    }

    private void claim(FrameContext ctx, ArpFrame frame) {
        ArpPacket arp = frame.arp();
        if (!arp.isEthernetIpv4()) {
            ignore(IgnoredClaims.NOT_ETHERNET_IPV4);
            return;
        }
        Address ip = arp.senderProtocolAddress();
        Address mac = arp.senderHardwareAddress();
        Address source = frame.ethernet().linkSource();
        long t = frame.timestampMicros();
        if (mac.isBroadcast() || source.isBroadcast()) {
            ctx.fireRead(new Alert(Alert.Kind.BROADCAST_MAC, t, ip, mac, source, "ethernet broadcast: " + ip
                    + " claimed by " + mac.toColonHex() + " in a frame from " + source.toColonHex()));
            ignore(IgnoredClaims.BROADCAST);
            return;
        }
        if (ip.isZero()) {
            ignore(IgnoredClaims.ZERO_SENDER);
            return;
        }
        if (mac.isZero() || mac.isGroup()) {
            ignore(IgnoredClaims.GROUP);
            return;
        }
        if (!source.equals(mac)) {
            ignore(IgnoredClaims.MISMATCH);
            return;
        }
        if (!localNetworks.isEmpty() && localNetworks.stream().noneMatch(n -> n.contains(ip))) {
            ctx.fireRead(new Alert(Alert.Kind.BOGON, t, ip, mac, null, "bogon " + ip + " at " + mac.toColonHex()
                    + ": outside the local networks " + localNetworks));
            ignore(IgnoredClaims.BOGON);
            return;
        }
        for (Alert alert : table.claim(ip, mac, t)) {
            ctx.fireRead(alert);
        }
    }

    private void ignore(String reason) {
        ignored.merge(reason, 1L, Long::sum);
    }

    @Override
    public void event(FrameContext ctx, Object evt) {
        if (evt == CaptureEnded.INSTANCE) {
            ctx.fireRead(new StationReport(table.snapshot()));
            if (!ignored.isEmpty()) {
                ctx.fireRead(new IgnoredClaims(ignored));
            }
        }
        ctx.fireEvent(evt);
    }
}
