package io.inetkit.sniffer.chain;

import io.inetkit.sniffer.packet.EthernetFrame;
import io.inetkit.sniffer.packet.EthernetHeader;
import io.inetkit.sniffer.packet.MalformedPacketException;
import io.inetkit.sniffer.packet.VlanTag;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the 802.1Q / 802.1ad tags of a tagged {@link EthernetFrame} and passes on the frame with its
 * tags and the inner EtherType; untagged frames and other messages pass untouched.
 * <pre>
 *   ... src MAC | 88 a8 | 00 c8 | 81 00 | 60 64 | 08 06 | ARP
 *                 S-tag VID 200   C-tag PCP 3 VID 100   inner type: ARP
 * </pre>
 * More than {@value #MAX_TAGS} stacked tags is treated as malformed.
 * Stateless: one instance serves every pipeline.
 */
final class VlanDecoder implements FrameHandler {

    static final VlanDecoder INSTANCE = new VlanDecoder();

    /** More tags than this is not a real frame (QinQ uses two). */
    static final int MAX_TAGS = 8;

    private VlanDecoder() {
    }

    @Override
    public void read(FrameContext ctx, Object msg) throws Exception {
        if (msg instanceof EthernetFrame frame && EthernetHeader.isVlanTag(frame.etherType())) {
            ctx.fireRead(untag(frame));
        } else {
            ctx.fireRead(msg);
        }
    }

    static EthernetFrame untag(EthernetFrame frame) throws MalformedPacketException {
        byte[] data = frame.captured().data();
        List<VlanTag> tags = new ArrayList<>(frame.vlans());
        int type = frame.etherType();
        int offset = frame.payloadOffset();
        while (EthernetHeader.isVlanTag(type)) {
            if (tags.size() == MAX_TAGS) {
                throw new MalformedPacketException("802.1Q", MalformedPacketException.Problem.INCONSISTENT,
                        "more than " + MAX_TAGS + " stacked VLAN tags");
            }
            tags.add(VlanTag.parse(type, data, offset, data.length - offset));
            type = (data[offset + 2] & 0xff) << 8 | data[offset + 3] & 0xff;
            offset += VlanTag.LENGTH;
        }
        return frame.withTags(tags, type, offset);
    }
}
