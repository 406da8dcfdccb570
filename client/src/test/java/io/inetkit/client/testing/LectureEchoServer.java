package io.inetkit.client.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The lecture's blocking echo server, in Java, for tests: {@code listen(1)}, accept one connection at a
 * time, {@code recv(20)} and {@code sendall} until the peer closes, then accept the next. With
 * {@code oneRead} it reads once (at most 20 bytes), echoes that, and closes: the version that truncates
 * any longer message.
 */
public final class LectureEchoServer implements AutoCloseable {

    public static final int CHUNK = 20;

    private final ServerSocket server;
    private final boolean oneRead;
    private final AtomicInteger served = new AtomicInteger();
    private final AtomicInteger reads = new AtomicInteger();
    private volatile Socket current;

    public LectureEchoServer(boolean oneRead) throws IOException {
        this.oneRead = oneRead;
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
        Thread t = new Thread(this::loop, "lecture-server");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections served to the end. */
    public int served() {
        return served.get();
    }

    /** recv() calls that returned data. */
    public int reads() {
        return reads.get();
    }

    private void loop() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                current = s;
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                byte[] buf = new byte[CHUNK];
                int n;
                while ((n = in.read(buf)) > 0) {
                    reads.incrementAndGet();
                    out.write(buf, 0, n);
                    out.flush();
                    if (oneRead) {
                        break;
                    }
                }
            } catch (IOException e) {
                // peer reset or the server was closed: next connection
            }
            served.incrementAndGet();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        Socket s = current;
        if (s != null) {
            s.close();
        }
    }
}
