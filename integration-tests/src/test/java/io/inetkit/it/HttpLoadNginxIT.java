package io.inetkit.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The packaged {@code inetkit load http://} against nginx, a server no one here wrote: HTTP/1.1 one at a time and
 * pipelined, HTTP/2 with prior knowledge (nginx's {@code listen ... http2}), closed and open loop, every body's
 * length verified, and nginx's 404 counted as the error it is; and behind a server that ends every connection
 * after 20 requests (Connection: close, GOAWAY), where a new connection takes each slot and no request is lost.
 */
class HttpLoadNginxIT {

    private static final List<String> NGINX_PATHS = List.of("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx");
    private static final int SIZE = 612;

    @TempDir
    Path dir;
    private Process nginx;

    @AfterEach
    void stop() throws InterruptedException {
        if (nginx != null) {
            nginx.destroy();
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                nginx.destroyForcibly();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private JsonNode load(String... args) throws Exception {
        Path json = dir.resolve("r" + System.nanoTime() + ".json");
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--json";
        all[args.length + 1] = json.toString();
        try (Program p = Program.start("load", all)) {
            int exit = p.awaitExit(Duration.ofSeconds(60));
            JsonNode r = Files.exists(json) ? new ObjectMapper().readTree(Files.readString(json)) : null;
            return new ObjectMapper().createObjectNode().put("exit", exit).put("stderr", String.join("\n", p.stderr()))
                    .set("result", r);
        }
    }

    @Test
    void everyModeAgainstNginxVerifiesEveryBody() throws Exception {
        String bin = NGINX_PATHS.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse(null);
        assumeTrue(bin != null, "nginx is not installed (Debian: apt-get install nginx-light); skipped");
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.write(www.resolve("small.txt"), "x".repeat(SIZE).getBytes());
        int h1 = freePort();
        int h2 = freePort();
        int shortH1 = freePort();
        int shortH2 = freePort();
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, """
                worker_processes 1;
                pid %s;
                events { worker_connections 256; }
                http {
                    access_log off;
                    keepalive_requests 1000000;
                    server {
                        listen 127.0.0.1:%d;
                        listen 127.0.0.1:%d http2;
                        root %s;
                    }
                    server {
                        # Connection: close (HTTP/1.1) and GOAWAY (HTTP/2) after 20 requests, as nginx's default
                        # does after 1,000
                        listen 127.0.0.1:%d;
                        listen 127.0.0.1:%d http2;
                        keepalive_requests 20;
                        root %s;
                    }
                }
                """.formatted(dir.resolve("nginx.pid"), h1, h2, www, shortH1, shortH2, www));
        dir.toFile().setExecutable(true, false); // nginx's worker may run as another user and must reach www
        www.toFile().setExecutable(true, false);
        nginx = new ProcessBuilder(bin, "-p", dir.toString(), "-c", conf.toString(), "-e",
                dir.resolve("error.log").toString(), "-g", "daemon off;").redirectErrorStream(true)
                .redirectOutput(dir.resolve("nginx.out").toFile()).start();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            assertThat(nginx.isAlive()).as("nginx exited: " + Files.readString(dir.resolve("nginx.out"))).isTrue();
            try (Socket s = new Socket("127.0.0.1", h1); Socket t = new Socket("127.0.0.1", h2)) {
                return true;
            }
        });
        String small = "http://127.0.0.1:%d/small.txt";
        String[][] modes = {
                {String.format(small, h1), "-c", "4", "-P", "1"},
                {String.format(small, h1), "-c", "4", "-P", "8"},
                {String.format(small, h2), "--http2-prior-knowledge", "-c", "2", "-P", "10"},
                {String.format(small, h1), "-c", "4", "-R", "500"},
                {String.format(small, h2), "--http2-prior-knowledge", "-c", "2", "-R", "500"},
                // the server ends each connection after 20 requests: a new one takes the slot, nothing is lost
                {String.format(small, shortH1), "-c", "2", "-P", "1"},
                {String.format(small, shortH1), "-c", "2", "-P", "4"},
                {String.format(small, shortH2), "--http2-prior-knowledge", "-c", "2", "-P", "10"},
                {String.format(small, shortH1), "-c", "2", "-R", "500"},
                {String.format(small, shortH2), "--http2-prior-knowledge", "-c", "2", "-R", "500"},
        };
        for (String[] mode : modes) {
            String[] common = {"-t", "1", "-d", "1s", "-w", "0", "-q", "--verify", "length:" + SIZE};
            String[] args = new String[mode.length + common.length];
            System.arraycopy(mode, 0, args, 0, mode.length);
            System.arraycopy(common, 0, args, mode.length, common.length);
            JsonNode out = load(args);
            assertThat(out.get("exit").asInt()).as(String.join(" ", mode) + ": " + out.get("stderr").asText()).isZero();
            JsonNode r = out.get("result");
            assertThat(r.get("messages").asLong()).as(String.join(" ", mode)).isPositive();
            assertThat(r.get("http").get("status").get("200").asLong()).isEqualTo(r.get("messages").asLong());
            assertThat(r.get("http").get("body_bytes").asLong()).isEqualTo(SIZE * r.get("messages").asLong());
            r.get("errors").fields().forEachRemaining(e -> assertThat(e.getValue().asLong()).as(e.getKey()).isZero());
            if (mode[mode.length - 2].equals("-R")) {
                assertThat(r.get("messages").asLong()).as("the open loop's rate").isBetween(450L, 550L);
            }
        }
        // nginx's own 404 is no success: counted, and the run fails
        JsonNode missing = load(String.format("http://127.0.0.1:%d/absent", h1), "-c", "1", "-d", "300ms", "-w", "0", "-q");
        assertThat(missing.get("exit").asInt()).isEqualTo(1);
        assertThat(missing.get("result").get("http").get("status").get("404").asLong()).isPositive();
        assertThat(missing.get("stderr").asText()).contains("FAILED");
    }
}
