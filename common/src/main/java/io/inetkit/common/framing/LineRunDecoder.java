package io.inetkit.common.framing;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * The echo decoder of {@code line}: every whole line that has arrived, as one {@link FrameRun} (line ends
 * kept), instead of one message per line. An echo of four lines read together is then one write of one
 * buffer rather than four.
 *
 * <pre>
 * in:   | a b \n | c \r \n | d e f \n | g h    →   FrameRun(| a b \n | c \r \n | d e f \n |, 3), "g h" waits
 * </pre>
 *
 * Lines are checked exactly as {@link ReportingLineBasedFrameDecoder} checks them (MAX counts the line
 * without its {@code \n} or {@code \r\n}). The first line it cannot pass as plainly good (over MAX, or
 * unterminated and already over MAX) ends the run: the lines before it go out first, and from then on the
 * stock decoder's own logic decides, with its errors and messages, one line at a time.
 */
final class LineRunDecoder extends ReportingLineBasedFrameDecoder {

    private final int maxLength;
    /** True once a line was handed to the per-line logic: it keeps the rest of the connection. */
    private boolean perLine;

    LineRunDecoder(int maxLength) {
        super(maxLength, false);
        this.maxLength = maxLength;
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        if (perLine) {
            return super.decode(ctx, in);
        }
        int start = in.readerIndex();
        int end = in.writerIndex();
        int pos = start;
        int frames = 0;
        int eol;
        while ((eol = in.indexOf(pos, end, (byte) '\n')) >= 0) { // 8 bytes at a time
            int length = eol - pos;
            if (length > 0 && in.getByte(eol - 1) == '\r') {
                length--;
            }
            if (length > maxLength) {
                break;
            }
            pos = eol + 1;
            frames++;
        }
        if (frames > 0) {
            in.readerIndex(pos);
            return new FrameRun(in.retainedSlice(start, pos - start), frames); // what follows: next call
        }
        if (eol >= 0 || end - start > maxLength) {
            perLine = true; // a line over MAX: the stock logic reports it and discards
            return super.decode(ctx, in);
        }
        return null; // an unfinished line, not over MAX yet
    }
}
