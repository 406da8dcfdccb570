package io.inetkit.common.framing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DelimiterBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;

/**
 * Frames ended by a byte sequence, cut by Netty's {@link DelimiterBasedFrameDecoder}, failing fast and naming
 * the size it saw when a frame passes MAX; an unfinished frame at EOF is reported.
 *
 * <p>Netty's decoder calls a buffer without a whole delimiter too long once it holds more than MAX bytes;
 * but a frame of MAX bytes whose delimiter of several bytes is split between two reads holds up to
 * MAX + delimiter - 1 bytes then, and is legal. So Netty's limit is that, and this decoder checks MAX on the
 * frames it finds.
 */
final class ReportingDelimiterBasedFrameDecoder extends ReportingFrameDecoder {

    private final Delimited delimited;
    private final int maxLength;
    private final int delimiterLength;
    private final boolean stripDelimiter;

    ReportingDelimiterBasedFrameDecoder(int maxLength, boolean stripDelimiter, byte[] delimiter) {
        delimited = new Delimited(maxLength + delimiter.length - 1, stripDelimiter, delimiter);
        this.maxLength = maxLength;
        this.delimiterLength = delimiter.length;
        this.stripDelimiter = stripDelimiter;
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf buffer) throws Exception {
        int seen = buffer.readableBytes();
        Object frame;
        try {
            frame = delimited.next(ctx, buffer);
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

    /** Netty's delimiter logic, used as a parser: its protected {@code decode} is reached from a subclass only. */
    private static final class Delimited extends DelimiterBasedFrameDecoder {
        Delimited(int maxLength, boolean stripDelimiter, byte[] delimiter) {
            super(maxLength, stripDelimiter, true, Unpooled.wrappedBuffer(delimiter));
        }

        Object next(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
            return decode(ctx, in);
        }
    }
}
