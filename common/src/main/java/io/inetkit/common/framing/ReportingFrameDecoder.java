package io.inetkit.common.framing;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * What every inetkit frame decoder does besides finding frames: it reports the bytes of an unfinished frame
 * when the input ends, and says how much buffer the unfinished frame takes between reads ({@link Cumulating}).
 *
 * <pre>
 * reads:      | H i \0 t h | e r e \0 | t h      EOF
 * frames:     | H i \0 |     | t h e r e \0 |
 * between:          | t h |  held: cumulatedBytes() = the cumulation's capacity
 * at EOF:                                 | t h |  skipped, and IncompleteFrameException(2 bytes) fired
 * </pre>
 *
 * A subclass finds one frame at a time, as Netty's own single-frame decoders do ({@link #decode(
 * ChannelHandlerContext, ByteBuf)}). Where Netty has the logic (lines, delimiters, length fields), the
 * subclass calls one of Netty's decoders as a parser, the way Netty's {@code DelimiterBasedFrameDecoder}
 * calls its {@code LineBasedFrameDecoder}: so that logic stays Netty's, and these two jobs are written once.
 */
abstract class ReportingFrameDecoder extends ByteToMessageDecoder implements Cumulating {

    /** The capacity of the cumulation after the last read; written on the event loop, read by a budget sweep. */
    private volatile int cumulated;

    /** The frame at the front of {@code in}, consumed from it; null while {@code in} holds no whole frame. */
    protected abstract Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception;

    /** How long the frame begun in {@code leftover} at EOF would have been, in bytes; -1 where it is not known. */
    protected long expectedLength(ByteBuf leftover) {
        return -1;
    }

    @Override
    protected final void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        Object frame = decode(ctx, in);
        if (frame != null) {
            out.add(frame);
        }
    }

    @Override
    protected final void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        int left = in.readableBytes();
        if (left > 0) {
            long expected = expectedLength(in);
            in.skipBytes(left);
            ctx.fireExceptionCaught(new IncompleteFrameException(left, expected));
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        super.channelReadComplete(ctx);
        cumulated = internalBuffer().capacity();
    }

    @Override
    public int cumulatedBytes() {
        return cumulated;
    }
}
