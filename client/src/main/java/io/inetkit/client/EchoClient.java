package io.inetkit.client;

import io.inetkit.common.cli.StopSignals;
import io.inetkit.common.transport.Transport;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.util.NetUtil;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One run of {@code inetkit client} over TCP or UDP: the settings it follows, and where it prints (the
 * interactive echoes to {@code stdout} as bytes, the one-shot reports and the summaries to {@code out}, the
 * prompts and the errors to {@code err}).
 */
abstract sealed class EchoClient permits TcpEchoClient, UdpEchoClient {

    /** How much of an echo a one-shot run prints. */
    static final int MAX_SHOWN = 4096;

    protected final ClientSettings settings;
    /** Where interactive mode writes the echoes, as bytes. */
    protected final OutputStream stdout;
    /** Where the one-shot reports and the summaries go, as text. */
    protected final PrintWriter out;
    protected final PrintWriter err;

    EchoClient(ClientSettings settings, OutputStream stdout, PrintWriter out, PrintWriter err) {
        this.settings = settings;
        this.stdout = stdout;
        this.out = out;
        this.err = err;
    }

    /**
     * The client {@code settings} ask for: UDP or TCP, one-shot or interactive. During a one-shot run, Ctrl-C
     * (or SIGTERM) interrupts it, and it prints its summary of what it has, as ping does.
     */
    static int run(ClientSettings settings, OutputStream stdout, PrintWriter out, PrintWriter err,
                   InputStream stdin) throws InterruptedException {
        EchoClient client = settings.udp() ? new UdpEchoClient(settings, stdout, out, err)
                : new TcpEchoClient(settings, stdout, out, err);
        if (settings.mode() == ClientSettings.Mode.LISTEN) {
            return new ListenMode(settings, stdout, err).run();
        }
        if (settings.mode() == ClientSettings.Mode.CHECK_PORT) {
            return client.checkPort();
        }
        if (settings.interactive()) {
            return client.interactive(stdin);
        }
        Thread running = Thread.currentThread();
        try (StopSignals signals = StopSignals.install(signal -> running.interrupt())) {
            return client.oneShot();
        }
    }

    /**
     * Sends the message {@code --count} times, verifying each echo; 0 when all matched, else throws; when
     * interrupted, prints the summary so far and returns {@link ClientCommand#EXIT_INTERRUPTED}.
     */
    abstract int oneShot() throws InterruptedException;

    /** {@code -z}: 0 when the port is open, else throws {@link io.inetkit.common.cli.UserException}. */
    abstract int checkPort() throws InterruptedException;

    /** Sends each stdin line and prints each echo, until the end of stdin. */
    abstract int interactive(InputStream stdin) throws InterruptedException;

    /** {@code HOST:PORT} ({@code [ADDRESS]:PORT} for IPv6), as the messages name the server. */
    String where() {
        byte[] literal = NetUtil.createByteArrayFromIpAddressString(settings.host()); // null for a host name
        String host = literal == null ? settings.host() : NetUtil.bytesToIpAddress(literal); // ::1, not 0:0:...:1
        return NetUtil.toSocketAddressString(host, settings.port());
    }

    /** {@code -w}'s handler, or null without it. */
    IdleTimeoutHandler idleTimeout() {
        return settings.hasIdleTimeout() ? new IdleTimeoutHandler(settings.idleTimeout(), err) : null;
    }

    /** {@code -v}: which addresses a connection joins, and over what. */
    void verbose(String protocol, Channel ch, Transport transport) {
        if (settings.verbose()) {
            err.println("inetkit client: " + protocol + " " + address(ch.localAddress()) + " -> "
                    + address(ch.remoteAddress()) + " (" + transport.label() + " transport)");
            err.flush();
        }
    }

    /** {@code 127.0.0.1:5005}, {@code [::1]:5005} (RFC 5952). */
    static String address(SocketAddress address) {
        return address instanceof InetSocketAddress a ? NetUtil.toSocketAddressString(a) : String.valueOf(address);
    }

    /** {@code --interval}: the wait before every send but the first; Ctrl-C ends it. */
    void pause(int index) throws InterruptedException {
        if (index > 1 && !settings.interval().isZero()) {
            TimeUnit.NANOSECONDS.sleep(settings.interval().toNanos());
        }
    }

    /**
     * The echo, as the lecture's client prints what it received: the text when it is printable UTF-8, else
     * a hex dump; its first {@value #MAX_SHOWN} bytes.
     */
    void printEcho(byte[] echo) {
        printEcho(out, echo, settings.hex());
    }

    /** {@link #printEcho(byte[])} to {@code out}; {@code hex}: a hex dump whatever the bytes are. */
    static void printEcho(PrintWriter out, byte[] echo, boolean hex) {
        int shown = Math.min(echo.length, MAX_SHOWN);
        String text = hex ? null : printable(echo, shown);
        if (text != null) {
            out.println(text);
        } else {
            out.println(ByteBufUtil.prettyHexDump(Unpooled.wrappedBuffer(echo, 0, shown)));
        }
        if (shown < echo.length) {
            out.printf("... (%d more bytes)%n", echo.length - shown);
        }
    }

    /** The bytes as text, without one trailing line end; null when they are not printable UTF-8. */
    static String printable(byte[] bytes, int length) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, length))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
                return null;
            }
        }
        return text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    /** The index of the first differing byte, or -1 when equal. */
    static int firstDifference(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            if (a[i] != b[i]) {
                return i;
            }
        }
        return a.length == b.length ? -1 : n;
    }
}
