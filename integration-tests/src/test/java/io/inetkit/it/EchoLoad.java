package io.inetkit.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;

/**
 * Well-behaved clients in the background: each sends a line, reads it back, checks it, and again, until
 * closed (or for at most {@link #MAX_RUN}). Counts round trips, failures and the slowest round trip, so a
 * test can show that other clients kept being served while it abused the server.
 */
final class EchoLoad implements AutoCloseable {

    static final Duration MAX_RUN = Duration.ofSeconds(120);

    private final List<Socket> sockets = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong trips = new AtomicLong();
    private final AtomicLong slowestNanos = new AtomicLong();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;

    EchoLoad(int port, int clients) throws IOException {
        for (int c = 0; c < clients; c++) {
            Socket s = new Socket();
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(10_000);
            sockets.add(s);
            int id = c;
            Thread t = new Thread(() -> run(s, id), "echo-load-" + c);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
    }

    private void run(Socket s, int id) {
        long end = System.nanoTime() + MAX_RUN.toNanos();
        try {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            for (long i = 0; running && System.nanoTime() < end; i++) {
                byte[] line = ("client " + id + " round trip " + i + " " + "x".repeat(64) + "\n")
                        .getBytes(StandardCharsets.US_ASCII);
                long start = System.nanoTime();
                out.write(line);
                byte[] back = in.readNBytes(line.length);
                long took = System.nanoTime() - start;
                if (!Arrays.equals(back, line)) {
                    if (running) {
                        failures.add("client " + id + ": wrong echo after " + i + " round trips");
                    }
                    return;
                }
                trips.incrementAndGet();
                slowestNanos.accumulateAndGet(took, Math::max);
            }
        } catch (IOException e) {
            if (running) {
                failures.add("client " + id + ": " + e);
            }
        }
    }

    long trips() {
        return trips.get();
    }

    /** Waits until {@code more} round trips have completed after now. */
    void awaitMoreTrips(long more, Duration timeout) {
        long target = trips.get() + more;
        await().atMost(timeout).until(() -> trips.get() >= target || !failures.isEmpty());
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    Duration slowest() {
        return Duration.ofNanos(slowestNanos.get());
    }

    @Override
    public void close() throws IOException, InterruptedException {
        running = false;
        for (Socket s : sockets) {
            s.close();
        }
        for (Thread t : threads) {
            t.join(5000);
        }
    }
}
