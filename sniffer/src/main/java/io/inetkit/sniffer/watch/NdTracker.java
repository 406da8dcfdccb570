package io.inetkit.sniffer.watch;

import io.inetkit.sniffer.chain.FrameContext;
import io.inetkit.sniffer.chain.FrameHandler;
import io.inetkit.sniffer.packet.Address;
import io.inetkit.sniffer.packet.NdFrame;
import io.inetkit.sniffer.packet.NdPacket;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * --watch for IPv6: feeds the (address, MAC) claims of neighbour discovery into the same
 * {@link StationTable} as ARP's (so new station, changed MAC, flip-flop and duplicate address work alike),
 * and watches duplicate address detection and router advertisements.
 * <ul>
 *   <li>an NS from a unicast source with a source link-layer option claims (source, option);</li>
 *   <li>an NA with a target link-layer option claims (target, option);</li>
 *   <li>an RA with a source link-layer option claims (source, option);</li>
 *   <li>an NS from {@code ::} is a DAD probe (RFC 4862 5.4.2): {@code dad-probe}; an NA for the probed address
 *       from another MAC, or a probe for an address a station already holds, is {@code dad-duplicate};</li>
 *   <li>an RA whose link-layer source is not one of {@code --router}: {@code rogue-ra} (no check without
 *       {@code --router}).</li>
 * </ul>
 */
public final class NdTracker implements FrameHandler {

    /** A probe older than this no longer waits for a defence (RFC 4862's RetransTimer is 1 s; generous). */
    static final long DAD_WAIT_MICROS = 10_000_000L;

    private final StationTable table;
    private final Set<Address> routers;
    private final Map<Address, Probe> probes = new HashMap<>();

    private record Probe(Address mac, long micros) {
    }

    public NdTracker(StationTable table, List<Address> routers) {
        this.table = table;
        this.routers = Set.copyOf(routers);
    }

    @Override
    public void read(FrameContext ctx, Object msg) {
        if (msg instanceof NdFrame frame) {
            watch(ctx, frame);
        }
        ctx.fireRead(msg);
    }

    private void watch(FrameContext ctx, NdFrame frame) {
        NdPacket nd = frame.nd();
        long t = frame.timestampMicros();
        Address source = frame.ethernet().linkSource();
        switch (nd.type()) {
            case NdPacket.NEIGHBOR_SOLICITATION -> {
                if (nd.isDadProbe()) {
                    probe(ctx, nd.target(), source, t);
                } else if (nd.sourceLinkAddress() != null) {
                    claim(ctx, nd.source(), nd.sourceLinkAddress(), t);
                }
            }
            case NdPacket.NEIGHBOR_ADVERTISEMENT -> {
                Address mac = nd.targetLinkAddress() != null ? nd.targetLinkAddress() : source;
                Probe p = probes.get(nd.target());
                if (p != null && t - p.micros() <= DAD_WAIT_MICROS && !p.mac().equals(mac)) {
                    ctx.fireRead(new Alert(Alert.Kind.DAD_DUPLICATE, t, nd.target(), p.mac(), mac,
                            "dad duplicate " + nd.target() + ": probed by " + p.mac().toColonHex()
                                    + ", defended by " + mac.toColonHex()));
                    probes.remove(nd.target());
                }
                if (nd.targetLinkAddress() != null) {
                    claim(ctx, nd.target(), nd.targetLinkAddress(), t);
                }
            }
            case NdPacket.ROUTER_ADVERTISEMENT -> {
                Address mac = nd.sourceLinkAddress() != null ? nd.sourceLinkAddress() : source;
                if (!routers.isEmpty() && !routers.contains(mac)) {
                    ctx.fireRead(new Alert(Alert.Kind.ROGUE_RA, t, nd.source(), mac, null, "rogue router "
                            + "advertisement from " + nd.source() + " at " + mac.toColonHex()
                            + " (lifetime " + nd.routerLifetime() + " s): not a --router"));
                }
                if (nd.sourceLinkAddress() != null) {
                    claim(ctx, nd.source(), nd.sourceLinkAddress(), t);
                }
            }
            default -> {
                // RS and Redirect claim nothing about the sender that NS and RA do not
            }
        }
    }

    private void probe(FrameContext ctx, Address target, Address mac, long t) {
        probes.put(target, new Probe(mac, t));
        ctx.fireRead(new Alert(Alert.Kind.DAD_PROBE, t, target, mac, null,
                "dad probe for " + target + " from " + mac.toColonHex()));
        Station known = table.get(target);
        if (known != null && !known.mac().equals(mac)) {
            ctx.fireRead(new Alert(Alert.Kind.DAD_DUPLICATE, t, target, mac, known.mac(), "dad duplicate "
                    + target + ": probed by " + mac.toColonHex() + ", held by " + known.mac().toColonHex()));
        }
    }

    private void claim(FrameContext ctx, Address ip, Address mac, long t) {
        if (ip.isZero() || mac.isZero() || mac.isGroup()) {
            return;
        }
        for (Alert alert : table.claim(ip, mac, t)) {
            ctx.fireRead(alert);
        }
    }
}
