package io.inetkit.sniffer.packet;

/**
 * Bytes that cannot be decoded as the protocol asked for: too short for a header or for the sizes the
 * header announces ({@link Problem#TRUNCATED}), or self-contradictory ({@link Problem#INCONSISTENT},
 * e.g. an ARP header for Ethernet whose hardware size is not 6).
 *
 * <p>Checked on purpose: every caller of a {@code parse} method decides what a bad frame means to it
 * (the sniffer counts it as malformed and goes on).
 */
public final class MalformedPacketException extends Exception {

    /** What is wrong with the bytes. */
    public enum Problem {
        /** Fewer bytes than the header, or than the sizes it announces, need. */
        TRUNCATED,
        /** Fields that contradict each other or the protocol. */
        INCONSISTENT
    }

    private final String protocol;
    private final Problem problem;

    public MalformedPacketException(String protocol, Problem problem, String message) {
        super(protocol + " " + (problem == Problem.TRUNCATED ? "truncated" : "inconsistent") + ": " + message,
                null, false, false); // a malformed frame is data, not a bug: no stack trace to fill in
        this.protocol = protocol;
        this.problem = problem;
    }

    static MalformedPacketException truncated(String protocol, int needed, int available, String what) {
        return new MalformedPacketException(protocol, Problem.TRUNCATED,
                what + " needs " + needed + " bytes, " + available + " available");
    }

    /** The protocol whose decoding failed: {@code Ethernet}, {@code 802.1Q} or {@code ARP}. */
    public String protocol() {
        return protocol;
    }

    public Problem problem() {
        return problem;
    }
}
