package io.inetkit.sniffer.pipeline;

/** Where the frames the filter matched are written ({@code -w FILE}): a pcap dump file. */
@FunctionalInterface
public interface FrameSink {
    void write(CapturedFrame frame) throws Exception;
}
