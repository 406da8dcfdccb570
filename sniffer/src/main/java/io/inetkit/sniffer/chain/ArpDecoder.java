package io.inetkit.sniffer.chain;

import io.inetkit.sniffer.packet.ArpFrame;
import io.inetkit.sniffer.packet.ArpPacket;
import io.inetkit.sniffer.packet.EthernetFrame;
import io.inetkit.sniffer.packet.EthernetHeader;
import io.inetkit.sniffer.packet.MalformedPacketException;


/**
 * {@link EthernetFrame} of type ARP to {@link ArpFrame}. Frames of other types are counted as "not ARP"
 * and go no further; a short or inconsistent ARP packet fails with a
 * {@link MalformedPacketException}. Other messages pass untouched.
 *
 * <p>Not sharable: it counts into its capture's {@link CaptureStats}.
 */
final class ArpDecoder implements FrameHandler {

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
        if (frame.etherType() != EthernetHeader.TYPE_ARP) {
            stats.notArp();
            return;
        }
        ArpPacket arp = ArpPacket.parse(frame.captured().data(), frame.payloadOffset(),
                frame.capturedPayloadLength());
        stats.decoded();
        ctx.fireRead(new ArpFrame(frame, arp, null));
    }
}
