package io.inetkit.server.admin;

import io.inetkit.server.testing.HttpWire;
import io.inetkit.server.testing.HttpWire.Answer;

import io.netty.channel.embedded.EmbeddedChannel;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin listener's whole pipeline ({@link AdminInitializer}) on random chunkings of pipelined
 * {@code /metrics} and {@code /health} requests and of hostile input. Each valid request gets one well-formed
 * HTTP/1.1 answer, in order, with its status (the metrics text as the body of {@code /metrics}). Hostile input
 * (random bytes, truncated requests, request lines and header blocks over the decoder's limits, requests over
 * {@value AdminInitializer#MAX_REQUEST} bytes, bad chunk sizes) lets no exception out; after the answers to the
 * requests before it comes at most one 4xx, and the connection is closed after it. The leak-check hook fails
 * any try that leaks a buffer.
 */
class AdminPipelineProperties {

    private static final String METRICS = "# TYPE inetkit_connections gauge\ninetkit_connections 3.0\n";
    /** Netty's {@code HttpObjectDecoder} defaults, which the admin codec keeps. */
    private static final int MAX_LINE = 4096;
    private static final int MAX_HEADER = 8192;

    private record Request(byte[] wire, int status, boolean head) {
    }

    private enum Hostile { RANDOM_BYTES, TRUNCATED, LONG_LINE, LONG_HEADERS, LARGE_BODY, BAD_CHUNK_SIZE }

    @Property(tries = 150)
    void answersEachPipelinedRequestOnceInOrder(@ForAll long seed, @ForAll boolean serving) {
        Random random = new Random(seed);
        List<Request> requests = new ArrayList<>();
        for (int i = random.nextInt(12); i > 0; i--) {
            requests.add(request(random, serving));
        }
        EmbeddedChannel ch = open(serving);
        try {
            HttpWire.sendInPieces(ch, concat(requests), random, 1024);
            ch.checkException();
            List<Answer> answers = HttpWire.answers(HttpWire.drain(ch, new ByteArrayOutputStream()), requests.stream().map(Request::head).toList());
            assertThat(answers).as("one answer per request").hasSize(requests.size());
            for (int i = 0; i < requests.size(); i++) {
                Answer a = answers.get(i);
                assertThat(a.wellFormed()).isTrue();
                assertThat(a.version()).isEqualTo("HTTP/1.1");
                assertThat(a.status()).as("status of answer %d", i).isEqualTo(requests.get(i).status());
                if (a.status() == 200 && !requests.get(i).head() && new String(requests.get(i).wire(),
                        StandardCharsets.US_ASCII).startsWith("GET /metrics")) {
                    assertThat(a.bodyText()).isEqualTo(METRICS);
                }
            }
            assertThat(ch.isOpen()).as("still open for the next request").isTrue();
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @Property(tries = 150)
    void hostileInputGetsAtMostOne4xxAndAClose(@ForAll long seed) {
        Random random = new Random(seed);
        Hostile hostile = Hostile.values()[random.nextInt(Hostile.values().length)];
        List<Request> before = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            before.add(request(random, true));
        }
        EmbeddedChannel ch = open(true);
        try {
            ByteArrayOutputStream in = new ByteArrayOutputStream();
            in.writeBytes(concat(before));
            in.writeBytes(hostile(hostile, random));
            HttpWire.sendInPieces(ch, in.toByteArray(), random, 1024);
            ch.checkException();
            boolean closedByServer = !ch.isOpen();
            ch.close(); // the client's EOF, for input the server still waits on
            ch.runPendingTasks();
            ch.checkException();
            List<Answer> answers = HttpWire.answers(HttpWire.drain(ch, new ByteArrayOutputStream()), before.stream().map(Request::head).toList());
            assertThat(answers.size()).as("answers to %s", hostile).isBetween(before.size(), before.size() + 1);
            for (int i = 0; i < before.size(); i++) {
                assertThat(answers.get(i).status()).isEqualTo(before.get(i).status());
            }
            if (answers.size() > before.size()) {
                Answer last = answers.get(before.size());
                assertThat(last.wellFormed()).isTrue();
                assertThat(last.status()).as("the answer to %s", hostile).isBetween(400, 499);
                assertThat(closedByServer).as("closed after the %d to %s", last.status(), hostile).isTrue();
            }
            switch (hostile) {
                case LONG_LINE, LONG_HEADERS, LARGE_BODY, BAD_CHUNK_SIZE -> {
                    assertThat(answers).as("one answer to %s", hostile).hasSize(before.size() + 1);
                    assertThat(answers.get(before.size()).status()).as("the answer to %s", hostile)
                            .isEqualTo(hostile == Hostile.LARGE_BODY ? 413 : 400);
                }
                case TRUNCATED -> assertThat(closedByServer).as("waits for the rest").isFalse();
                default -> {
                }
            }
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    private static EmbeddedChannel open(boolean serving) {
        return new EmbeddedChannel(new AdminInitializer(new AdminHandler(() -> METRICS, () -> serving)));
    }

    private static Request request(Random random, boolean serving) {
        return switch (random.nextInt(6)) {
            case 0, 1 -> get("GET", "/metrics", 200);
            case 2 -> get("GET", "/health", serving ? 200 : 503);
            case 3 -> random.nextBoolean()
                    ? new Request(ascii("HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n"), 200, true)
                    : new Request(ascii("HEAD /health HTTP/1.1\r\nHost: x\r\n\r\n"), serving ? 200 : 503, true);
            case 4 -> get("GET", "/nothing-here", 404);
            default -> get("POST", "/health", 405);
        };
    }

    private static Request get(String method, String path, int status) {
        return new Request(ascii(method + " " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"), status,
                false);
    }

    private static byte[] hostile(Hostile hostile, Random random) {
        return switch (hostile) {
            case RANDOM_BYTES -> {
                byte[] b = new byte[1 + random.nextInt(2 * MAX_LINE)];
                random.nextBytes(b);
                yield b;
            }
            case TRUNCATED -> {
                byte[] whole = request(random, true).wire();
                yield Arrays.copyOf(whole, 1 + random.nextInt(whole.length - 1));
            }
            case LONG_LINE -> ascii("GET /metrics?q=" + "a".repeat(MAX_LINE + random.nextInt(MAX_LINE))
                    + " HTTP/1.1\r\nHost: x\r\n\r\n");
            case LONG_HEADERS -> {
                StringBuilder h = new StringBuilder("GET /metrics HTTP/1.1\r\nHost: x\r\n");
                // well past the limit: the decoder counts only the header lines, and a bound drawn anew on
                // each turn could stop the block a few bytes over MAX_HEADER by our count but under it by its
                int target = 2 * MAX_HEADER + random.nextInt(MAX_HEADER);
                for (int i = 0; h.length() <= target; i++) {
                    h.append("X-Filler-").append(i).append(": ").append("v".repeat(random.nextInt(200))).append("\r\n");
                }
                yield ascii(h.append("\r\n").toString());
            }
            case LARGE_BODY -> {
                int n = AdminInitializer.MAX_REQUEST + 1 + random.nextInt(AdminInitializer.MAX_REQUEST);
                byte[] body = new byte[n];
                random.nextBytes(body);
                yield concat(ascii("POST /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: " + n
                        + "\r\n\r\n"), body);
            }
            case BAD_CHUNK_SIZE -> ascii("POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + (random.nextBoolean() ? "zz" : "f".repeat(17 + random.nextInt(8))) + "\r\nabc\r\n0\r\n\r\n");
        };
    }

    private static byte[] concat(List<Request> requests) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        requests.forEach(r -> b.writeBytes(r.wire()));
        return b.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] ab = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, ab, a.length, b.length);
        return ab;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
