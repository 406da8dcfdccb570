package io.inetkit.common.framing;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/** What every inetkit decoder does with the bytes left over when the input closes. */
final class IncompleteFrames {

    private IncompleteFrames() {
    }

    /** Skips what is left of {@code in} and reports it; a no-op when nothing is left. */
    static void discardAndReport(ChannelHandlerContext ctx, ByteBuf in, long expectedBytes) {
        int left = in.readableBytes();
        if (left > 0) {
            in.skipBytes(left);
            ctx.fireExceptionCaught(new IncompleteFrameException(left, expectedBytes));
        }
    }
}
