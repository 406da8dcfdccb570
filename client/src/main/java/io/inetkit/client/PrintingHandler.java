package io.inetkit.client;

import io.inetkit.common.cli.Cli;
import io.inetkit.common.framing.Framing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Interactive mode's end of the pipeline: writes each echo to stdout as bytes, as it arrives, so that what
 * comes back is what was typed, binary included.
 *
 * <pre>
 * stdin:            | a b \r \n | c d |EOF          two lines: (a b, \r\n) and (c d, no end)
 * sent, length:2:   | 00 02 a b | 00 02 c d |
 * echoed payloads:  | a b |       | c d |
 * stdout:           | a b \r \n | c d |             each payload, then the end its line had: stdout = stdin
 * </pre>
 *
 * The sender says, before each frame goes out, what to cut from its echo and what to write after it
 * ({@link #expect}); echoes come back in order on one connection. {@code raw}: each read is written as it
 * is, and no line is involved. {@code line}: the echo keeps its own line end (the decoder keeps it), less the
 * {@code \n} the client added to a last line that had none. {@code fixed:N}: the zero bytes that padded a
 * line's last frame are cut again. A frame the client did not send (the server spoke on its own) is
 * written followed by {@code \n}, unless it is a line and has its own. With {@code --hex} each echo is a hex
 * dump instead (Netty's {@link ByteBufUtil#prettyHexDump}), framing and line ends left out.
 */
final class PrintingHandler extends ChannelInboundHandlerAdapter {

    /** What to cut from the end of the echo of one frame sent, and what to write after it. */
    record Echo(int cut, byte[] end) {
        static final byte[] NO_END = {};
        /** Written as it came: a raw read, or a line the server sent on its own (it has its own end). */
        static final Echo AS_IS = new Echo(0, NO_END);
        /** A frame the server sent on its own, in a framing without line ends. */
        static final Echo AS_LINE = new Echo(0, new byte[] {'\n'});
    }

    private final Framing framing;
    private final boolean hex;
    private final OutputStream stdout;
    private final PrintWriter err;
    private final Queue<Echo> expected = new ConcurrentLinkedQueue<>();
    private volatile long inputDoneAt;
    private volatile Throwable failure;
    private volatile IOException stdoutError;

    /** @param hex each echo as a hex dump ({@code --hex}) instead of its bytes */
    PrintingHandler(Framing framing, boolean hex, OutputStream stdout, PrintWriter err) {
        this.framing = framing;
        this.hex = hex;
        this.stdout = stdout;
        this.err = err;
    }

    /** Called by the sending thread before it writes a frame: how to print that frame's echo. */
    void expect(Echo echo) {
        expected.add(echo);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            Echo echo = framing instanceof Framing.Raw ? Echo.AS_IS : expected.poll();
            if (echo == null) {
                echo = framing instanceof Framing.Line ? Echo.AS_IS : Echo.AS_LINE;
            }
            int length = Math.max(0, buf.readableBytes() - echo.cut());
            if (hex) {
                stdout.write((ByteBufUtil.prettyHexDump(buf, buf.readerIndex(), length) + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            } else {
                buf.readBytes(stdout, length);
                stdout.write(echo.end());
            }
            stdout.flush();
        } catch (IOException e) {
            stdoutError = e; // stdout is gone (a closed pipe): nothing more can be shown, so the run ends
            ctx.close();
        } finally {
            buf.release();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failure = cause;
        if (!(cause instanceof IOException)) {
            err.println("inetkit client: " + Cli.describe(cause));
            err.flush();
        }
        ctx.fireExceptionCaught(cause);
    }

    void inputDone() {
        inputDoneAt = System.nanoTime();
    }

    long inputDoneAt() {
        return inputDoneAt;
    }

    Throwable failure() {
        return failure;
    }

    /** Why an echo could not be written to stdout; null while every one was. */
    IOException stdoutError() {
        return stdoutError;
    }
}
