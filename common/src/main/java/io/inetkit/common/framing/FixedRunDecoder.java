package io.inetkit.common.framing;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * The echo decoder of {@code fixed:N}: every whole N-byte frame that has arrived, as one {@link FrameRun},
 * instead of one message per frame. Bytes of an unfinished frame wait; at EOF they are reported as
 * {@link ReportingFixedLengthFrameDecoder} reports them.
 *
 * <pre>
 * fixed:4   in: | a b c d | e f g h | i j    →   FrameRun(| a b c d | e f g h |, 2), "i j" waits
 * </pre>
 */
final class FixedRunDecoder extends ReportingFixedLengthFrameDecoder {

    private final int frameLength;

    FixedRunDecoder(int frameLength) {
        super(frameLength);
        this.frameLength = frameLength;
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) {
        int frames = in.readableBytes() / frameLength;
        return frames == 0 ? null : new FrameRun(in.readRetainedSlice(frames * frameLength), frames);
    }
}
