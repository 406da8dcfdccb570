package io.inetkit.sniffer.chain;

/**
 * Counters of one capture, all written by the thread that runs the pipeline, so plain fields suffice.
 */
public final class CaptureStats {

    private long matched;
    private long unreadable;
    private long decoded;
    private long malformed;
    private long notArp;
    private long neighborDiscovery;

    /** A frame passed the BPF filter and entered the pipeline. */
    public void matched() {
        matched++;
    }

    /** Adds frames that matched the filter but could not be handed over: counted as matched and malformed. */
    public void unreadable(long frames) {
        unreadable += frames;
    }

    /** A frame was decoded as ARP. */
    public void decoded() {
        decoded++;
    }

    /** A frame could not be decoded, or a handler failed on it. */
    public void malformed() {
        malformed++;
    }

    /** A frame was decoded as IPv6 neighbour discovery. */
    public void neighborDiscovery() {
        neighborDiscovery++;
    }

    /** A frame was well-formed Ethernet but not ARP. */
    public void notArp() {
        notArp++;
    }

    public long matchedCount() {
        return matched;
    }

    /** The counters of a capture from a file: libpcap filters as it reads, so received is matched. */
    public CaptureSummary fileSummary() {
        long read = matched + unreadable;
        return new CaptureSummary(read, read, decoded, malformed + unreadable, notArp, 0, false, neighborDiscovery);
    }

    /**
     * The counters of a live capture, whose "received" is the kernel's.
     *
     * @param receivedByKernel {@code ps_recv}: packets the kernel's filter accepted
     * @param droppedByKernel  {@code ps_drop}: packets dropped for lack of buffer space
     */
    public CaptureSummary liveSummary(long receivedByKernel, long droppedByKernel) {
        return new CaptureSummary(receivedByKernel, matched + unreadable, decoded, malformed + unreadable, notArp,
                droppedByKernel, true, neighborDiscovery);
    }
}
