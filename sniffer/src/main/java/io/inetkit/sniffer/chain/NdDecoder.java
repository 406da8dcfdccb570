package io.inetkit.sniffer.chain;

import io.inetkit.sniffer.packet.Address;
import io.inetkit.sniffer.packet.EthernetFrame;
import io.inetkit.sniffer.packet.TruncatedNd;
import io.inetkit.sniffer.packet.MalformedPacketException;
import io.inetkit.sniffer.packet.NdFrame;
import io.inetkit.sniffer.packet.NdPacket;

/**
 * {@link EthernetFrame} of type IPv6 carrying an ICMPv6 neighbour discovery message to {@link NdFrame},
 * counted as ND; an ND message cut short is counted as malformed and goes no further. Other frames (ARP,
 * other IPv6) pass untouched, to the ARP decoder, which counts what is neither.
 *
 * <p>Not sharable: it counts into its capture's {@link CaptureStats}.
 */
final class NdDecoder implements FrameHandler {

    private final CaptureStats stats;

    NdDecoder(CaptureStats stats) {
        this.stats = stats;
    }

    @Override
    public void read(FrameContext ctx, Object msg) throws Exception {
        if (msg instanceof EthernetFrame frame && frame.etherType() == NdPacket.ETHERTYPE_IPV6) {
            NdPacket nd;
            try {
                nd = NdPacket.parse(frame.captured().data(), frame.payloadOffset(), frame.capturedPayloadLength());
            } catch (MalformedPacketException e) {
                stats.malformed();
                byte[] data = frame.captured().data();
                int at = frame.payloadOffset();
                int type = NdPacket.type(data, at, frame.capturedPayloadLength());
                if (type != 0) { // tcpdump prints the addresses and the type, then [|icmp6]
                    int missing = Math.max(0, 40 + NdPacket.payloadLength(data, at) - frame.payloadLength());
                    ctx.fireRead(new TruncatedNd(frame, Address.of(data, at + 8, 16), Address.of(data, at + 24, 16),
                            type, missing));
                }
                return;
            }
            if (nd != null) {
                stats.neighborDiscovery();
                ctx.fireRead(new NdFrame(frame, nd));
                return;
            }
        }
        ctx.fireRead(msg);
    }
}
