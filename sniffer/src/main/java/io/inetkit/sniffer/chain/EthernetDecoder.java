package io.inetkit.sniffer.chain;

import io.inetkit.sniffer.packet.CapturedFrame;
import io.inetkit.sniffer.packet.EthernetFrame;
import io.inetkit.sniffer.packet.EthernetHeader;
import io.inetkit.sniffer.packet.MalformedPacketException;

import java.util.List;

/**
 * {@link CapturedFrame} to {@link EthernetFrame}: reads the 14-byte Ethernet header. A frame shorter
 * than that fails with a {@link MalformedPacketException}, which the pipeline
 * counts as malformed. Other messages pass untouched. Stateless: one instance serves every pipeline.
 */
final class EthernetDecoder implements FrameHandler {

    static final EthernetDecoder INSTANCE = new EthernetDecoder();

    private EthernetDecoder() {
    }

    @Override
    public void read(FrameContext ctx, Object msg) throws Exception {
        if (msg instanceof CapturedFrame frame) {
            byte[] data = frame.data();
            EthernetHeader header = EthernetHeader.parse(data, 0, data.length);
            ctx.fireRead(new EthernetFrame(frame, header, List.of(), header.etherType(), EthernetHeader.LENGTH));
        } else {
            ctx.fireRead(msg);
        }
    }
}
