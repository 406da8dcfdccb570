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
 */
final class ReportingDelimiterBasedFrameDecoder extends DelimiterBasedFrameDecoder {

    private final int maxLength;

    ReportingDelimiterBasedFrameDecoder(int maxLength, boolean stripDelimiter, byte[] delimiter) {
        super(maxLength, stripDelimiter, true, Unpooled.wrappedBuffer(delimiter));
        this.maxLength = maxLength;
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf buffer) throws Exception {
        int seen = buffer.readableBytes();
        try {
            return super.decode(ctx, buffer);
        } catch (TooLongFrameException e) {
            throw new TooLongFrameException("frame length (over " + seen + ") exceeds the allowed maximum ("
                    + maxLength + ")");
        }
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        IncompleteFrames.discardAndReport(ctx, in, -1);
    }
}
