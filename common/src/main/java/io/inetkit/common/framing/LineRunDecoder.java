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
    /** Set by {@link #wholeLines}: where its run of whole lines ends, and whether a line over MAX ended it. */
    private int runEnd;
    private boolean stoppedAtLine;

    LineRunDecoder(int maxLength) {
        super(maxLength, false);
        this.maxLength = maxLength;
    }

    /**
     * The common case takes a shortcut: nothing left over from earlier reads, and the read ends at the end of a
     * line, every line in it within MAX. Then the read's own buffer is the run: no slice of it, and none of
     * {@link io.netty.handler.codec.ByteToMessageDecoder}'s accumulation. Anything else (a line begun in an
     * earlier read or left unfinished by this one, a line over MAX) goes the decoder's way, to {@link #decode}.
     */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (!perLine && msg instanceof ByteBuf in && !internalBuffer().isReadable()) {
            int frames = wholeLines(in, in.readerIndex(), in.writerIndex());
            if (frames > 0 && runEnd == in.writerIndex()) {
                ctx.fireChannelRead(new FrameRun(in, frames));
                return;
            }
        }
        super.channelRead(ctx, msg);
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        if (perLine) {
            return super.decode(ctx, in);
        }
        int start = in.readerIndex();
        int end = in.writerIndex();
        int frames = wholeLines(in, start, end);
        if (frames > 0) {
            in.readerIndex(runEnd);
            return new FrameRun(in.retainedSlice(start, runEnd - start), frames); // what follows: next call
        }
        if (stoppedAtLine || end - start > maxLength) {
            perLine = true; // a line over MAX: the stock logic reports it and discards
            return super.decode(ctx, in);
        }
        return null; // an unfinished line, not over MAX yet
    }

    /**
     * Counts the whole lines from {@code start}, each within MAX, and leaves in {@link #runEnd} the index after
     * the last one's {@code \n}. {@link #stoppedAtLine} tells whether the count ended at a line over MAX
     * rather than at the end of the bytes.
     */
    private int wholeLines(ByteBuf in, int start, int end) {
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
        runEnd = pos;
        stoppedAtLine = eol >= 0;
        return frames;
    }
}
