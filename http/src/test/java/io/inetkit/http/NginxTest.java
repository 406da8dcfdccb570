package io.inetkit.http;

import io.inetkit.testing.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The client against a real nginx that this test configures and starts on loopback ports (HTTP, and
 * HTTPS with HTTP/2 and a certificate from a test CA). Skipped, with the reason, only where nginx is not
 * installed; a check that needs a module the installed nginx lacks is skipped naming the package that has it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NginxTest {

    private static final List<String> NGINX_PATHS = List.of("/usr/sbin/nginx", "/usr/local/sbin/nginx",
            "/usr/bin/nginx", "/usr/local/nginx/sbin/nginx");

    private Path dir;
    private TestPki pki;
    private Process nginx;
    private String configure;
    private int httpPort;
    private int httpsPort;
    private byte[] staticBytes;
    private String text;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        Path binary = NGINX_PATHS.stream().map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
        Assumptions.assumeTrue(binary != null, "nginx is not installed (Debian: apt-get install nginx); "
                + "the nginx checks are skipped");
        dir = tmp;
        configure = configureArguments(binary);
        pki = TestPki.create(dir);
        TestPki.ServerFiles cert = pki.server("nginx");
        Path www = Files.createDirectories(dir.resolve("www"));
        staticBytes = new byte[1024 * 1024 + 17];
        new Random(11).nextBytes(staticBytes);
        Files.write(www.resolve("static.bin"), staticBytes);
        text = "hello from nginx, a line of compressible text\n".repeat(2000);
        Files.writeString(www.resolve("text.txt"), text);
        Files.writeString(www.resolve("hello.txt"), "hello static\n");
        Files.createDirectories(dir.resolve("tmp"));
        for (int attempt = 1; ; attempt++) {
            httpPort = freePort();
            httpsPort = freePort();
            Files.writeString(dir.resolve("nginx.conf"), config(cert));
            nginx = new ProcessBuilder(binary.toString(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
                    "-e", dir.resolve("error.log").toString(), "-g", "daemon off;")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
            try {
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                        .until(() -> !nginx.isAlive() || (listening(httpPort) && listening(httpsPort)));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                nginx.destroyForcibly();
                throw new IllegalStateException("nginx did not start: " + log(), e);
            }
            if (nginx.isAlive()) {
                return;
            }
            if (attempt == 3) {
                throw new IllegalStateException("nginx exited at start: " + log());
            }
            // most likely a port another process took between freePort() and nginx's bind: try others
        }
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (nginx != null) {
            nginx.destroy(); // SIGTERM: nginx's fast shutdown
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                nginx.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private String config(TestPki.ServerFiles cert) {
        boolean root = "root".equals(System.getProperty("user.name"));
        boolean h2 = configure.contains("--with-http_v2_module");
        return String.join("\n",
                "worker_processes 1;",
                "pid " + dir.resolve("nginx.pid") + ";",
                "error_log " + dir.resolve("error.log") + " warn;",
                root ? "user root root;" : "# not root: workers run as this user",
                "events { worker_connections 64; }",
                "http {",
                "  access_log off;",
                "  client_body_temp_path " + dir.resolve("tmp/body") + ";",
                "  proxy_temp_path " + dir.resolve("tmp/proxy") + ";",
                "  fastcgi_temp_path " + dir.resolve("tmp/fastcgi") + ";",
                "  uwsgi_temp_path " + dir.resolve("tmp/uwsgi") + ";",
                "  scgi_temp_path " + dir.resolve("tmp/scgi") + ";",
                "  types { text/plain txt; application/octet-stream bin; }",
                "  default_type application/octet-stream;",
                "  gzip on; gzip_types text/plain; gzip_min_length 20;",
                "  server {",
                "    listen 127.0.0.1:" + httpPort + ";",
                "    listen 127.0.0.1:" + httpsPort + " ssl" + (h2 ? " http2" : "") + ";",
                "    ssl_certificate " + cert.certificate() + ";",
                "    ssl_certificate_key " + cert.key() + ";",
                "    root " + dir.resolve("www") + ";",
                "    location = /old { return 301 /hello.txt; }",
                configure.contains("--with-http_sub_module")
                        ? "    location /chunked/ { alias " + dir.resolve("www") + "/; sub_filter 'hello' 'HELLO'; "
                        + "sub_filter_once off; sub_filter_types text/plain; }" : "",
                "  }",
                "}", "");
    }

    private String http(String path) {
        return "http://127.0.0.1:" + httpPort + path;
    }

    private String https(String path) {
        return "https://127.0.0.1:" + httpsPort + path;
    }

    @Test
    void staticFileArrivesByteForByte(@TempDir Path out) throws IOException {
        Path file = out.resolve("static.bin");
        Run r = Run.http("-o", file.toString(), "-w", "%{http_code} %{size_download} %{content_type}",
                http("/static.bin"));
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(Files.readAllBytes(file)).isEqualTo(staticBytes);
        assertThat(r.out()).isEqualTo("200 " + staticBytes.length + " application/octet-stream");
    }

    @Test
    void gzipIsDecodedWithCompressedAndKeptWithout() throws IOException {
        Run decoded = Run.http("--compressed", "-w", "\n%{size_download}", http("/text.txt"));
        assertThat(decoded.exitCode).as(decoded.toString()).isZero();
        String out = decoded.out();
        long compressed = Long.parseLong(out.substring(out.lastIndexOf('\n') + 1));
        assertThat(out.substring(0, out.lastIndexOf('\n'))).isEqualTo(text);
        assertThat(compressed).as("bytes on the wire").isLessThan(text.length() / 10);

        Run kept = Run.http("-H", "Accept-Encoding: gzip", "-i", http("/text.txt"));
        String head = new String(kept.stdout, StandardCharsets.ISO_8859_1);
        assertThat(head).contains("Content-Encoding: gzip\r\n");
        int bodyStart = head.indexOf("\r\n\r\n") + 4;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(kept.stdout, bodyStart,
                kept.stdout.length - bodyStart))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(text);
        }
    }

    @Test
    void chunkedTransferIsDecodedAndShownRawWithRaw() {
        Assumptions.assumeTrue(configure.contains("--with-http_sub_module"), "this nginx lacks http_sub_module, "
                + "which the chunked response is made with (Debian's nginx / nginx-full have it)");
        Run decoded = Run.http("-i", http("/chunked/hello.txt"));
        assertThat(decoded.exitCode).as(decoded.toString()).isZero();
        assertThat(decoded.out()).contains("Transfer-Encoding: chunked\r\n").endsWith("\r\n\r\nHELLO static\n");
        Run raw = Run.http("--raw", http("/chunked/hello.txt"));
        assertThat(raw.out()).startsWith("HTTP/1.1 200 OK\r\n").contains("Transfer-Encoding: chunked\r\n")
                .endsWith("\r\n\r\nd\r\nHELLO static\n\r\n0\r\n\r\n");
    }

    @Test
    void redirectIsFollowedWithLocation() {
        Run plain = Run.http("-i", http("/old"));
        assertThat(plain.out()).startsWith("HTTP/1.1 301 Moved Permanently\r\n")
                .contains("Location: http://127.0.0.1:" + httpPort + "/hello.txt\r\n");
        Run followed = Run.http("-L", "-w", "|%{num_redirects}|%{url_effective}", http("/old"));
        assertThat(followed.exitCode).as(followed.toString()).isZero();
        assertThat(followed.out()).isEqualTo("hello static\n|1|" + http("/hello.txt"));
    }

    @Test
    void tlsIsVerifiedAgainstTheGivenCa() {
        Run trusted = Run.http("--cacert", pki.caPem().toString(), https("/hello.txt"));
        assertThat(trusted.exitCode).as(trusted.toString()).isZero();
        assertThat(trusted.out()).isEqualTo("hello static\n");
        Run byName = Run.http("--cacert", pki.caPem().toString(), "https://localhost:" + httpsPort + "/hello.txt");
        assertThat(byName.exitCode).as(byName.toString()).isZero();
        Run untrusted = Run.http(https("/hello.txt"));
        assertThat(untrusted.exitCode).isEqualTo(35);
        assertThat(untrusted.stderr).contains("not trusted");
        assertThat(Run.http("-k", https("/hello.txt")).exitCode).isZero();
    }

    @Test
    void http2OverTlsByAlpnAndConnectionReuse() {
        Assumptions.assumeTrue(configure.contains("--with-http_v2_module"), "this nginx lacks http_v2_module "
                + "(Debian's nginx, nginx-full and nginx-extras have it)");
        Run h2 = Run.http("--cacert", pki.caPem().toString(), "-w", "|%{http_version}|%{num_connects}\n",
                https("/hello.txt"), https("/static.bin"), https("/hello.txt"));
        assertThat(h2.exitCode).as(h2.toString()).isZero();
        String out = new String(h2.stdout, StandardCharsets.ISO_8859_1);
        assertThat(out).startsWith("hello static\n|2|1\n").endsWith("hello static\n|2|0\n");
        assertThat(h2.stdout.length).isEqualTo(2 * "hello static\n|2|1\n".length() + staticBytes.length + "|2|0\n".length());
        Run h1 = Run.http("--cacert", pki.caPem().toString(), "--http1.1", "-w", "|%{http_version}", https("/hello.txt"));
        assertThat(h1.out()).isEqualTo("hello static\n|1.1");
        Run head = Run.http("--cacert", pki.caPem().toString(), "-I", https("/hello.txt"));
        assertThat(head.out()).startsWith("HTTP/2 200\r\n").contains("server: nginx");
    }

    private static String configureArguments(Path binary) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(binary.toString(), "-V").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    private String log() throws IOException {
        Path log = dir.resolve("error.log");
        Path out = dir.resolve("nginx.out");
        return (Files.exists(log) ? Files.readString(log) : "") + (Files.exists(out) ? Files.readString(out) : "");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
