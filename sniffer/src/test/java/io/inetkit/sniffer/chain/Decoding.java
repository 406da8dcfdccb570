package io.inetkit.sniffer.chain;

import java.util.ArrayList;
import java.util.List;

/**
 * The chain's decoders for the tests of other packages (the decoders themselves are package-private):
 * pipelines that end in the handler under test.
 */
public final class Decoding {

    private Decoding() {
    }

    /** Ethernet, VLAN, ARP and the classifier, as the initializer orders them, then {@code after}. */
    public static FramePipeline decodeAndClassify(FrameHandler... after) {
        List<FrameHandler> all = new ArrayList<>(List.of(EthernetDecoder.INSTANCE, VlanDecoder.INSTANCE,
                new ArpDecoder(new CaptureStats()), ArpClassifier.INSTANCE));
        all.addAll(List.of(after));
        return FramePipeline.of(all.toArray(FrameHandler[]::new));
    }

    /** Ethernet and ARP only (no classification), then {@code after}. */
    public static FramePipeline decodeOnly(FrameHandler... after) {
        List<FrameHandler> all = new ArrayList<>(List.of(EthernetDecoder.INSTANCE, new ArpDecoder(new CaptureStats())));
        all.addAll(List.of(after));
        return FramePipeline.of(all.toArray(FrameHandler[]::new));
    }
}
