package io.inetkit.sniffer.chain;

import io.inetkit.sniffer.packet.CapturedFrame;
import io.inetkit.sniffer.packet.EthernetFrame;
import io.inetkit.sniffer.packet.LinuxCookedHeader;

import java.util.List;

/**
 * {@link CapturedFrame} to {@link EthernetFrame} for Linux cooked captures ({@code -i any}): reads the SLL
 * (16-byte) or SLL2 (20-byte) header, whose protocol field is the EtherType of what follows. A frame
 * shorter than the header fails with a {@code MalformedPacketException}. Other messages pass untouched.
 */
final class LinuxCookedDecoder implements FrameHandler {

    static final LinuxCookedDecoder SLL = new LinuxCookedDecoder(1);
    static final LinuxCookedDecoder SLL2 = new LinuxCookedDecoder(2);

    private final int version;

    private LinuxCookedDecoder(int version) {
        this.version = version;
    }

    @Override
    public void read(FrameContext ctx, Object msg) throws Exception {
        if (msg instanceof CapturedFrame frame) {
            byte[] data = frame.data();
            LinuxCookedHeader h = LinuxCookedHeader.parse(version, data, data.length);
            ctx.fireRead(new EthernetFrame(frame, null, h, List.of(), h.protocol(), h.length()));
        } else {
            ctx.fireRead(msg);
        }
    }
}
