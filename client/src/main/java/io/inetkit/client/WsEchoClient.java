package io.inetkit.client;

import io.inetkit.client.WsEventHandler.CloseFrame;
import io.inetkit.client.WsEventHandler.Closed;
import io.inetkit.client.WsEventHandler.Event;
import io.inetkit.client.WsEventHandler.Failed;
import io.inetkit.client.WsEventHandler.Message;
import io.inetkit.client.WsEventHandler.Upgraded;
import io.inetkit.client.ws.WsClientInitializer;
import io.inetkit.client.ws.WsUrl;
import io.inetkit.common.cli.Cli;
import io.inetkit.common.cli.StopSignals;
import io.inetkit.common.cli.UserException;
import io.inetkit.common.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.ssl.SslHandler;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code inetkit client ws://HOST:PORT/PATH}: a WebSocket client, as websocat is. One-shot, it sends the message
 * {@code --count} times and checks that every echo is a message of the same type with the same bytes, timed;
 * interactive, each stdin line is one text message ({@code --binary}: binary) and each message that comes back is
 * written to stdout as a line. Either way it ends with the closing handshake: its close frame (1000), then the
 * server's answer, and the close codes it saw are printed, as RFC 6455 section 7 names them.
 *
 * <pre>
 *  client                                  server
 *    GET /ws HTTP/1.1, Upgrade: websocket ──►
 *    ◄── HTTP/1.1 101 Switching Protocols
 *    [0x81 0x85 mask "hello"]            ──►        a masked text frame (FIN, opcode 1, 5 bytes)
 *    ◄── [0x81 0x05 "hello"]                        its echo, unmasked
 *    [0x88 0x82 mask 0x03e8]             ──►        close 1000
 *    ◄── [0x88 0x02 0x03e8]                         the server's answer; it closes the TCP connection
 * </pre>
 */
final class WsEchoClient {

    private final ClientSettings settings;
    private final ClientSettings.WebSocket ws;
    private final OutputStream stdout;
    private final PrintWriter out;
    private final PrintWriter err;

    WsEchoClient(ClientSettings settings, OutputStream stdout, PrintWriter out, PrintWriter err) {
        this.settings = settings;
        this.ws = settings.webSocket();
        this.stdout = stdout;
        this.out = out;
        this.err = err;
    }

    /** One-shot or interactive, as {@link EchoClient#run} does for TCP. */
    int run(InputStream stdin) throws InterruptedException {
        if (settings.interactive()) {
            return interactive(stdin);
        }
        Thread running = Thread.currentThread();
        try (StopSignals signals = StopSignals.install(signal -> running.interrupt())) {
            return oneShot();
        }
    }

    /** Text, unless --binary or the message is not UTF-8 (a text message must be: RFC 6455 5.6). */
    private boolean sendsText(byte[] message) {
        return !ws.binary() && isUtf8(message);
    }

    static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private int oneShot() {
        byte[] message = settings.message();
        boolean text = sendsText(message);
        WsEventHandler events = new WsEventHandler();
        EventLoopGroup group = ClientLoop.newGroup(settings.transport());
        RoundTrips rtts = new RoundTrips();
        int total = settings.count();
        Channel ch = null;
        try {
            ch = connect(group, events);
            long timeoutNanos = settings.timeout().toNanos();
            for (int i = 1; i <= total; i++) {
                if (i > 1 && !settings.interval().isZero()) {
                    TimeUnit.NANOSECONDS.sleep(settings.interval().toNanos());
                }
                long start = System.nanoTime();
                ch.writeAndFlush(frame(text, message));
                Event e = events.next(start + timeoutNanos);
                if (!(e instanceof Message m)) {
                    throw failure(ch, events, e, "echo " + i);
                }
                if (m.text() != text) {
                    throw new UserException("echo " + i + " differs from what was sent: sent a " + kind(text)
                            + " message, got a " + kind(m.text()) + " one", ClientCommand.EXIT_MISMATCH);
                }
                int at = EchoClient.firstDifference(message, m.data());
                if (at >= 0) {
                    throw new UserException("echo " + i + " differs from what was sent: " + (at >= message.length
                            || at >= m.data().length ? "sent " + message.length + " bytes, got " + m.data().length
                            : "first difference at byte " + at), ClientCommand.EXIT_MISMATCH);
                }
                long rtt = m.nanoTime() - start;
                rtts.add(rtt);
                if (i == 1) {
                    EchoClient.printEcho(out, m.data(), settings.hex()); // the first echo, as the TCP client prints it
                }
                out.printf(Locale.ROOT, "echo %d/%d from %s: %s message, %d bytes, matched, rtt %.3f ms%n", i, total,
                        ws.url(), kind(text), message.length, rtt / 1e6);
                out.flush();
            }
            out.println(rtts.matched(total));
            closingHandshake(ch, events);
            return Cli.EXIT_OK;
        } catch (InterruptedException e) {
            out.println(rtts.interrupted(total));
            out.flush();
            return ClientCommand.EXIT_INTERRUPTED;
        } finally {
            out.flush();
            ClientLoop.close(group, ch);
        }
    }

    private static String kind(boolean text) {
        return text ? "text" : "binary";
    }

    private static WebSocketFrame frame(boolean text, byte[] data) {
        return text ? new TextWebSocketFrame(Unpooled.wrappedBuffer(data))
                : new BinaryWebSocketFrame(Unpooled.wrappedBuffer(data));
    }

    /**
     * Interactive: stdin lines out as messages (the line end not included), each message that comes back out
     * to stdout as a line (binary ones as a hex dump with --hex). At the end of stdin, the closing handshake.
     */
    private int interactive(InputStream stdin) throws InterruptedException {
        WsEventHandler events = new WsEventHandler();
        EventLoopGroup group = ClientLoop.newGroup(settings.transport());
        Channel ch = null;
        try {
            ch = connect(group, events);
            err.println("connected to " + ws.url() + " (WebSocket); type lines, end with Ctrl-D");
            err.flush();
            Channel channel = ch;
            Thread reader = new Thread(() -> sendLines(stdin, channel), "inetkit-stdin");
            reader.setDaemon(true);
            reader.start();
            boolean closing = false;
            long closingSince = 0;
            while (true) {
                Event e = events.next(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100));
                if (e == null) {
                    if (!closing && !reader.isAlive()) {
                        closing = true; // the end of stdin: our close frame went out
                        closingSince = System.nanoTime();
                    }
                    if (closing && System.nanoTime() - closingSince > settings.timeout().toNanos()) {
                        err.println("inetkit client: no close from the server within " + settings.timeout().toMillis()
                                + " ms after ours; closing");
                        return Cli.EXIT_OK;
                    }
                    continue;
                }
                if (e instanceof Message m) {
                    writeLine(m);
                } else if (e instanceof CloseFrame c) {
                    return serverClosed(ch, c, !reader.isAlive());
                } else if (e instanceof Closed) {
                    throw new UserException("the server " + ws.url() + " closed the connection without a close "
                            + "frame", ClientCommand.EXIT_CLOSED);
                } else if (e instanceof Failed f) {
                    throw failed(f.cause(), "the connection");
                }
            }
        } finally {
            out.flush();
            ClientLoop.close(group, ch);
        }
    }

    /** The stdin thread: a message per line, then our close frame (1000) at the end of input. */
    private void sendLines(InputStream stdin, Channel ch) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null && ch.isActive(); line = in.readLine()) {
                byte[] data = line.getBytes(StandardCharsets.UTF_8);
                ch.writeAndFlush(frame(!ws.binary(), data));
            }
        } catch (IOException e) {
            err.println("inetkit client: cannot read stdin: " + Cli.describe(e));
            err.flush();
        }
        if (ch.isActive()) {
            ch.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE));
        }
    }

    private void writeLine(Message m) {
        try {
            if (m.text() || !settings.hex()) {
                stdout.write(m.data());
                stdout.write('\n');
            } else {
                stdout.write(ByteBufUtil.prettyHexDump(Unpooled.wrappedBuffer(m.data()))
                        .getBytes(StandardCharsets.US_ASCII));
                stdout.write('\n');
            }
            stdout.flush();
        } catch (IOException e) {
            throw new UserException("cannot write to stdout: " + Cli.describe(e), Cli.EXIT_RUNTIME);
        }
    }

    /**
     * The server's close frame: answered (unless it answers ours), printed, and its code sets the exit: 1000 and
     * 1001 (going away: a draining server) are an end, any other code is the server's complaint.
     */
    private int serverClosed(Channel ch, CloseFrame c, boolean answersOurs) {
        if (!answersOurs && ch.isActive()) {
            ch.writeAndFlush(new CloseWebSocketFrame(c.code() == WsEventHandler.NO_STATUS
                    ? WebSocketCloseStatus.NORMAL_CLOSURE.code() : c.code(), ""));
        }
        String line = "closed by the server: " + describe(c);
        if (c.code() == WebSocketCloseStatus.NORMAL_CLOSURE.code() || c.code() == WebSocketCloseStatus.ENDPOINT_UNAVAILABLE.code()
                || (answersOurs && c.code() == WsEventHandler.NO_STATUS)) {
            err.println("inetkit client: " + line);
            err.flush();
            return Cli.EXIT_OK;
        }
        throw new UserException(line, ClientCommand.EXIT_WS_CLOSED);
    }

    /** {@code 1009 (message too big) "reason"}: the code, RFC 6455's name for it, and the server's reason. */
    static String describe(CloseFrame c) {
        String name = io.inetkit.client.ws.CloseCodes.name(c.code());
        return c.code() + " (" + name + ")" + (c.reason().isEmpty() ? "" : " \"" + c.reason() + "\"");
    }

    /** One-shot's end: our close (1000), and the server's answer within the timeout. */
    private void closingHandshake(Channel ch, WsEventHandler events) throws InterruptedException {
        ch.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE));
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        for (Event e = events.next(deadline); e != null; e = events.next(deadline)) {
            if (e instanceof CloseFrame c) {
                out.println("closed: " + describe(c));
                return;
            }
            if (e instanceof Closed) {
                out.println("closed: the server closed the connection without answering our close frame");
                return;
            }
        }
        out.println("closed: no close frame from the server within " + settings.timeout().toMillis() + " ms");
    }

    private UserException failure(Channel ch, WsEventHandler events, Event e, String what) {
        if (e == null) {
            return new UserException("timeout: no " + what + " from " + ws.url() + " within "
                    + settings.timeout().toMillis() + " ms", ClientCommand.EXIT_TIMEOUT);
        }
        if (e instanceof CloseFrame c) {
            if (ch.isActive()) {
                ch.writeAndFlush(new CloseWebSocketFrame(c.code() == WsEventHandler.NO_STATUS
                        ? WebSocketCloseStatus.NORMAL_CLOSURE.code() : c.code(), ""));
            }
            boolean error = c.code() != WebSocketCloseStatus.NORMAL_CLOSURE.code()
                    && c.code() != WebSocketCloseStatus.ENDPOINT_UNAVAILABLE.code();
            return new UserException("the server " + ws.url() + " closed the WebSocket before " + what + ": "
                    + describe(c), error ? ClientCommand.EXIT_WS_CLOSED : ClientCommand.EXIT_CLOSED);
        }
        if (e instanceof Closed) {
            return new UserException("the server " + ws.url() + " closed the connection before " + what
                    + " (no close frame)", ClientCommand.EXIT_CLOSED);
        }
        return failed(((Failed) e).cause(), what);
    }

    private UserException failed(Throwable cause, String what) {
        if (cause instanceof WebSocketClientHandshakeException refused) {
            return refused(refused);
        }
        if (Failures.isReset(cause)) {
            return new UserException("the server " + ws.url() + " reset the connection during " + what,
                    ClientCommand.EXIT_CLOSED);
        }
        if (cause instanceof IOException) {
            return new UserException("connection to " + ws.url() + " failed during " + what + ": "
                    + Cli.describe(cause), ClientCommand.EXIT_CLOSED);
        }
        // the frame decoder's complaint (a frame over --max-message, a bad frame): it closed with its code
        return new UserException("the server " + ws.url() + " sent what is not a valid WebSocket message: "
                + Cli.describe(cause), ClientCommand.EXIT_MISMATCH);
    }

    private UserException refused(WebSocketClientHandshakeException e) {
        // Netty's HTTP decoder answers a first line that is not a status line with status 999
        if (e.response() != null && (e.response().decoderResult().isFailure() || e.response().status().code() == 999)) {
            // an echo server sends our GET back: no status line at all
            return new UserException("the server " + ws.url() + " did not answer the WebSocket upgrade with HTTP ("
                    + (e.response().decoderResult().isFailure() ? Cli.describe(e.response().decoderResult().cause())
                    : "no status line") + "): is it a WebSocket server?",
                    ClientCommand.EXIT_WS_REFUSED);
        }
        String status = e.response() != null ? "HTTP " + e.response().status() : Cli.describe(e);
        return new UserException("the server " + ws.url() + " refused the WebSocket upgrade: " + status,
                ClientCommand.EXIT_WS_REFUSED);
    }

    /** Connects, with TLS for wss://, and waits for the upgrade; a failure is one line and its exit code. */
    private Channel connect(EventLoopGroup group, WsEventHandler events) throws InterruptedException {
        WsUrl url = ws.url();
        Transport transport = ClientLoop.transport(settings.transport());
        int maxMessage = Math.max(ws.maxMessage(), settings.message() == null ? 0 : settings.message().length);
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(transport.socketChannelClass())
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        settings.timeout().toMillis()))
                .handler(new WsClientInitializer(url, settings.tls(), settings.serverName(), true, ws.deflate(),
                        maxMessage, settings.timeout().toMillis(), events));
        ChannelFuture f = b.connect(url.host(), url.port()).awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new UserException("cannot connect to " + url + ": " + Failures.connectReason(f.cause()),
                    Failures.connectExitCode(f.cause()));
        }
        Channel ch = f.channel();
        if (settings.verbose()) {
            err.println("inetkit client: tcp " + EchoClient.address(ch.localAddress()) + " -> "
                    + EchoClient.address(ch.remoteAddress()) + " (" + transport.label() + " transport)");
            err.flush();
        }
        SslHandler ssl = ch.pipeline().get(SslHandler.class);
        if (ssl != null) {
            io.netty.util.concurrent.Future<Channel> done = ssl.handshakeFuture();
            if (!done.awaitUninterruptibly(settings.timeout().toMillis())) {
                ch.close();
                throw new UserException("timeout: no TLS handshake with " + url + " within "
                        + settings.timeout().toMillis() + " ms", ClientCommand.EXIT_TIMEOUT);
            }
            if (!done.isSuccess()) {
                ch.close();
                TlsOptions.Failure why = TlsOptions.classify(done.cause(),
                        settings.serverName() != null ? settings.serverName() : url.host());
                throw new UserException("TLS handshake with " + url + " failed: " + why.reason(), why.exitCode());
            }
        }
        long start = System.nanoTime();
        Event e = events.next(start + settings.timeout().toNanos());
        if (!(e instanceof Upgraded up)) {
            ch.close();
            if (e == null) {
                throw new UserException("timeout: no answer to the WebSocket upgrade from " + url + " within "
                        + settings.timeout().toMillis() + " ms", ClientCommand.EXIT_TIMEOUT);
            }
            if (e instanceof Failed failed && failed.cause() instanceof WebSocketClientHandshakeException refused) {
                throw refused(refused);
            }
            if (e instanceof Closed) {
                throw new UserException("the server " + url + " closed the connection instead of answering the "
                        + "WebSocket upgrade", ClientCommand.EXIT_WS_REFUSED);
            }
            throw failed(((Failed) e).cause(), "the upgrade");
        }
        if (settings.verbose()) {
            boolean deflating = WsClientInitializer.deflating(ch.pipeline());
            err.printf(Locale.ROOT, "inetkit client: upgraded in %.3f ms%s%n", (up.nanoTime() - start) / 1e6,
                    deflating ? ", permessage-deflate" : "");
            err.flush();
        }
        return ch;
    }
}
