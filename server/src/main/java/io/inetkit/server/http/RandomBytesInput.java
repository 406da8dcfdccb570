package io.inetkit.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;

import java.util.SplittableRandom;

/**
 * {@code n} pseudo-random bytes, produced a chunk at a time as the channel can take them, so a
 * {@code /bytes/104857600} costs one chunk of memory, not 100 MiB. The same seed gives the same bytes.
 */
final class RandomBytesInput implements ChunkedInput<ByteBuf> {

    static final int CHUNK_SIZE = 16 * 1024;

    private final long length;
    private final SplittableRandom random;
    private long produced;

    RandomBytesInput(long length, long seed) {
        this.length = length;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public boolean isEndOfInput() {
        return produced >= length;
    }

    @Override
    public void close() {
        // nothing held
    }

    @Deprecated
    @Override
    public ByteBuf readChunk(ChannelHandlerContext ctx) {
        return readChunk(ctx.alloc());
    }

    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) {
        if (isEndOfInput()) {
            return null;
        }
        int size = (int) Math.min(CHUNK_SIZE, length - produced);
        ByteBuf chunk = allocator.buffer(size);
        int longs = size / Long.BYTES;
        for (int i = 0; i < longs; i++) {
            chunk.writeLong(random.nextLong());
        }
        for (int i = longs * Long.BYTES; i < size; i++) {
            chunk.writeByte(random.nextInt(256));
        }
        produced += size;
        return chunk;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public long progress() {
        return produced;
    }
}
