package io.inetkit.sniffer.packet;

/**
 * A frame as the capture delivered it: the head of every pipeline message.
 *
 * @param timestampMicros when it was captured, microseconds since the epoch (UTC)
 * @param originalLength  its length on the wire, which exceeds {@code data.length} when the snapshot
 *                        length cut it short
 * @param data            the captured bytes, from the Ethernet destination address on; owned by this
 *                        frame and never modified (not copied, for speed)
 */
public record CapturedFrame(long timestampMicros, int originalLength, byte[] data) {

    public CapturedFrame {
        if (data == null) {
            throw new IllegalArgumentException("data must not be null");
        }
        if (originalLength < data.length) {
            throw new IllegalArgumentException("originalLength " + originalLength
                    + " is less than the captured " + data.length + " bytes");
        }
    }

    /** A frame captured whole. */
    public static CapturedFrame of(long timestampMicros, byte[] data) {
        return new CapturedFrame(timestampMicros, data.length, data);
    }
}
