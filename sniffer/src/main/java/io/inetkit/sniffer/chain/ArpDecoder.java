package io.inetkit.sniffer.chain;

import io.inetkit.sniffer.packet.ArpFrame;
import io.inetkit.sniffer.packet.ArpPacket;
import io.inetkit.sniffer.packet.AtmArpFrame;
import io.inetkit.sniffer.packet.AtmArpPacket;
import io.inetkit.sniffer.packet.EthernetFrame;
import io.inetkit.sniffer.packet.EthernetHeader;
import io.inetkit.sniffer.packet.MalformedPacketException;
import io.inetkit.sniffer.packet.TruncatedArp;


/**
 * {@link EthernetFrame} of type ARP (0x0806) or RARP (0x8035) to {@link ArpFrame}, or to
 * {@link AtmArpFrame} for hardware type 19 (RFC 2225's own layout). Everything tcpdump prints is passed on:
 * <ul>
 *   <li>a packet cut short becomes a {@link TruncatedArp} ({@code [|arp]}), counted as malformed;</li>
 *   <li>a packet whose sizes contradict its types ({@link ArpPacket#inconsistency()}) is passed on and
 *       counted as malformed;</li>
 *   <li>the rest is counted as decoded.</li>
 * </ul>
 * Frames of other types are counted as "not ARP" and go no further. Other messages pass untouched.
 *
 * <p>Not sharable: it counts into its capture's {@link CaptureStats}.
 */
final class ArpDecoder implements FrameHandler {

    /** Reverse ARP's EtherType (RFC 903): ARP's packet format. */
    static final int TYPE_RARP = 0x8035;

    private final CaptureStats stats;

    ArpDecoder(CaptureStats stats) {
        this.stats = stats;
    }

    @Override
    public void read(FrameContext ctx, Object msg) throws Exception {
        if (!(msg instanceof EthernetFrame frame)) {
            ctx.fireRead(msg);
            return;
        }
        int type = frame.etherType();
        if (type != EthernetHeader.TYPE_ARP && type != TYPE_RARP) {
            stats.notArp();
            return;
        }
        byte[] data = frame.captured().data();
        int offset = frame.payloadOffset();
        int length = frame.capturedPayloadLength();
        try {
            if (length >= 2 && ((data[offset] & 0xff) << 8 | data[offset + 1] & 0xff) == AtmArpPacket.HARDWARE_ATM) {
                AtmArpPacket atm = AtmArpPacket.parse(data, offset, length);
                stats.decoded();
                ctx.fireRead(new AtmArpFrame(frame, atm));
                return;
            }
            ArpPacket arp = ArpPacket.parse(data, offset, length);
            if (arp.inconsistency() == null) {
                stats.decoded();
            } else {
                stats.malformed();
            }
            ctx.fireRead(new ArpFrame(frame, arp, null));
        } catch (MalformedPacketException e) {
            stats.malformed();
            ctx.fireRead(new TruncatedArp(frame, e));
        }
    }
}
