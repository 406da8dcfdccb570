package io.inetkit.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;

import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * A body made on demand, one chunk at a time as the channel can take it ({@code chunked-writer} asks), so a
 * {@code /bytes/104857600} costs one chunk of memory, not 100 MiB: {@link #randomBytes} for {@code /bytes},
 * {@link #lines} for {@code /stream} (one HTTP chunk per JSON line).
 */
final class GeneratedInput implements ChunkedInput<ByteBuf> {

    /** Bytes per chunk of {@link #randomBytes}. */
    static final int CHUNK_SIZE = 16 * 1024;

    /** Makes chunk number {@code index} in a buffer of {@code allocator}'s. */
    private interface Generator {
        ByteBuf chunk(ByteBufAllocator allocator, long index);
    }

    private final long chunks;
    private final long length;
    private final Generator generator;
    private long produced;
    private long bytes;

    private GeneratedInput(long chunks, long length, Generator generator) {
        this.chunks = chunks;
        this.length = length;
        this.generator = generator;
    }

    /** {@code n} pseudo-random bytes in chunks of {@link #CHUNK_SIZE}; the same seed gives the same bytes. */
    static GeneratedInput randomBytes(long n, long seed) {
        return randomBytes(n, seed, CHUNK_SIZE);
    }

    /** {@code n} pseudo-random bytes in chunks of {@code chunkSize}; the same seed gives the same bytes. */
    static GeneratedInput randomBytes(long n, long seed, int chunkSize) {
        SplittableRandom random = new SplittableRandom(seed);
        return new GeneratedInput((n + chunkSize - 1) / chunkSize, n, (allocator, index) -> {
            int size = (int) Math.min(chunkSize, n - index * chunkSize);
            ByteBuf chunk = allocator.buffer(size);
            int longs = size / Long.BYTES;
            for (int i = 0; i < longs; i++) {
                chunk.writeLong(random.nextLong());
            }
            for (int i = longs * Long.BYTES; i < size; i++) {
                chunk.writeByte(random.nextInt(256));
            }
            return chunk;
        });
    }

    /** {@code count} lines, line {@code i} made by {@code line} when the channel can take it. */
    static GeneratedInput lines(int count, IntFunction<byte[]> line) {
        return new GeneratedInput(count, -1, (allocator, index) -> {
            byte[] next = line.apply((int) index);
            return allocator.buffer(next.length).writeBytes(next);
        });
    }

    @Override
    public boolean isEndOfInput() {
        return produced >= chunks;
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
        ByteBuf chunk = generator.chunk(allocator, produced++);
        bytes += chunk.readableBytes();
        return chunk;
    }

    /** The body's length, or -1 when it is not known before the end ({@link #lines}). */
    @Override
    public long length() {
        return length;
    }

    @Override
    public long progress() {
        return bytes;
    }
}
