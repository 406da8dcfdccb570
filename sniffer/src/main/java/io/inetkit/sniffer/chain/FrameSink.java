package io.inetkit.sniffer.chain;

import io.inetkit.sniffer.packet.CapturedFrame;

/** Where the frames the filter matched are written ({@code -w FILE}): a pcap dump file. */
@FunctionalInterface
public interface FrameSink {
    void write(CapturedFrame frame) throws Exception;

    /** The end of a batch: make what was written visible to readers. */
    default void flush() throws Exception {
    }
}
