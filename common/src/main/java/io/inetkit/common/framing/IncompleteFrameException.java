package io.inetkit.common.framing;

import io.netty.handler.codec.DecoderException;

/**
 * The stream ended in the middle of a frame. Fired (not thrown) by inetkit's decoders when the input
 * closes, so that the bytes of the unfinished frame are reported instead of silently dropped: the
 * lecture's own trap is a 13-byte {@code Hello, World!} sent to a {@code fixed:20} server.
 */
public final class IncompleteFrameException extends DecoderException {

    private final int discardedBytes;
    private final long expectedBytes;

    /**
     * @param discardedBytes bytes of the unfinished frame
     * @param expectedBytes  the whole frame's length where the framing knows it, else -1
     */
    public IncompleteFrameException(int discardedBytes, long expectedBytes) {
        super(expectedBytes >= 0
                ? discardedBytes + " bytes of an incomplete " + expectedBytes + "-byte frame discarded"
                : discardedBytes + " bytes of an incomplete frame discarded");
        this.discardedBytes = discardedBytes;
        this.expectedBytes = expectedBytes;
    }

    public int discardedBytes() {
        return discardedBytes;
    }

    public long expectedBytes() {
        return expectedBytes;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // an expected event on a peer's stream, not a bug: no stack to print
    }
}
