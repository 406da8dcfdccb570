package io.inetkit.sniffer.output;

/**
 * tcpdump's hex dumps ({@code print-ascii.c}): {@code -x} and the dump of an unknown ARP operation, and
 * {@code -X}'s with ASCII. 16 bytes a line, in groups of two, each line after {@code indent}:
 * <pre>
 *   	0x0000:  0001 0800 0604 7501 0200 0000 000a 0a00  ......u.........
 * </pre>
 */
final class HexDump {

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    /** Columns of the hex part of a full line: 8 groups of " xxxx". */
    private static final int HEX_COLUMNS = 40;

    private HexDump() {
    }

    /** {@code hex_and_ascii_print}: hex groups, padded, two spaces, then the bytes 0x21-0x7e as text, others as dots. */
    static void hexAndAscii(StringBuilder sb, String indent, byte[] data, int offset, int length) {
        for (int line = 0; line < length; line += 16) {
            sb.append(indent).append("0x");
            hex16(sb, line);
            sb.append(": ");
            int start = sb.length();
            int n = Math.min(16, length - line);
            for (int i = 0; i < n; i++) {
                if (i % 2 == 0) {
                    sb.append(' ');
                }
                hex8(sb, data[offset + line + i]);
            }
            OutputFormatter.pad(sb, start + HEX_COLUMNS);
            sb.append("  ");
            for (int i = 0; i < n; i++) {
                int b = data[offset + line + i] & 0xff;
                sb.append(b > 0x20 && b < 0x7f ? (char) b : '.');
            }
        }
    }

    /** {@code hex_print}: hex groups only. */
    static void hex(StringBuilder sb, String indent, byte[] data, int offset, int length) {
        for (int i = 0; i < length; i++) {
            if (i % 16 == 0) {
                sb.append(indent).append("0x");
                hex16(sb, i);
                sb.append(": ");
            }
            if (i % 2 == 0) {
                sb.append(' ');
            }
            hex8(sb, data[offset + i]);
        }
    }

    private static void hex16(StringBuilder sb, int v) {
        if (v > 0xffff) {
            sb.append(Integer.toHexString(v));
            return;
        }
        hex8(sb, (byte) (v >> 8));
        hex8(sb, (byte) v);
    }

    private static void hex8(StringBuilder sb, byte b) {
        sb.append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
    }
}
