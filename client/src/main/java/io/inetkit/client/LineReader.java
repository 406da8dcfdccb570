package io.inetkit.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** Splits stdin into lines of bytes (the platform charset is not involved: bytes go out as typed). */
final class LineReader {
    private final InputStream in;
    private final byte[] buf = new byte[8192];
    private int pos;
    private int end;

    LineReader(InputStream in) {
        this.in = in;
    }

    /** The next line without its terminator ({@code keepNewline}: with it), or null at the end. */
    byte[] next(boolean keepNewline) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            if (pos == end) {
                end = in.read(buf);
                pos = 0;
                if (end <= 0) {
                    end = 0;
                    return line.size() == 0 ? null : line.toByteArray();
                }
            }
            byte b = buf[pos++];
            if (b == '\n') {
                if (keepNewline) {
                    line.write(b);
                    return line.toByteArray();
                }
                byte[] bytes = line.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return Arrays.copyOf(bytes, n);
            }
            line.write(b);
        }
    }
}
