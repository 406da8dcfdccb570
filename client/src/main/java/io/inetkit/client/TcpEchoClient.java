package io.inetkit.client;

import io.inetkit.client.EventQueueHandler.Closed;
import io.inetkit.client.EventQueueHandler.Event;
import io.inetkit.client.EventQueueHandler.Failed;
import io.inetkit.client.EventQueueHandler.Received;
import io.inetkit.common.cli.Cli;
import io.inetkit.common.cli.UserException;
import io.inetkit.common.framing.Framing;
import io.inetkit.common.framing.IncompleteFrameException;
import io.inetkit.common.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DuplexChannel;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The TCP side of {@code inetkit client}: one connection, one-shot (send, wait for the echo, verify,
 * time it) or interactive (stdin lines out as frames, echoed frames printed).
 *
 * <p>TCP has no message boundaries: an echo may come back in any number of reads (a server that reads
 * 20 bytes at a time answers a 43-byte message in three pieces). The framing decoder reassembles frames;
 * for {@code raw}, where nothing marks the end, the echo is complete when as many bytes came back as
 * were sent.
 *
 * <p>The pipeline is {@link EchoClientInitializer}'s.
 */
final class TcpEchoClient extends EchoClient {

    TcpEchoClient(ClientSettings settings, PrintWriter out, PrintWriter err) {
        super(settings, out, err);
    }

    /** Runs the one-shot conversation; returns 0 when every echo matched, else throws {@link UserException}. */
    @Override
    int oneShot() throws InterruptedException {
        List<byte[]> payloads = UserException.usage(() -> Frames.payloads(settings.framing(), settings.message()));
        boolean raw = settings.framing() instanceof Framing.Raw;
        EventQueueHandler events = new EventQueueHandler();
        EventLoopGroup group = ClientLoop.newGroup(settings.transport());
        Channel ch = null;
        try {
            ch = connect(group, events);
            long timeoutNanos = settings.timeout().toNanos();
            RoundTrips rtts = new RoundTrips();
            int total = settings.count();
            for (int i = 1; i <= total; i++) {
                long start = System.nanoTime();
                for (byte[] p : payloads) {
                    ch.write(settings.framing().frame(ch.alloc(), Unpooled.wrappedBuffer(p)));
                }
                ch.flush();
                long deadline = start + timeoutNanos;
                long done = raw ? awaitRaw(events, settings.message(), i, deadline)
                        : awaitFrames(events, payloads, i, deadline);
                long rtt = done - start;
                rtts.add(rtt);
                out.printf("echo %d/%d from %s:%d: %d bytes, matched, rtt %.3f ms%n", i, total, settings.host(),
                        settings.port(), settings.message().length, rtt / 1e6);
                out.flush();
            }
            out.printf("%d/%d echoes matched; %s%n", total, total, rtts.summary());
            return Cli.EXIT_OK;
        } finally {
            ClientLoop.close(group, ch);
        }
    }

    /** Waits for the frames of echo {@code index}; returns when the last one arrived. */
    private long awaitFrames(EventQueueHandler events, List<byte[]> expected, int index, long deadline)
            throws InterruptedException {
        long last = 0;
        for (int f = 0; f < expected.size(); f++) {
            Event e = events.next(deadline);
            byte[] want = expected.get(f);
            if (e instanceof Received r) {
                int at = firstDifference(want, r.data());
                if (at >= 0) {
                    throw mismatch(index, want, r.data(), at);
                }
                last = r.nanoTime();
            } else {
                throw failure(e, index, "frame " + (f + 1) + " of " + expected.size() + " not received");
            }
        }
        return last;
    }

    /** Raw framing: the echo is complete when as many bytes came back as were sent. */
    private long awaitRaw(EventQueueHandler events, byte[] want, int index, long deadline) throws InterruptedException {
        int got = 0;
        while (true) {
            Event e = events.next(deadline);
            if (!(e instanceof Received r)) {
                throw failure(e, index, got + " of " + want.length + " bytes received");
            }
            byte[] data = r.data();
            for (int k = 0; k < data.length; k++) {
                if (got + k >= want.length) {
                    throw new UserException("echo " + index + " differs: the server sent more bytes than the "
                            + want.length + " sent", ClientCommand.EXIT_MISMATCH);
                }
                if (data[k] != want[got + k]) {
                    throw mismatch(index, want, slice(want, got, data), got + k);
                }
            }
            got += data.length;
            if (got == want.length) {
                return r.nanoTime();
            }
        }
    }

    private static byte[] slice(byte[] want, int offset, byte[] data) {
        byte[] joined = new byte[offset + data.length];
        System.arraycopy(want, 0, joined, 0, offset);
        System.arraycopy(data, 0, joined, offset, data.length);
        return joined;
    }

    private UserException failure(Event e, int index, String progress) {
        String where = settings.host() + ":" + settings.port();
        if (e == null) {
            return new UserException("timeout: no complete echo " + index + " from " + where + " within "
                    + settings.timeout().toMillis() + " ms (" + progress + ")", ClientCommand.EXIT_TIMEOUT);
        }
        if (e instanceof Closed) {
            return new UserException("the server " + where + " closed the connection before echo " + index
                    + " was complete (" + progress + ")", ClientCommand.EXIT_CLOSED);
        }
        Throwable cause = ((Failed) e).cause();
        if (cause instanceof IncompleteFrameException incomplete) {
            return new UserException("the server " + where + " closed the connection in the middle of echo " + index
                    + ": " + incomplete.getMessage(), ClientCommand.EXIT_CLOSED);
        }
        if (cause instanceof IOException && Failures.isReset(cause)) {
            return new UserException("the server " + where + " reset the connection during echo " + index
                    + " (" + progress + ")", ClientCommand.EXIT_CLOSED);
        }
        if (cause instanceof IOException) {
            return new UserException("connection to " + where + " failed during echo " + index + ": "
                    + Cli.describe(cause), ClientCommand.EXIT_CLOSED);
        }
        return new UserException("echo " + index + " from " + where + " is not a valid " + settings.framing().spec()
                + " frame: " + Cli.describe(cause), ClientCommand.EXIT_MISMATCH);
    }

    private static UserException mismatch(int index, byte[] want, byte[] got, int at) {
        String detail;
        if (at >= want.length || at >= got.length) {
            detail = "sent " + want.length + " bytes, got " + got.length;
        } else {
            detail = "first difference at byte " + at + ": sent " + show(want[at]) + ", got " + show(got[at]);
        }
        String text = new String(got, 0, Math.min(got.length, 60), StandardCharsets.UTF_8)
                .replaceAll("\\p{Cntrl}", ".");
        return new UserException("echo " + index + " differs from what was sent: " + detail + " (received \""
                + text + (got.length > 60 ? "..." : "") + "\")", ClientCommand.EXIT_MISMATCH);
    }

    private static String show(byte b) {
        int v = b & 0xff;
        return v >= 0x20 && v < 0x7f ? String.format("'%c' (0x%02x)", (char) v, v) : String.format("0x%02x", v);
    }

    /**
     * Interactive mode: each stdin line goes out as a frame ({@code raw}: as typed, newline included), each
     * echoed frame is printed as a line as it arrives. At the end of stdin the client shuts down its
     * sending side, lets the server finish its echoes, and exits when the server closes (or after the
     * timeout).
     */
    @Override
    int interactive(InputStream stdin) throws InterruptedException {
        boolean raw = settings.framing() instanceof Framing.Raw;
        PrintingHandler printer = new PrintingHandler(settings.framing(), out, err);
        EventLoopGroup group = ClientLoop.newGroup(settings.transport());
        Channel ch = null;
        try {
            ch = connect(group, printer);
            err.println("connected to " + settings.host() + ":" + settings.port() + " (" + settings.framing().spec()
                    + "); type lines, end with Ctrl-D");
            err.flush();
            Channel channel = ch;
            Thread reader = new Thread(() -> pump(stdin, channel, raw), "inetkit-stdin");
            reader.setDaemon(true);
            reader.start();
            // returns when the server closes: after our half-close at the end of stdin, or on its own
            while (!ch.closeFuture().await(100, TimeUnit.MILLISECONDS)) {
                if (printer.inputDoneAt() > 0
                        && System.nanoTime() - printer.inputDoneAt() > settings.timeout().toNanos()) {
                    err.println("inetkit client: no close from the server within " + settings.timeout().toMillis()
                            + " ms after the end of input; closing");
                    break;
                }
            }
            Throwable failure = printer.failure();
            if (failure != null && Failures.isReset(failure)) {
                throw new UserException("the server reset the connection", ClientCommand.EXIT_CLOSED);
            }
            if (printer.inputDoneAt() == 0) {
                err.println("inetkit client: the server closed the connection");
            }
            return Cli.EXIT_OK;
        } finally {
            out.flush();
            ClientLoop.close(group, ch);
        }
    }

    private void pump(InputStream stdin, Channel ch, boolean raw) {
        PrintingHandler printer = ch.pipeline().get(PrintingHandler.class);
        try {
            LineReader lines = new LineReader(stdin);
            byte[] line;
            while ((line = lines.next(raw)) != null && ch.isActive()) {
                List<byte[]> payloads;
                try {
                    payloads = raw ? List.of(line) : Frames.payloads(settings.framing(), line);
                } catch (IllegalArgumentException e) {
                    err.println("inetkit client: line not sent: " + e.getMessage());
                    err.flush();
                    continue;
                }
                for (byte[] p : payloads) {
                    ch.write(settings.framing().frame(ch.alloc(), Unpooled.wrappedBuffer(p)));
                }
                ch.flush();
            }
        } catch (IOException e) {
            err.println("inetkit client: cannot read stdin: " + e.getMessage());
        }
        printer.inputDone();
        if (ch instanceof DuplexChannel duplex && ch.isActive()) {
            duplex.shutdownOutput(); // like nc -N: the server sees EOF, finishes its echoes and closes
        } else {
            ch.close();
        }
    }

    private Channel connect(EventLoopGroup group, ChannelHandler last) {
        Transport transport = ClientLoop.transport(settings.transport());
        Framing framing = settings.framing();
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(transport.socketChannelClass())
                // the pooled allocator: Netty 4.2's default (adaptive) registers JFR event types on first
                // use, which costs the first round trip hundreds of milliseconds of class loading
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        settings.timeout().toMillis()))
                .handler(new EchoClientInitializer(framing, last, settings.proxyHeader()));
        ChannelFuture f = b.connect(settings.host(), settings.port()).awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new UserException("cannot connect to " + settings.host() + ":" + settings.port() + ": "
                    + Failures.connectReason(f.cause()), Failures.connectExitCode(f.cause()));
        }
        return f.channel();
    }
}
