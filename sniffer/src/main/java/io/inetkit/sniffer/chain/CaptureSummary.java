package io.inetkit.sniffer.chain;

/**
 * The statistics printed when a capture stops.
 *
 * @param received        packets received by the filter: the kernel's {@code ps_recv} live (which counts
 *                        the ones it then dropped); from a file, the frames libpcap delivered through it
 * @param matched         frames that passed the BPF filter and entered the pipeline
 * @param decoded         frames decoded as ARP
 * @param malformed       frames a decoder rejected or a handler failed on
 * @param notArp          well-formed Ethernet frames that were not ARP (a wider {@code -f} filter)
 * @param droppedByKernel packets the kernel dropped for lack of buffer space ({@code ps_drop}; 0 for files)
 * @param live            whether the capture was from an interface
 * @param neighborDiscovery frames decoded as IPv6 neighbour discovery (not counted in {@code notArp})
 */
public record CaptureSummary(long received, long matched, long decoded, long malformed, long notArp,
                             long droppedByKernel, boolean live, long neighborDiscovery) {

    /** A summary without neighbour discovery. */
    public CaptureSummary(long received, long matched, long decoded, long malformed, long notArp,
                          long droppedByKernel, boolean live) {
        this(received, matched, decoded, malformed, notArp, droppedByKernel, live, 0);
    }
}
