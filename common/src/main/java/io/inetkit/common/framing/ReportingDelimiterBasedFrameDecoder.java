package io.inetkit.common.framing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DelimiterBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;

import java.util.List;

/**
 * {@link DelimiterBasedFrameDecoder} that fails fast, names the size it saw when a frame passes MAX,
 * and reports an unfinished frame at EOF.
 *
 * <p>Netty's decoder calls a buffer without a whole delimiter too long once it holds more than MAX bytes;
 * but a frame of MAX bytes whose delimiter of several bytes is split between two reads holds up to
 * MAX + delimiter - 1 bytes then, and is legal. So Netty's limit is that, and this decoder checks MAX on the
 * frames it finds.
 */
final class ReportingDelimiterBasedFrameDecoder extends DelimiterBasedFrameDecoder implements Cumulating {

    /** The capacity of the cumulation after the last read, for {@link Cumulating}. */
    private volatile int cumulated;

    private final int maxLength;
    private final int delimiterLength;
    private final boolean stripDelimiter;

    ReportingDelimiterBasedFrameDecoder(int maxLength, boolean stripDelimiter, byte[] delimiter) {
        super(maxLength + delimiter.length - 1, stripDelimiter, true, Unpooled.wrappedBuffer(delimiter));
        this.maxLength = maxLength;
        this.delimiterLength = delimiter.length;
        this.stripDelimiter = stripDelimiter;
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf buffer) throws Exception {
        int seen = buffer.readableBytes();
        Object frame;
        try {
            frame = super.decode(ctx, buffer);
        } catch (TooLongFrameException e) {
            throw new TooLongFrameException("frame length (over " + seen + ") exceeds the allowed maximum ("
                    + maxLength + ")");
        }
        if (frame instanceof ByteBuf f) {
            int length = f.readableBytes() - (stripDelimiter ? 0 : delimiterLength);
            if (length > maxLength) {
                f.release();
                throw new TooLongFrameException("frame length (" + length + ") exceeds the allowed maximum ("
                        + maxLength + ")");
            }
        }
        return frame;
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        IncompleteFrames.discardAndReport(ctx, in, -1);
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
