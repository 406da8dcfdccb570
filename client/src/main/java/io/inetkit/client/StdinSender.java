package io.inetkit.client;

import io.inetkit.common.framing.Framing;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.socket.DuplexChannel;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;

/**
 * Interactive TCP's stdin thread: stdin out to the server, each frame announced to the
 * {@link PrintingHandler} before it goes, so that the echo can be written back as it was typed.
 *
 * <pre>
 * raw:        stdin in chunks of up to 16 KiB, as read                  (nothing to announce)
 * line:       | a b \r \n |  sent as typed                              echo: as it comes
 * length:2:   | a b \r \n |  sent as | 00 02 a b |                       echo: payload, then \r \n
 * fixed:4:    | a b c d e \n | sent as | a b c d | e 00 00 00 |            echo: joined, padding cut, \n
 * </pre>
 *
 * Each write waits until it has gone to the socket, so a large input does not pile up in memory in front of
 * a slow server. At the end of stdin it shuts down the sending side, as {@code nc -N} does.
 */
final class StdinSender {

    private final Framing framing;
    private final PrintWriter err;

    StdinSender(Framing framing, PrintWriter err) {
        this.framing = framing;
        this.err = err;
    }

    /** Sends all of {@code stdin}, then half-closes (or closes, where the channel cannot). */
    void run(InputStream stdin, Channel ch, PrintingHandler printer) {
        try {
            if (framing instanceof Framing.Raw) {
                byte[] chunk = new byte[16 * 1024];
                int n;
                while ((n = stdin.read(chunk)) > 0 && ch.isActive()) {
                    ch.writeAndFlush(Unpooled.copiedBuffer(chunk, 0, n)).awaitUninterruptibly();
                }
            } else {
                LineReader lines = new LineReader(stdin);
                LineReader.Line line;
                while ((line = lines.next()) != null && ch.isActive()) {
                    send(ch, printer, line);
                }
            }
        } catch (IOException e) {
            err.println("inetkit client: cannot read stdin: " + e.getMessage());
            err.flush();
        }
        printer.inputDone();
        if (ch instanceof DuplexChannel duplex && ch.isActive()) {
            duplex.shutdownOutput(); // like nc -N: the server sees EOF, finishes its echoes and closes
        } else {
            ch.close();
        }
    }

    /**
     * One stdin line out as frames, each announced to the printer first. {@code line}: the line goes as it
     * was typed, its own end included (a last line without one gets {@code \n}, cut again from the echo);
     * other framings: the text is the payload, and its end is written after the echo.
     */
    private void send(Channel ch, PrintingHandler printer, LineReader.Line line) {
        byte[] text = line.text();
        if (framing instanceof Framing.Line l) {
            if (text.length > l.maxLength()) {
                notSent("the line has " + text.length + " bytes, over the framing's MAX of " + l.maxLength());
                return;
            }
            boolean ended = line.end().length > 0;
            printer.expect(ended ? PrintingHandler.Echo.AS_IS : new PrintingHandler.Echo(1, PrintingHandler.Echo.NO_END));
            ch.write(Unpooled.wrappedBuffer(text, ended ? line.end() : new byte[] {'\n'}));
        } else {
            List<byte[]> payloads;
            try {
                payloads = Frames.payloads(framing, text);
            } catch (IllegalArgumentException e) {
                notSent(e.getMessage());
                return;
            }
            int padding = framing instanceof Framing.Fixed f ? payloads.size() * f.size() - text.length : 0;
            for (int i = 0; i < payloads.size(); i++) {
                boolean last = i == payloads.size() - 1;
                printer.expect(last ? new PrintingHandler.Echo(padding, line.end()) : PrintingHandler.Echo.AS_IS);
                ch.write(framing.frame(ch.alloc(), Unpooled.wrappedBuffer(payloads.get(i))));
            }
        }
        ch.writeAndFlush(Unpooled.EMPTY_BUFFER).awaitUninterruptibly();
    }

    private void notSent(String why) {
        err.println("inetkit client: line not sent: " + why);
        err.flush();
    }
}
