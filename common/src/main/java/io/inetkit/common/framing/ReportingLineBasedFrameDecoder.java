package io.inetkit.common.framing;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LineBasedFrameDecoder;

import java.util.List;

/**
 * {@link LineBasedFrameDecoder} that fails fast on a line over MAX and reports an unfinished line at EOF.
 */
class ReportingLineBasedFrameDecoder extends LineBasedFrameDecoder implements Cumulating {

    /** The capacity of the cumulation after the last read, for {@link Cumulating}. */
    private volatile int cumulated;

    ReportingLineBasedFrameDecoder(int maxLength, boolean stripDelimiter) {
        super(maxLength, stripDelimiter, true);
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
