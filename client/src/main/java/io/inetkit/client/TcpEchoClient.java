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

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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

    TcpEchoClient(ClientSettings settings, OutputStream stdout, PrintWriter out, PrintWriter err) {
        super(settings, stdout, out, err);
    }

    /**
     * Runs the one-shot conversation; returns 0 when every echo matched, else throws {@link UserException};
     * Ctrl-C ends it with the summary of the echoes so far.
     */
    @Override
    int oneShot() {
        List<byte[]> payloads = UserException.usage(() -> Frames.payloads(settings.framing(), settings.message()));
        boolean raw = settings.framing() instanceof Framing.Raw;
        EventQueueHandler events = new EventQueueHandler();
        EventLoopGroup group = ClientLoop.newGroup(settings.transport());
        RoundTrips rtts = new RoundTrips();
        int total = settings.count();
        Channel ch = null;
        try {
            ch = connect(group, events, false);
            long timeoutNanos = settings.timeout().toNanos();
            for (int i = 1; i <= total; i++) {
                pause(i);
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
                if (i == 1) {
                    printEcho(settings.message()); // matched: the echo is the message, byte for byte
                }
                out.printf("echo %d/%d from %s: %d bytes, matched, rtt %.3f ms%n", i, total, where(),
                        settings.message().length, rtt / 1e6);
                out.flush();
            }
            out.println(rtts.matched(total));
            return Cli.EXIT_OK;
        } catch (InterruptedException e) {
            out.println(rtts.interrupted(total));
            out.flush();
            return ClientCommand.EXIT_INTERRUPTED;
        } finally {
            ClientLoop.close(group, ch);
        }
    }

    /** {@code -z}: connects and closes; a refused or unanswered connect is the error {@link #connect} throws. */
    @Override
    int checkPort() {
        EventLoopGroup group = ClientLoop.newGroup(settings.transport());
        Channel ch = null;
        try {
            ch = connect(group, new EventQueueHandler(), false);
            out.println("tcp " + where() + ": open");
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
        String where = where();
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
     * Interactive mode, like {@code nc -N}: stdin goes out ({@code raw}: as it is read; other framings: a frame
     * per line), each echo is written to stdout as it arrives, byte for byte what was typed
     * ({@link PrintingHandler}). At the end of stdin the client shuts down its sending side, lets the server
     * finish its echoes, and exits when the server closes (or after the timeout).
     */
    @Override
    int interactive(InputStream stdin) throws InterruptedException {
        PrintingHandler printer = new PrintingHandler(settings.framing(), settings.hex(), stdout, err);
        EventLoopGroup group = ClientLoop.newGroup(settings.transport());
        Channel ch = null;
        try {
            // line: the echo is printed with its own line end, so the decoder keeps it
            ch = connect(group, printer, settings.framing() instanceof Framing.Line);
            err.println("connected to " + where() + " (" + settings.framing().spec()
                    + "); type lines, end with Ctrl-D");
            err.flush();
            Channel channel = ch;
            StdinSender sender = new StdinSender(settings.framing(), err);
            Thread reader = new Thread(() -> sender.run(stdin, channel, printer), "inetkit-stdin");
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
            if (printer.stdoutError() != null) {
                throw new UserException("cannot write to stdout: " + Cli.describe(printer.stdoutError()),
                        Cli.EXIT_RUNTIME);
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

    /** @param keepFraming whether the frames passed to {@code last} keep their framing bytes */
    private Channel connect(EventLoopGroup group, ChannelHandler last, boolean keepFraming) {
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
                .handler(new EchoClientInitializer(framing, keepFraming,
                        last instanceof PrintingHandler ? idleTimeout() : null, // -w: interactive only
                        settings.proxyHeader(), last).tls(settings));
        ChannelFuture f = b.connect(settings.host(), settings.port()).awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new UserException("cannot connect to " + where() + ": "
                    + Failures.connectReason(f.cause()), Failures.connectExitCode(f.cause()));
        }
        verbose("tcp", f.channel(), transport);
        if (settings.tls() != null) {
            handshake(f.channel());
        }
        return f.channel();
    }

    /** Waits for the TLS handshake; a failure is one line and the exit code of its kind. */
    private void handshake(Channel ch) {
        io.netty.handler.ssl.SslHandler ssl = ch.pipeline().get(io.netty.handler.ssl.SslHandler.class);
        io.netty.util.concurrent.Future<Channel> done = ssl.handshakeFuture();
        if (!done.awaitUninterruptibly(settings.timeout().toMillis())) {
            ch.close();
            throw new UserException("timeout: no TLS handshake with " + where() + " within "
                    + settings.timeout().toMillis() + " ms", ClientCommand.EXIT_TIMEOUT);
        }
        if (!done.isSuccess()) {
            ch.close();
            TlsOptions.Failure why = TlsOptions.classify(done.cause(),
                    settings.serverName() != null ? settings.serverName() : settings.host());
            throw new UserException("TLS handshake with " + where() + " failed: " + why.reason(), why.exitCode());
        }
        if (settings.verbose()) {
            javax.net.ssl.SSLSession s = ssl.engine().getSession();
            err.println("tls: " + s.getProtocol() + " " + s.getCipherSuite()
                    + (settings.serverName() != null ? ", server name " + settings.serverName() : ""));
            err.flush();
        }
    }
}
