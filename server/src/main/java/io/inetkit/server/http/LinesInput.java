package io.inetkit.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;

import java.util.function.IntFunction;

/** {@code count} lines made on demand by {@code line}, one chunk each (one HTTP chunk per JSON line). */
final class LinesInput implements ChunkedInput<ByteBuf> {

    private final int count;
    private final IntFunction<byte[]> line;
    private int produced;
    private long bytes;

    LinesInput(int count, IntFunction<byte[]> line) {
        this.count = count;
        this.line = line;
    }

    @Override
    public boolean isEndOfInput() {
        return produced >= count;
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
        byte[] next = line.apply(produced++);
        bytes += next.length;
        return allocator.buffer(next.length).writeBytes(next);
    }

    @Override
    public long length() {
        return -1;
    }

    @Override
    public long progress() {
        return bytes;
    }
}
