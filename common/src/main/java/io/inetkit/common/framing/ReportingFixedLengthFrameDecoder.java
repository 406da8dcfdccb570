package io.inetkit.common.framing;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * Frames of exactly N bytes ({@code fixed:N}), as Netty's {@code FixedLengthFrameDecoder} cuts them; an
 * unfinished frame at EOF is reported with the N it lacked ({@link IncompleteFrameException}).
 *
 * <pre>
 * fixed:4   in: | a b c d | e f    →   | a b c d |, "e f" waits
 * </pre>
 */
class ReportingFixedLengthFrameDecoder extends ReportingFrameDecoder {

    private final int frameLength;

    ReportingFixedLengthFrameDecoder(int frameLength) {
        this.frameLength = frameLength;
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) {
        return in.readableBytes() < frameLength ? null : in.readRetainedSlice(frameLength);
    }

    @Override
    protected long expectedLength(ByteBuf leftover) {
        return frameLength;
    }
}
