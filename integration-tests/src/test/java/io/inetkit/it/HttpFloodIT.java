package io.inetkit.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 15, point 1: 300 clients each trickling a 999,999-byte POST body (just under the 1 MiB
 * maxRequestSize) into {@code --http}, against a server with 256 MiB of heap and 256 MiB of direct memory.
 * Without a global budget for buffered bodies, 300 × 1 MB cannot fit: allocations fail in the event loops,
 * UDP echo and {@code /health} stop answering, and the server does not come back.
 *
 * <p>With it, the bodies buffered at once stay within the budget, the others get 503, a bystander's TCP echo,
 * UDP echo and {@code /health} keep answering throughout, and everything answers afterwards. The figures are
 * printed as {@code RELIABILITY-HTTP ...} lines.
 */
class HttpFloodIT {

    private static final long MIB = 1 << 20;
    private static final int ATTACKERS = 300;
    private static final int BODY = 999_999;
    /** Per attacker and round; a round every {@link #ROUND}: a body takes about 4 s to arrive. */
    private static final int CHUNK = 25_000;
    private static final Duration ROUND = Duration.ofMillis(100);
    private static final Duration FLOOD = Duration.ofSeconds(10);
    /** A bystander's probe that takes longer than this has failed (the build machine may be busy with other work). */
    private static final int PROBE_TIMEOUT_MILLIS = 3_000;

    private static void report(String format, Object... args) {
        System.out.printf("RELIABILITY-HTTP: %s%n", String.format(format, args));
    }

    @Test
    void aFloodOfLargeSlowBodiesIsRefusedWithinTheBudgetAndTheRestOfTheServerKeepsAnswering() throws Exception {
        try (ServerProcess server = ServerProcess.start(List.of("-Xmx256m", "-XX:MaxDirectMemorySize=256m"),
                "--tcp", "0:line", "--udp", "0", "--http", "0", "--io-threads", "2")) {
            int http = server.http.get("http");
            String listener = "http/" + http;
            Probes probes = new Probes(server);
            probes.all(); // everything answers before the flood

            Attack attack = new Attack(http);
            Thread flood = new Thread(attack::run, "http-flood");
            Thread bystander = new Thread(() -> probes.whileRunning(flood, listener), "bystander");
            flood.start();
            bystander.start();
            flood.join(FLOOD.plusSeconds(10).toMillis());
            bystander.join(10_000);
            assertThat(flood.isAlive()).as("the attack loop ends by itself").isFalse();
            report("bystander during the flood: %d probe rounds, slowest TCP echo %d ms, UDP echo %d ms, /health %d ms, "
                            + "%d failures %s; GET /ip on the flooded listener: slowest %d ms, %d failures %s",
                    probes.rounds.get(), probes.slowestTcp.get(), probes.slowestUdp.get(), probes.slowestHealth.get(),
                    probes.failures.size(), probes.failures.stream().limit(5).toList(), probes.slowestHttp.get(),
                    probes.httpFailures.size(), probes.httpFailures.stream().limit(3).toList());
            assertThat(probes.failures).as("bystander probes that failed during the flood").isEmpty();
            assertThat(probes.rounds.get()).isGreaterThan(10);

            // the attackers are gone: everything answers again, and no budget is left in use
            long recoveryStart = System.nanoTime();
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(probes::all);
            double recoverySeconds = (System.nanoTime() - recoveryStart) / 1e9;
            String echoed = probes.post(http, "after the flood");
            await().atMost(Duration.ofSeconds(5)).until(() -> budgetInUse(server.scrape(), listener) == 0);
            PrometheusText m = server.scrape();
            double refused = m.samples("inetkit_http_body_budget_refused_total").isEmpty() ? -1
                    : m.value("inetkit_http_body_budget_refused_total", "listener", listener);

            report("%d attackers, %d-byte POST /post bodies in %d-byte steps every %d ms for %d s, -Xmx256m "
                            + "-XX:MaxDirectMemorySize=256m: %d requests begun, %d whole bodies sent, %d answers 503, "
                            + "%d connections closed by the server",
                    ATTACKERS, BODY, CHUNK, ROUND.toMillis(), FLOOD.toSeconds(), attack.requests.get(),
                    attack.bodiesSent.get(), attack.refusals.get(), attack.closed.get());
            report("budget in use: peak %.1f MiB sampled (limit %.0f MiB); direct memory in use: peak %.1f MiB sampled "
                            + "(of 256); inetkit_http_body_budget_refused_total %.0f, "
                            + "inetkit_http_allocation_failures_total %.0f",
                    probes.budgetPeak.get() / (double) MIB,
                    m.samples("inetkit_http_body_budget_limit_bytes").isEmpty() ? -1
                            : m.value("inetkit_http_body_budget_limit_bytes", "listener", listener) / MIB,
                    probes.directPeak.get() / (double) MIB, refused,
                    m.sum("inetkit_http_allocation_failures_total"));
            report("everything answered %.2f s after the attackers left", recoverySeconds);

            assertThat(attack.refusals.get()).as("503 answers the attackers read").isPositive();
            assertThat(refused).as("refusals counted").isGreaterThanOrEqualTo(attack.refusals.get());
            assertThat(probes.budgetPeak.get()).as("budget in use never above the limit")
                    .isLessThanOrEqualTo((long) m.value("inetkit_http_body_budget_limit_bytes", "listener", listener));
            assertThat(echoed).contains("\"data\": \"after the flood\"");
            assertThat(server.program.process.isAlive()).isTrue();
            assertThat(server.log()).noneMatch(l -> l.contains(" ERROR ") || l.startsWith("\tat ")
                    || l.contains("LEAK"));
        }
    }

    private static double budgetInUse(PrometheusText m, String listener) {
        return m.samples("inetkit_http_body_budget_used_bytes").isEmpty() ? 0
                : m.value("inetkit_http_body_budget_used_bytes", "listener", listener);
    }

    /**
     * The attackers: {@value #ATTACKERS} non-blocking connections, each sending POST heads with a
     * {@value #BODY}-byte body {@value #CHUNK} bytes a round, one request after the other; a connection the
     * server closes is opened again. Reads (and drops) what the server answers. Stops after {@link #FLOOD}.
     */
    private static final class Attack {
        private final int port;
        private final AtomicLong requests = new AtomicLong();
        private final AtomicLong bodiesSent = new AtomicLong();
        private final AtomicLong refusals = new AtomicLong();
        private final AtomicLong closed = new AtomicLong();
        private final byte[] head;

        Attack(int port) {
            this.port = port;
            this.head = ("POST /post HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: " + BODY + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        }

        /** One attacker's connection and how far its current request is. */
        private final class Slot {
            SocketChannel channel;
            /** Rounds to wait before this attacker connects again. */
            int backoff;
            ByteBuffer out;
            long bodyLeft;
            final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
            String seen = "";

            void open() throws IOException {
                channel = SocketChannel.open();
                channel.socket().connect(new InetSocketAddress("127.0.0.1", port), PROBE_TIMEOUT_MILLIS);
                channel.configureBlocking(false);
                startRequest();
            }

            void startRequest() {
                out = ByteBuffer.wrap(head);
                bodyLeft = BODY;
                requests.incrementAndGet();
            }

            /**
             * Reads what the server answered, then writes at most one round's body bytes; false when the server
             * has closed the connection.
             */
            boolean step(byte[] filler) throws IOException {
                in.clear();
                int n;
                while ((n = channel.read(in)) > 0) {
                    String text = seen + new String(in.array(), 0, in.position(), StandardCharsets.ISO_8859_1);
                    for (int i = text.indexOf("HTTP/1.1 503"); i >= 0; i = text.indexOf("HTTP/1.1 503", i + 1)) {
                        refusals.incrementAndGet();
                    }
                    seen = text.substring(Math.max(0, text.length() - 16)); // a status line split over reads
                    in.clear();
                }
                if (n < 0) {
                    return false;
                }
                int budget = CHUNK;
                while (true) {
                    if (!out.hasRemaining()) {
                        if (bodyLeft == 0) {
                            bodiesSent.incrementAndGet();
                            startRequest(); // keep-alive: the next request right away
                        } else if (budget == 0) {
                            break;
                        } else {
                            int piece = (int) Math.min(bodyLeft, budget);
                            out = ByteBuffer.wrap(filler, 0, piece);
                            bodyLeft -= piece;
                            budget -= piece;
                        }
                    }
                    if (channel.write(out) == 0) {
                        break; // the server does not read now: the rest next round
                    }
                }
                return true;
            }

            void close() {
                try {
                    if (channel != null) {
                        channel.close();
                    }
                } catch (IOException ignored) {
                    // closing anyway
                }
                channel = null;
                backoff = 10; // a second: the refused come back, but do not exhaust the ephemeral ports
            }
        }

        void run() {
            byte[] filler = new byte[CHUNK];
            Arrays.fill(filler, (byte) 'x');
            List<Slot> slots = new ArrayList<>();
            for (int i = 0; i < ATTACKERS; i++) {
                slots.add(new Slot());
            }
            long end = System.nanoTime() + FLOOD.toNanos();
            try {
                while (System.nanoTime() < end) {
                    long roundEnd = System.nanoTime() + ROUND.toNanos();
                    for (Slot s : slots) {
                        try {
                            if (s.channel == null) {
                                if (s.backoff > 0) {
                                    s.backoff--;
                                    continue;
                                }
                                s.open();
                            }
                            if (!s.step(filler)) {
                                closed.incrementAndGet();
                                s.close();
                            }
                        } catch (IOException e) {
                            // reset, refused or timed out: this attacker tries again next round
                            if (s.channel != null) {
                                closed.incrementAndGet();
                            }
                            s.close();
                        }
                        if (System.nanoTime() >= end) {
                            break;
                        }
                    }
                    // pacing, not synchronisation: the bodies trickle in
                    LockSupport.parkNanos(Math.max(0, roundEnd - System.nanoTime()));
                }
            } finally {
                slots.forEach(Slot::close);
            }
        }
    }

    /**
     * The bystander: a TCP echo round trip, a UDP echo round trip, {@code GET /health} on the admin port and
     * {@code GET /ip} on the HTTP listener, each with a {@value #PROBE_TIMEOUT_MILLIS} ms timeout, one round
     * after the other while the attack runs; also samples the budget in use.
     */
    private static final class Probes {
        private final ServerProcess server;
        private final AtomicLong rounds = new AtomicLong();
        private final LongAccumulator slowestTcp = new LongAccumulator(Math::max, 0);
        private final LongAccumulator slowestUdp = new LongAccumulator(Math::max, 0);
        private final LongAccumulator slowestHealth = new LongAccumulator(Math::max, 0);
        private final LongAccumulator slowestHttp = new LongAccumulator(Math::max, 0);
        private final LongAccumulator budgetPeak = new LongAccumulator(Math::max, 0);
        private final LongAccumulator directPeak = new LongAccumulator(Math::max, 0);
        private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        /**
         * GET /ip on the flooded listener itself: reported, not asserted during the flood (it shares the
         * attackers' connections' event loops, and a busy build machine can slow it past the timeout).
         */
        private final ConcurrentLinkedQueue<String> httpFailures = new ConcurrentLinkedQueue<>();
        private long sequence;

        Probes(ServerProcess server) {
            this.server = server;
        }

        /** Every probe once; throws when one fails. */
        void all() throws IOException {
            tcp();
            udp();
            health();
            http(server.http.get("http"));
        }

        void whileRunning(Thread attack, String listener) {
            long end = System.nanoTime() + FLOOD.plusSeconds(5).toNanos(); // bounded even if the attack hangs
            while (attack.isAlive() && System.nanoTime() < end) {
                long start = System.nanoTime();
                timed("tcp", slowestTcp, failures, this::tcp);
                timed("udp", slowestUdp, failures, this::udp);
                timed("health", slowestHealth, failures, this::health);
                timed("http", slowestHttp, httpFailures, () -> http(server.http.get("http")));
                if (rounds.incrementAndGet() % 5 == 0) {
                    try {
                        PrometheusText m = server.scrape();
                        budgetPeak.accumulate((long) budgetInUse(m, listener));
                        directPeak.accumulate((long) (m.value("jvm_buffer_memory_used_bytes", "id", "direct")
                                + m.sum("netty_direct_memory_used_bytes")));
                    } catch (IOException | RuntimeException e) {
                        failures.add("metrics: " + e);
                    }
                }
                // pacing: about ten probe rounds a second
                LockSupport.parkNanos(Math.max(0, start + 100_000_000L - System.nanoTime()));
            }
        }

        private interface Probe {
            void run() throws IOException;
        }

        private void timed(String name, LongAccumulator slowest, ConcurrentLinkedQueue<String> failed, Probe probe) {
            long start = System.nanoTime();
            try {
                probe.run();
            } catch (IOException | RuntimeException e) {
                failed.add(name + " at round " + rounds.get() + ": " + e);
            }
            slowest.accumulate((System.nanoTime() - start) / 1_000_000);
        }

        private static Socket connect(int port) throws IOException {
            Socket s = new Socket();
            s.connect(new InetSocketAddress("127.0.0.1", port), PROBE_TIMEOUT_MILLIS);
            s.setSoTimeout(PROBE_TIMEOUT_MILLIS);
            return s;
        }

        void tcp() throws IOException {
            try (Socket s = connect(server.tcpPort())) {
                byte[] line = ("bystander " + sequence++ + "\n").getBytes(StandardCharsets.US_ASCII);
                s.getOutputStream().write(line);
                byte[] back = s.getInputStream().readNBytes(line.length);
                if (!Arrays.equals(back, line)) {
                    throw new IOException("TCP echo answered " + new String(back, StandardCharsets.US_ASCII));
                }
            }
        }

        void udp() throws IOException {
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                s.setSoTimeout(PROBE_TIMEOUT_MILLIS);
                byte[] hello = ("bystander " + sequence++).getBytes(StandardCharsets.US_ASCII);
                s.send(new DatagramPacket(hello, hello.length, new InetSocketAddress("127.0.0.1", server.udp.get(0))));
                DatagramPacket reply = new DatagramPacket(new byte[256], 256);
                try {
                    s.receive(reply);
                } catch (SocketTimeoutException e) {
                    throw new IOException("no UDP echo within " + PROBE_TIMEOUT_MILLIS + " ms");
                }
                if (!Arrays.equals(Arrays.copyOf(reply.getData(), reply.getLength()), hello)) {
                    throw new IOException("UDP echo answered something else");
                }
            }
        }

        void health() throws IOException {
            String response = exchange(server.admin, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            if (!response.startsWith("HTTP/1.1 200 ")) {
                throw new IOException("/health answered " + response.lines().findFirst().orElse("nothing"));
            }
        }

        void http(int port) throws IOException {
            String response = exchange(port, "GET /ip HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            if (!response.startsWith("HTTP/1.1 200 ")) {
                throw new IOException("GET /ip answered " + response.lines().findFirst().orElse("nothing"));
            }
        }

        String post(int port, String body) throws IOException {
            String response = exchange(port, "POST /post HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body);
            assertThat(response).startsWith("HTTP/1.1 200 ");
            return response;
        }

        private static String exchange(int port, String request) throws IOException {
            try (Socket s = connect(port)) {
                s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (SocketTimeoutException e) {
                throw new IOException("no answer within " + PROBE_TIMEOUT_MILLIS + " ms");
            }
        }
    }
}
