package io.inetkit.client.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deliberately faulty TCP echo server for tests (loopback, port 0, a thread per connection): it echoes
 * faithfully until {@code after} bytes, then misbehaves in the chosen way.
 */
public final class FaultyEchoServer implements AutoCloseable {

    /** How the server misbehaves. */
    public enum Fault {
        /** Echoes every byte, but flips the lowest bit of byte number {@code after} of each connection. */
        FLIP,
        /** Resets each connection (RST: SO_LINGER 0, close) once it has echoed {@code after} bytes. */
        RESET,
        /** Stops echoing after {@code after} bytes; keeps the connection open and reads on. */
        STALL,
        /** Closes each connection (FIN) once it has echoed {@code after} bytes. */
        CLOSE
    }

    private final ServerSocket server;
    private final Fault fault;
    private final long after;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean closed;

    public FaultyEchoServer(Fault fault, long after) throws IOException {
        this.fault = fault;
        this.after = after;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        Thread t = new Thread(this::acceptLoop, "faulty-accept");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public int accepted() {
        return accepted.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                accepted.incrementAndGet();
                sockets.add(s);
                Thread t = new Thread(() -> serve(s), "faulty-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setTcpNoDelay(true);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[4096];
            long echoed = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                if (echoed >= after) {
                    switch (fault) {
                        case STALL -> {
                            continue; // read and drop
                        }
                        case RESET -> {
                            s.setSoLinger(true, 0);
                            return;
                        }
                        case CLOSE -> {
                            return;
                        }
                        default -> {
                        }
                    }
                }
                if (fault == Fault.FLIP && echoed <= after && after < echoed + n) {
                    buf[(int) (after - echoed)] ^= 1;
                }
                int send = n;
                if ((fault == Fault.RESET || fault == Fault.CLOSE || fault == Fault.STALL) && echoed + n > after) {
                    send = (int) (after - echoed);
                }
                out.write(buf, 0, send);
                out.flush();
                echoed += send;
                if (send < n) {
                    if (fault == Fault.RESET) {
                        s.setSoLinger(true, 0);
                        return;
                    }
                    if (fault == Fault.CLOSE) {
                        return;
                    }
                }
            }
        } catch (SocketException e) {
            // the peer went away or the test closed us
        } catch (IOException e) {
            // as above
        } finally {
            sockets.remove(s);
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
