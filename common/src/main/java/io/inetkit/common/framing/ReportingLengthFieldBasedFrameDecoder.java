package io.inetkit.common.framing;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;

import java.nio.ByteOrder;

/**
 * Frames behind a big-endian W-byte header that counts the payload only, cut by Netty's
 * {@link LengthFieldBasedFrameDecoder}.
 * A header over MAX fails at once, before any payload is buffered, with the length it announced; a
 * negative 8-byte length is a corrupt frame; an unfinished frame is reported at EOF.
 */
final class ReportingLengthFieldBasedFrameDecoder extends ReportingFrameDecoder {

    private final Lengths lengths;
    private final int width;
    private boolean failed;

    ReportingLengthFieldBasedFrameDecoder(int width, int maxLength, boolean keepHeader) {
        lengths = new Lengths(width, maxLength, keepHeader);
        this.width = width;
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        if (failed) {
            in.skipBytes(in.readableBytes()); // the stream is out of step: nothing after a bad header is a frame
            return null;
        }
        try {
            return lengths.next(ctx, in);
        } catch (TooLongFrameException | CorruptedFrameException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    @Override
    protected long expectedLength(ByteBuf leftover) {
        return leftover.readableBytes() >= width ? width + lengths.announced(leftover) : -1;
    }

    /** Netty's length-field logic, used as a parser, with the checks of the announced length. */
    private static final class Lengths extends LengthFieldBasedFrameDecoder {

        private final int width;
        private final int maxLength;

        Lengths(int width, int maxLength, boolean keepHeader) {
            super(ByteOrder.BIG_ENDIAN, maxLength + width, 0, width, 0, keepHeader ? 0 : width, true);
            this.width = width;
            this.maxLength = maxLength;
        }

        Object next(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
            return decode(ctx, in);
        }

        /** The length the header at the front of {@code in} announces, unchecked. */
        long announced(ByteBuf in) {
            return super.getUnadjustedFrameLength(in, in.readerIndex(), width, ByteOrder.BIG_ENDIAN);
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
    }
}
