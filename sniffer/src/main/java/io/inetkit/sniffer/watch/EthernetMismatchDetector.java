package io.inetkit.sniffer.watch;

import io.inetkit.sniffer.chain.FrameContext;
import io.inetkit.sniffer.chain.FrameHandler;
import io.inetkit.sniffer.packet.ArpFrame;
import io.inetkit.sniffer.packet.ArpPacket;


/**
 * Raises an {@link Alert.Kind#ETHERNET_MISMATCH} alert when an ARP frame's Ethernet source MAC is not its
 * ARP sender MAC (arpwatch's "ethernet mismatch": a proxy, a bridge rewriting, or a forged frame), then
 * passes the frame on.
 * Stateless: one instance serves every pipeline.
 */
public final class EthernetMismatchDetector implements FrameHandler {

    public static final EthernetMismatchDetector INSTANCE = new EthernetMismatchDetector();

    private EthernetMismatchDetector() {
    }

    @Override
    public void read(FrameContext ctx, Object msg) {
        if (msg instanceof ArpFrame frame && frame.arp().hardwareSize() == 6
                && !frame.arp().senderHardwareAddress().isBroadcast()) { // arpwatch reports that one as a broadcast
            ArpPacket arp = frame.arp();
            if (!frame.ethernet().linkSource().equals(arp.senderHardwareAddress())) {
                ctx.fireRead(new Alert(Alert.Kind.ETHERNET_MISMATCH, frame.timestampMicros(),
                        arp.senderProtocolAddress(), arp.senderHardwareAddress(), frame.ethernet().linkSource(),
                        "ethernet mismatch: ARP sender " + arp.senderHardwareAddress().toColonHex() + " ("
                                + arp.senderProtocolAddress() + ") in a frame from "
                                + frame.ethernet().linkSource().toColonHex()));
            }
        }
        ctx.fireRead(msg);
    }
}
