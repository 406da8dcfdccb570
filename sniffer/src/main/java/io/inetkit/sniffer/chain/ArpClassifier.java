package io.inetkit.sniffer.chain;

import io.inetkit.sniffer.packet.ArpClassification;
import io.inetkit.sniffer.packet.ArpFrame;


/**
 * Sets the {@link ArpClassification} of each {@link ArpFrame} (Wireshark's definitions).
 * Stateless: one instance serves every pipeline.
 */
final class ArpClassifier implements FrameHandler {

    static final ArpClassifier INSTANCE = new ArpClassifier();

    private ArpClassifier() {
    }

    @Override
    public void read(FrameContext ctx, Object msg) {
        if (msg instanceof ArpFrame frame) {
            ctx.fireRead(frame.withClassification(ArpClassification.of(frame.arp())));
        } else {
            ctx.fireRead(msg);
        }
    }
}
