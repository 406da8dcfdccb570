package io.inetkit.common.framing;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;

import java.nio.ByteOrder;
import java.util.List;

/**
 * {@link LengthFieldBasedFrameDecoder} for a big-endian W-byte header that counts the payload only.
 * A header over MAX fails at once, before any payload is buffered, with the length it announced; a
 * negative 8-byte length is a corrupt frame; an unfinished frame is reported at EOF.
 */
final class ReportingLengthFieldBasedFrameDecoder extends LengthFieldBasedFrameDecoder implements Cumulating {

    /** The capacity of the cumulation after the last read, for {@link Cumulating}. */
    private volatile int cumulated;

    private final int width;
    private final int maxLength;
    private boolean failed;

    ReportingLengthFieldBasedFrameDecoder(int width, int maxLength, boolean keepHeader) {
        super(ByteOrder.BIG_ENDIAN, maxLength + width, 0, width, 0, keepHeader ? 0 : width, true);
        this.width = width;
        this.maxLength = maxLength;
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        if (failed) {
            in.skipBytes(in.readableBytes()); // the stream is out of step: nothing after a bad header is a frame
            return null;
        }
        try {
            return super.decode(ctx, in);
        } catch (TooLongFrameException | CorruptedFrameException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    @Override
    protected long getUnadjustedFrameLength(ByteBuf buf, int offset, int length, ByteOrder order) {
        long announced = super.getUnadjustedFrameLength(buf, offset, length, order);
        if (announced < 0) {
            throw new CorruptedFrameException("negative length field: " + announced);
        }
        if (announced > maxLength) {
            throw new TooLongFrameException("length field announces " + announced
                    + " bytes, over the allowed maximum (" + maxLength + ")");
        }
        return announced;
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        long expected = in.readableBytes() >= width
                ? width + super.getUnadjustedFrameLength(in, in.readerIndex(), width, ByteOrder.BIG_ENDIAN)
                : -1;
        IncompleteFrames.discardAndReport(ctx, in, expected);
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
