package io.inetkit.common.framing;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LineBasedFrameDecoder;

/**
 * Lines ended by {@code \n} or {@code \r\n}, cut by Netty's {@link LineBasedFrameDecoder}, failing fast on a
 * line over MAX; an unfinished line at EOF is reported.
 */
class ReportingLineBasedFrameDecoder extends ReportingFrameDecoder {

    private final Lines lines;

    ReportingLineBasedFrameDecoder(int maxLength, boolean stripDelimiter) {
        lines = new Lines(maxLength, stripDelimiter);
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        return lines.next(ctx, in);
    }

    /** Netty's line logic, used as a parser: its protected {@code decode} is reached from a subclass only. */
    private static final class Lines extends LineBasedFrameDecoder {
        Lines(int maxLength, boolean stripDelimiter) {
            super(maxLength, stripDelimiter, true);
        }

        Object next(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
            return decode(ctx, in);
        }
    }
}
