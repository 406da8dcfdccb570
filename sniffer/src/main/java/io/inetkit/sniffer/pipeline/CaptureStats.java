package io.inetkit.sniffer.pipeline;

/**
 * Counters of one capture, all written by the thread that runs the pipeline, so plain fields suffice.
 */
public final class CaptureStats {

    private long received;
    private long matched;
    private long unreadable;
    private long decoded;
    private long malformed;
    private long notArp;

    /** A frame came from the capture (for a file, before the filter). */
    public void received() {
        received++;
    }

    /** A frame passed the BPF filter and entered the pipeline. */
    public void matched() {
        matched++;
    }

    /** Adds frames the capture could not hand over (counted as malformed). */
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

    /** A frame was well-formed Ethernet but not ARP. */
    public void notArp() {
        notArp++;
    }

    public long matchedCount() {
        return matched;
    }

    /**
     * The counters now.
     *
     * @param droppedByKernel the capture's {@code ps_drop} (0 for files)
     * @param live            whether the capture was from an interface
     */
    public CaptureSummary summary(long droppedByKernel, long receivedByKernel, boolean live) {
        return new CaptureSummary(live ? receivedByKernel : received, matched, decoded, malformed + unreadable, notArp,
                droppedByKernel, live);
    }
}
