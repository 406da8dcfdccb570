package io.inetkit.client;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;

/**
 * One run of {@code inetkit client} over TCP or UDP: the settings it follows, and where it prints (the
 * interactive echoes to {@code stdout} as bytes, the one-shot reports and the summaries to {@code out}, the
 * prompts and the errors to {@code err}).
 */
abstract sealed class EchoClient permits TcpEchoClient, UdpEchoClient {

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

    /** The client {@code settings} ask for: UDP or TCP, one-shot or interactive. */
    static int run(ClientSettings settings, OutputStream stdout, PrintWriter out, PrintWriter err,
                   InputStream stdin) throws InterruptedException {
        EchoClient client = settings.udp() ? new UdpEchoClient(settings, stdout, out, err)
                : new TcpEchoClient(settings, stdout, out, err);
        return settings.interactive() ? client.interactive(stdin) : client.oneShot();
    }

    /** Sends the message {@code --count} times, verifying each echo; 0 when all matched, else throws. */
    abstract int oneShot() throws InterruptedException;

    /** Sends each stdin line and prints each echo, until the end of stdin. */
    abstract int interactive(InputStream stdin) throws InterruptedException;

    /** {@code HOST:PORT}, as the messages name the server. */
    String where() {
        return settings.host() + ":" + settings.port();
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
