package io.inetkit.sniffer.packet;

/**
 * A frame as the capture delivered it: the head of every pipeline message.
 *
 * <p>A pcap record header holds seconds and a microseconds field that should be below 1,000,000 but
 * need not be (a damaged or hand-made file). tcpdump prints such a record with the field as it is
 * ({@code 22:13:21.1500000}); so does inetkit, which keeps the field beside the time it works with:
 * {@code timestampMicros} is {@code seconds * 1,000,000 + microsecondsField} either way.
 *
 * @param timestampMicros   when it was captured, microseconds since the epoch (UTC)
 * @param originalLength    its length on the wire, which exceeds {@code data.length} when the snapshot
 *                          length cut it short
 * @param data              the captured bytes, from the link-layer header on; owned by this frame and
 *                          never modified (not copied, for speed)
 * @param microsecondsField the record header's microseconds field as recorded: 0-999,999 for a valid
 *                          record, up to 2^32-1 for a damaged one
 */
public record CapturedFrame(long timestampMicros, int originalLength, byte[] data, long microsecondsField) {

    public static final long MICROS_PER_SECOND = 1_000_000L;

    public CapturedFrame {
        if (data == null) {
            throw new IllegalArgumentException("data must not be null");
        }
        if (originalLength < data.length) {
            throw new IllegalArgumentException("originalLength " + originalLength
                    + " is less than the captured " + data.length + " bytes");
        }
        if (microsecondsField < 0 || microsecondsField > 0xffff_ffffL) {
            throw new IllegalArgumentException("microsecondsField must fit 32 unsigned bits: " + microsecondsField);
        }
    }

    /** A frame with a valid timestamp. */
    public CapturedFrame(long timestampMicros, int originalLength, byte[] data) {
        this(timestampMicros, originalLength, data, Math.floorMod(timestampMicros, MICROS_PER_SECOND));
    }

    /** A frame from a record header's fields, whatever its microseconds field holds. */
    public static CapturedFrame fromRecord(long seconds, long microsecondsField, int originalLength, byte[] data) {
        return new CapturedFrame(seconds * MICROS_PER_SECOND + microsecondsField, originalLength, data,
                microsecondsField);
    }

    /** A frame captured whole. */
    public static CapturedFrame of(long timestampMicros, byte[] data) {
        return new CapturedFrame(timestampMicros, data.length, data);
    }

    /** The record header's seconds field. */
    public long seconds() {
        return Math.floorDiv(timestampMicros - microsecondsField, MICROS_PER_SECOND);
    }

    /** True when the microseconds field is out of range (1,000,000 or more), as tcpdump prints it as is. */
    public boolean timestampInvalid() {
        return microsecondsField >= MICROS_PER_SECOND;
    }
}
