package io.inetkit.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits stdin into lines of bytes, each with the line end it had; no charset is involved, so bytes go out
 * as typed and can be written back exactly.
 *
 * <pre>
 * stdin:  | a b \r \n | c \n | d e |EOF
 * lines:  (a b, \r \n)  (c, \n)  (d e, none)
 * </pre>
 */
final class LineReader {

    /** A line's bytes without its end, and the end: {@code \n}, {@code \r\n}, or none for a last line. */
    record Line(byte[] text, byte[] end) {
    }

    private static final byte[] NONE = {};
    private static final byte[] LF = {'\n'};
    private static final byte[] CRLF = {'\r', '\n'};

    private final InputStream in;
    private final byte[] buf = new byte[8192];
    private int pos;
    private int end;

    LineReader(InputStream in) {
        this.in = in;
    }

    /** The next line, or null at the end of the input. */
    Line next() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            if (pos == end) {
                end = in.read(buf);
                pos = 0;
                if (end <= 0) {
                    end = 0;
                    return line.size() == 0 ? null : new Line(line.toByteArray(), NONE);
                }
            }
            byte b = buf[pos++];
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                boolean cr = bytes.length > 0 && bytes[bytes.length - 1] == '\r';
                return cr ? new Line(Arrays.copyOf(bytes, bytes.length - 1), CRLF) : new Line(bytes, LF);
            }
            line.write(b);
        }
    }
}
