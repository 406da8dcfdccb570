package io.inetkit.common.framing;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.FixedLengthFrameDecoder;

import java.util.List;

/** {@link FixedLengthFrameDecoder} that reports an unfinished frame at EOF ({@link IncompleteFrameException}). */
class ReportingFixedLengthFrameDecoder extends FixedLengthFrameDecoder implements Cumulating {

    /** The capacity of the cumulation after the last read, for {@link Cumulating}. */
    private volatile int cumulated;

    private final int frameLength;

    ReportingFixedLengthFrameDecoder(int frameLength) {
        super(frameLength);
        this.frameLength = frameLength;
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        IncompleteFrames.discardAndReport(ctx, in, frameLength);
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
