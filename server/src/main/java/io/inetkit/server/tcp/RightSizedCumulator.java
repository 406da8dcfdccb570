package io.inetkit.server.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * How the echo's framer joins an unfinished frame to the next read: into a buffer just big enough for both,
 * where Netty's {@link ByteToMessageDecoder#MERGE_CUMULATOR} grows the old buffer to the next power of two.
 *
 * <pre>
 *   cumulation after a read:   | . . . . (decoded) . . . . | t h |      32 KiB buffer, 2 bytes left
 *   next read:                 | e r e \0 H i \0 ... |                   32 KiB
 *   merge (Netty):             | t h e r e \0 H i \0 ... |        . . . |  64 KiB
 *   right-sized (this):        | t h e r e \0 H i \0 ... |               32 KiB + 2
 * </pre>
 *
 * What is left of it after decoding is what a peer that stops reading leaves the server holding, so the
 * difference is up to 32 KiB per stalled peer. The bytes copied are the same (the leftover and the read).
 * Once the leftover outgrows the read (a frame far bigger than a read is arriving), copying it every read
 * would cost more than the read itself: then Netty's merge, which amortizes by doubling, takes over.
 */
final class RightSizedCumulator implements ByteToMessageDecoder.Cumulator {

    static final RightSizedCumulator INSTANCE = new RightSizedCumulator();

    private RightSizedCumulator() {
    }

    @Override
    public ByteBuf cumulate(ByteBufAllocator alloc, ByteBuf cumulation, ByteBuf in) {
        int leftover = cumulation.readableBytes();
        if (leftover == 0 || leftover > in.readableBytes()) {
            return ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(alloc, cumulation, in); // nothing left, or a big frame
        }
        try {
            return alloc.buffer(leftover + in.readableBytes()).writeBytes(cumulation).writeBytes(in);
        } finally {
            cumulation.release();
            in.release();
        }
    }
}
