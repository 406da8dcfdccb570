package io.inetkit.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bodies far larger than the client's whole heap: a 1 GiB download and an endless chunked stream with a
 * 48 MiB heap (and as much direct memory). Buffering either would end in OutOfMemoryError.
 */
class MemoryBoundIT {

    private static final long GIB = 1024L * 1024 * 1024;

    private static List<String> smallHeap() {
        List<String> options = new ArrayList<>(JarRun.launcherOptions());
        options.add("-Xmx48m");
        options.add("-XX:MaxDirectMemorySize=48m");
        return options;
    }

    @Test
    void oneGibDownloadToAFileWithA48MibHeap() throws Exception {
        // a plain-socket server: the test JVM's paranoid leak detector would make a Netty one crawl
        byte[] block = new byte[64 * 1024];
        new java.util.Random(3).nextBytes(block);
        try (TinyServer server = TinyServer.start(s -> {
            TinyServer.readHead(s.getInputStream());
            TinyServer.write(s, "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                    + GIB + "\r\n\r\n");
            for (long sent = 0; sent < GIB; sent += block.length) {
                s.getOutputStream().write(block);
            }
        })) {
            long start = System.nanoTime();
            JarRun r = JarRun.run(smallHeap(), 300, "-o", "/dev/null", "-w", "%{size_download} %{speed_download}",
                    server.url("/gib"));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(r.exitCode).as(r.toString()).isZero();
            String[] w = r.out().split(" ");
            assertThat(Long.parseLong(w[0])).isEqualTo(GIB);
            System.out.printf("1 GiB through a 48 MiB heap in %.1f s (%s MB/s by -w)%n", seconds,
                    Long.parseLong(w[1]) / 1_000_000);
        }
    }

    @Test
    void endlessChunkedBodyWithA48MibHeapEndsAtMaxTime() throws Exception {
        byte[] chunk = ("10000\r\n" + "z".repeat(0x10000) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        try (TinyServer server = TinyServer.start(s -> {
            TinyServer.readHead(s.getInputStream());
            TinyServer.write(s, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (System.nanoTime() < deadline) {
                s.getOutputStream().write(chunk);
            }
        })) {
            JarRun r = JarRun.run(smallHeap(), 120, "-m", "4", "-o", "/dev/null", "-w", "%{size_download}",
                    server.url("/endless"));
            assertThat(r.exitCode).as(r.toString()).isEqualTo(28);
            assertThat(Long.parseLong(r.out())).as("bytes streamed before -m").isGreaterThan(50_000_000L);
            assertThat(r.stderr).startsWith("inetkit http: (28) Operation timed out after");
        }
    }
}
