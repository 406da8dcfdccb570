package io.inetkit.client;

import io.inetkit.common.framing.Bytes;
import io.inetkit.common.framing.Framing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How a message typed or given on the command line becomes frame payloads in a framing, and back.
 *
 * <p>{@code fixed:N} <b>pads and splits</b>: a message shorter than N is padded with NUL bytes to N; a
 * longer one is cut into N-byte frames, the last one padded. Printed echoes drop the trailing NUL padding.
 *
 * <pre>
 * fixed:8, "Hi"          → | H i 00 00 00 00 00 00 |
 * fixed:8, "Hello, World" → | H e l l o , _ W | o r l d 00 00 00 00 |
 * </pre>
 *
 * Every other framing carries a message as one payload, which must not contain the frame's end
 * ({@code \n} for {@code line}, SEQ for {@code delimiter}) nor pass its MAX.
 */
final class Frames {

    private Frames() {
    }

    /**
     * The payloads that carry {@code message} in {@code framing}.
     *
     * @throws IllegalArgumentException when the framing cannot carry the message, saying why
     */
    static List<byte[]> payloads(Framing framing, byte[] message) {
        if (framing instanceof Framing.Fixed fixed) {
            int n = fixed.size();
            List<byte[]> out = new ArrayList<>();
            for (int off = 0; off < Math.max(1, message.length); off += n) {
                out.add(Arrays.copyOfRange(message, off, off + n)); // copyOfRange pads with 0
            }
            return out;
        }
        if (framing instanceof Framing.Line line) {
            if (Bytes.indexOf(message, new byte[] {'\n'}) >= 0 || Bytes.indexOf(message, new byte[] {'\r'}) >= 0) {
                throw new IllegalArgumentException("the message contains a line break, which line framing cannot "
                        + "carry inside one frame; use length:W framing for binary data");
            }
            checkMax(message.length, line.maxLength());
        } else if (framing instanceof Framing.Delimiter delimiter) {
            if (Bytes.indexOf(message, delimiter.delimiter()) >= 0) {
                throw new IllegalArgumentException("the message contains the frame delimiter "
                        + delimiter.spec().split(":")[1] + "; use length:W framing for binary data");
            }
            checkMax(message.length, delimiter.maxLength());
        } else if (framing instanceof Framing.Length length) {
            checkMax(message.length, length.maxLength());
        } else if (message.length == 0) {
            throw new IllegalArgumentException("an empty message has no echo in raw framing");
        }
        return List.of(message);
    }

    /** The text to print for a received frame payload: UTF-8, with fixed framing's NUL padding dropped. */
    static String printable(Framing framing, byte[] payload) {
        int end = payload.length;
        if (framing instanceof Framing.Fixed) {
            while (end > 0 && payload[end - 1] == 0) {
                end--;
            }
        }
        return new String(payload, 0, end, StandardCharsets.UTF_8);
    }

    private static void checkMax(int length, int max) {
        if (length > max) {
            throw new IllegalArgumentException("the message has " + length + " bytes, over the framing's MAX of "
                    + max + " (raise it, e.g. line:" + length + ")");
        }
    }
}
