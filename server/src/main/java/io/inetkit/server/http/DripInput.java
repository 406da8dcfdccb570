package io.inetkit.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;
import io.netty.handler.stream.ChunkedWriteHandler;

import java.util.concurrent.TimeUnit;

/**
 * {@code /drip}'s body: {@code total} asterisks spread evenly over {@code duration} after {@code delay}. Each
 * time {@code chunked-writer} asks, it gets the bytes due by then; when none are due it gets nothing, and a
 * timer on the channel's own executor wakes it ({@link ChunkedWriteHandler#resumeTransfer}) when the next
 * one is. So a drip costs one timer at a time and no thread, and a frozen test clock drives it.
 *
 * <pre>
 *   numbytes=4 duration=2:   t=0.5 "*"   t=1.0 "*"   t=1.5 "*"   t=2.0 "*"
 * </pre>
 */
final class DripInput implements ChunkedInput<ByteBuf> {

    private final ChannelHandlerContext ctx;
    private final long total;
    private final long start;
    private final long duration;
    private long sent;
    private boolean wakeScheduled;

    /** Starts counting now: the first byte is due {@code delayNanos} plus one interval from now. */
    DripInput(ChannelHandlerContext ctx, long total, long delayNanos, long durationNanos) {
        this.ctx = ctx;
        this.total = total;
        this.start = ctx.executor().ticker().nanoTime() + delayNanos;
        this.duration = durationNanos;
    }

    @Override
    public boolean isEndOfInput() {
        return sent >= total;
    }

    @Override
    public void close() {
        // nothing held
    }

    @Deprecated
    @Override
    public ByteBuf readChunk(ChannelHandlerContext context) {
        return readChunk(context.alloc());
    }

    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) {
        if (isEndOfInput()) {
            return null;
        }
        long elapsed = ctx.executor().ticker().nanoTime() - start;
        long due = duration <= 0 ? (elapsed >= 0 ? total : 0) : dueAt(elapsed);
        if (due <= sent) {
            wakeAt(sent + 1);
            return null;
        }
        int n = (int) Math.min(due - sent, GeneratedInput.CHUNK_SIZE);
        sent += n;
        ByteBuf chunk = allocator.buffer(n);
        for (int i = 0; i < n; i++) {
            chunk.writeByte('*');
        }
        return chunk;
    }

    /** Bytes due {@code elapsed} ns into the drip: byte k (1-based) at k/total of the duration. */
    private long dueAt(long elapsed) {
        if (elapsed < 0) {
            return 0;
        }
        if (elapsed >= duration) {
            return total;
        }
        // elapsed * total / duration without overflow: both are at most about 10^10 and 10^7
        return (long) ((double) elapsed * total / duration);
    }

    /** Wakes {@code chunked-writer} when byte {@code k} is due; one timer at a time. */
    private void wakeAt(long k) {
        if (wakeScheduled) {
            return;
        }
        wakeScheduled = true;
        long at = duration <= 0 ? start : start + (long) Math.ceil((double) duration * k / total);
        long wait = Math.max(1, at - ctx.executor().ticker().nanoTime());
        ctx.executor().schedule(() -> {
            wakeScheduled = false;
            ChunkedWriteHandler writer = ctx.pipeline().get(ChunkedWriteHandler.class);
            if (writer != null) {
                writer.resumeTransfer();
            }
        }, wait, TimeUnit.NANOSECONDS);
    }

    @Override
    public long length() {
        return total;
    }

    @Override
    public long progress() {
        return sent;
    }
}
