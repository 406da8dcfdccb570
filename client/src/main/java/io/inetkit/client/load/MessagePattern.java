package io.inetkit.client.load;

import io.inetkit.common.framing.Bytes;
import io.inetkit.common.framing.Framing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The bytes of every message the load generator sends, so that every echoed byte can be checked
 * against what it must be, without storing what was sent.
 *
 * <p>Message {@code seq} of connection {@code gid} is a payload of S bytes in the chosen framing:
 *
 * <pre>
 *  [header]  tag (min(16, S) digits)  filler (rest of S)            [delimiter]
 *  00 40     3 0 0 0 0 0 0 0 0 0 ...  E F G H I J K L M N O P ...   (length:2)    …or…   \n (line)
 *            └ (gid &lt;&lt; 40 | seq), 4 bits per digit, lowest first
 *                                     └ alphabet from offset seq % 62, so neighbours differ
 * </pre>
 *
 * The digits and the filler come from {@code 0-9 A-Z a-z} less any byte of the framing's delimiter, so a
 * payload never contains the end of a frame. With {@code --message TEXT} every payload is TEXT instead
 * (fixed:N pads it with NUL bytes to N). The framing bytes are built once by {@link Framing#frame}.
 */
final class MessagePattern {

    private static final byte[] ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
            .getBytes(StandardCharsets.US_ASCII);
    private static final long SEQ_MASK = (1L << 40) - 1;

    private final int payloadSize;
    private final int wireSize;
    private final byte[] header;
    private final byte[] trailer;
    private final byte[] fixedPayload;
    private final int tagDigits;
    private final byte[] digits = new byte[16];
    private final int[] digitValue = new int[256];
    private final byte[] filler;

    /**
     * @param payloadSize S, the payload bytes of each message
     * @param message     a fixed payload (--message), or null for the generated pattern
     * @throws IllegalArgumentException when the framing cannot carry such payloads
     */
    MessagePattern(Framing framing, int payloadSize, byte[] message) {
        if (message != null) {
            if (framing instanceof Framing.Fixed f && message.length < f.size()) {
                message = Arrays.copyOf(message, f.size());
            }
            payloadSize = message.length;
        }
        if (payloadSize <= 0) {
            throw new IllegalArgumentException("the message size must be > 0: " + payloadSize);
        }
        this.payloadSize = payloadSize;
        byte[] forbidden = framing instanceof Framing.Line ? new byte[] {'\n', '\r'}
                : framing instanceof Framing.Delimiter d ? d.delimiter() : new byte[0];
        if (framing instanceof Framing.Fixed f && payloadSize != f.size()) {
            throw new IllegalArgumentException("fixed:" + f.size() + " frames are " + f.size() + " bytes: use --size "
                    + f.size() + (message != null ? " or a --message of at most " + f.size() + " bytes" : ""));
        }
        int max = framing instanceof Framing.Line l ? l.maxLength()
                : framing instanceof Framing.Delimiter d ? d.maxLength()
                : framing instanceof Framing.Length len ? len.maxLength() : Integer.MAX_VALUE;
        if (payloadSize > max) {
            throw new IllegalArgumentException("a " + payloadSize + "-byte message is over the framing's MAX of " + max
                    + " (use e.g. --framing " + framing.spec().replaceFirst(":\\d+$", "") + ":" + payloadSize + ")");
        }
        if (message != null) {
            if (framing instanceof Framing.Line && (Bytes.indexOf(message, new byte[] {'\n'}) >= 0
                    || Bytes.indexOf(message, new byte[] {'\r'}) >= 0)) {
                throw new IllegalArgumentException("--message contains a line break, which ends a line frame");
            }
            if (framing instanceof Framing.Delimiter d && Bytes.indexOf(message, d.delimiter()) >= 0) {
                throw new IllegalArgumentException("--message contains the frame delimiter");
            }
        }
        byte[] alphabet = alphabet(forbidden);
        if (alphabet.length < 16) {
            throw new IllegalArgumentException("the delimiter leaves fewer than 16 letters and digits for payloads");
        }
        System.arraycopy(alphabet, 0, digits, 0, 16);
        Arrays.fill(digitValue, -1);
        for (int i = 0; i < 16; i++) {
            digitValue[digits[i] & 0xff] = i;
        }
        filler = new byte[payloadSize + 64];
        for (int i = 0; i < filler.length; i++) {
            filler[i] = alphabet[i % alphabet.length];
        }
        this.fixedPayload = message;
        this.tagDigits = message != null ? 0 : Math.min(16, payloadSize);

        // the framing bytes around a payload of this size, as Framing itself builds them
        ByteBuf probe = framing.frame(UnpooledByteBufAllocator.DEFAULT, Unpooled.wrappedBuffer(new byte[payloadSize]));
        try {
            byte[] wire = ByteBufUtil.getBytes(probe);
            int headerLength = framing instanceof Framing.Length len ? len.width() : 0;
            this.wireSize = wire.length;
            this.header = Arrays.copyOfRange(wire, 0, headerLength);
            this.trailer = Arrays.copyOfRange(wire, headerLength + payloadSize, wire.length);
        } finally {
            probe.release();
        }
    }

    private static byte[] alphabet(byte[] forbidden) {
        byte[] out = new byte[ALNUM.length];
        int n = 0;
        outer:
        for (byte c : ALNUM) {
            for (byte f : forbidden) {
                if (c == f) {
                    continue outer;
                }
            }
            out[n++] = c;
        }
        return Arrays.copyOf(out, n);
    }

    int payloadSize() {
        return payloadSize;
    }

    /** Bytes of one message on the wire, framing included. */
    int wireSize() {
        return wireSize;
    }

    /** True when payloads carry (gid, seq) tags (not --message). */
    boolean tagged() {
        return fixedPayload == null;
    }

    /** Writes the whole wire message (gid, seq) into {@code dst} from {@code off}. */
    void write(byte[] dst, int off, int gid, long seq) {
        int p = off;
        System.arraycopy(header, 0, dst, p, header.length);
        p += header.length;
        if (fixedPayload != null) {
            System.arraycopy(fixedPayload, 0, dst, p, payloadSize);
        } else {
            long tag = ((long) gid << 40) | (seq & SEQ_MASK);
            for (int i = 0; i < tagDigits; i++) {
                dst[p + i] = digits[(int) (tag >>> (4 * i)) & 15];
            }
            System.arraycopy(filler, (int) (seq % 62), dst, p + tagDigits, payloadSize - tagDigits);
        }
        p += payloadSize;
        System.arraycopy(trailer, 0, dst, p, trailer.length);
    }

    /** How many low bits of a sequence number a payload's tag carries (UDP matching). */
    int seqBits() {
        return Math.min(40, 4 * tagDigits);
    }

    /**
     * The low {@link #seqBits()} bits of the sequence number in a payload's tag at {@code index} of
     * {@code buf}, or -1 when a digit is not one of ours.
     */
    long readSeqBits(ByteBuf buf, int index) {
        int n = seqBits() / 4;
        long v = 0;
        for (int i = 0; i < n; i++) {
            int d = digitValue[buf.getByte(index + header.length + i) & 0xff];
            if (d < 0) {
                return -1;
            }
            v |= (long) d << (4 * i);
        }
        return v;
    }
}
