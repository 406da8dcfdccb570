package io.inetkit.client.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.nio.ByteBuffer;

/**
 * The bytes one message must come back as, for one event loop's connections: regenerated from the
 * {@link MessagePattern} only when another message is checked, and compared in place, so that checking
 * an echo copies and allocates nothing. Loop thread only.
 */
final class ExpectedBytes {

    private final MessagePattern pattern;
    private final byte[] expected;
    private final ByteBuf expectedBuf;
    private final ByteBuffer expectedNio;
    private final boolean tagged;
    private boolean valid;
    private int gid;
    private long seq;

    ExpectedBytes(MessagePattern pattern) {
        this.pattern = pattern;
        this.expected = new byte[pattern.wireSize()];
        this.expectedBuf = Unpooled.wrappedBuffer(expected);
        this.expectedNio = ByteBuffer.wrap(expected);
        this.tagged = pattern.tagged();
    }

    /**
     * True when {@code len} bytes of {@code in} from {@code index} are the bytes at {@code offset} of
     * message {@code seq} of connection {@code gid}.
     */
    boolean matches(int gid, long seq, int offset, ByteBuf in, int index, int len) {
        if (!valid || (tagged && (seq != this.seq || gid != this.gid))) {
            pattern.write(expected, 0, gid, seq);
            this.gid = gid;
            this.seq = seq;
            valid = true;
        }
        if (in.nioBufferCount() == 1) {
            // the JDK's vectorized mismatch over the buffer's own memory: no copy, no allocation
            ByteBuffer got = in.internalNioBuffer(index, len);
            expectedNio.limit(offset + len).position(offset);
            return got.equals(expectedNio);
        }
        return ByteBufUtil.equals(in, index, expectedBuf, offset, len);
    }
}
