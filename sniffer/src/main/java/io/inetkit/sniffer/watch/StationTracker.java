package io.inetkit.sniffer.watch;

import io.inetkit.sniffer.chain.CaptureEnded;
import io.inetkit.sniffer.chain.FrameContext;
import io.inetkit.sniffer.chain.FrameHandler;
import io.inetkit.sniffer.packet.Address;
import io.inetkit.sniffer.packet.ArpFrame;
import io.inetkit.sniffer.packet.ArpPacket;


/**
 * Feeds each ARP sender's (IP, MAC) claim into a {@link StationTable} and passes on the alerts it raises
 * ahead of the frame; when the capture ends it passes on a {@link StationReport}.
 *
 * <p>Like arpwatch and Wireshark's address registration, only Ethernet/IPv4 senders count, and not a
 * sender IP of 0.0.0.0 (a probe) nor an all-zero or group sender MAC.
 */
public final class StationTracker implements FrameHandler {

    private final StationTable table;

    public StationTracker(StationTable table) {
        this.table = table;
    }

    @Override
    public void read(FrameContext ctx, Object msg) {
        if (msg instanceof ArpFrame frame && frame.arp().isEthernetIpv4()) {
            ArpPacket arp = frame.arp();
            Address ip = arp.senderProtocolAddress();
            Address mac = arp.senderHardwareAddress();
            if (!ip.isZero() && !mac.isZero() && !mac.isGroup()) {
                for (Alert alert : table.claim(ip, mac, frame.timestampMicros())) {
                    ctx.fireRead(alert);
                }
            }
        }
        ctx.fireRead(msg);
    }

    @Override
    public void event(FrameContext ctx, Object evt) {
        if (evt == CaptureEnded.INSTANCE) {
            ctx.fireRead(new StationReport(table.snapshot()));
        }
        ctx.fireEvent(evt);
    }
}
