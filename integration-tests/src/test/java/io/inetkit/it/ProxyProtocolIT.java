package io.inetkit.it;

import io.inetkit.testing.TestPki;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The PROXY protocol against software no one here wrote, on loopback. Real HAProxy (Debian's {@code haproxy}),
 * both ways round: in front of {@code inetkit server} with {@code send-proxy} and {@code send-proxy-v2}, where the
 * server must see each connection's real source; and with {@code accept-proxy}, reading the headers
 * {@code inetkit load --proxy-protocol v2} sends. And nginx's stream proxy with {@code proxy_protocol on}. Each
 * test is skipped, saying why, where its program is not installed ({@code .ci/run} installs both).
 */
class ProxyProtocolIT {

    private static final List<String> HAPROXY_PATHS = List.of("/usr/sbin/haproxy", "/usr/bin/haproxy",
            "/usr/local/sbin/haproxy");
    private static final List<String> NGINX_PATHS = List.of("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx");
    /** Debian's {@code libnginx-mod-stream}; nginx loads it by path. */
    private static final List<String> NGINX_STREAM_MODULES = List.of("/usr/lib/nginx/modules/ngx_stream_module.so",
            "/usr/lib64/nginx/modules/ngx_stream_module.so");
    private static String binary;

    @TempDir
    Path dir;
    private final List<AutoCloseable> running = new ArrayList<>();

    private static String find(List<String> paths) {
        return paths.stream().filter(p -> Files.exists(Path.of(p))).findFirst().orElse(null);
    }

    private static void requireHaproxy() {
        binary = find(HAPROXY_PATHS);
        assumeTrue(binary != null, "haproxy is not installed (Debian: apt-get install haproxy); the haproxy checks"
                + " are skipped");
    }

    @AfterEach
    void stopAll() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** HAProxy in the foreground with {@code body} after a minimal global and defaults section. */
    private void haproxy(String body, int... frontends) throws IOException {
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, """
                global
                    maxconn 1000
                defaults
                    mode tcp
                    timeout connect 5s
                    timeout client 30s
                    timeout server 30s
                """ + body);
        Process p = new ProcessBuilder(binary, "-db", "-f", cfg.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("haproxy.log").toFile()).start();
        running.add(() -> {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        });
        for (int port : frontends) {
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
                assertThat(p.isAlive()).as("haproxy exited: " + Files.readString(dir.resolve("haproxy.log"))).isTrue();
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                    return true;
                }
            });
        }
    }

    private ServerProcess server(String... args) throws IOException {
        ServerProcess s = ServerProcess.start(args);
        running.add(s);
        return s;
    }

    /** A connection to HAProxy's {@code port} from {@code source}, a loopback address of the test's choosing. */
    private Socket connect(String source, int port) throws IOException {
        Socket s = new Socket();
        running.add(s);
        s.bind(new InetSocketAddress(source, 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(10_000);
        return s;
    }

    private static boolean echoes(Socket s, String line) throws IOException {
        s.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        try {
            byte[] back = s.getInputStream().readNBytes(line.length() + 1);
            return new String(back, StandardCharsets.US_ASCII).equals(line + "\n");
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no echo and no close through haproxy", e);
        } catch (IOException reset) {
            return false;
        }
    }

    @Test
    void sendProxyAndSendProxyV2InFrontOfTheServerCountTheRealSource() throws Exception {
        requireHaproxy();
        ServerProcess server = server("--tcp", "0:line:proxy", "--http", "0:proxy", "--max-connections-per-ip", "2",
                "--log-level", "debug");
        int echo = server.tcpPort("line:8192, PROXY header");
        int http = server.http.get("http");
        int v1 = freePort();
        int v2 = freePort();
        int web = freePort();
        haproxy("""
                frontend echo_v1
                    bind 127.0.0.1:%d
                    default_backend inetkit_v1
                backend inetkit_v1
                    server inetkit 127.0.0.1:%d send-proxy
                frontend echo_v2
                    bind 127.0.0.1:%d
                    default_backend inetkit_v2
                backend inetkit_v2
                    server inetkit 127.0.0.1:%d send-proxy-v2
                frontend web
                    bind 127.0.0.1:%d
                    default_backend inetkit_http
                backend inetkit_http
                    server inetkit 127.0.0.1:%d send-proxy-v2
                """.formatted(v1, echo, v2, echo, web, http), v1, v2, web);

        // every connection reaches the server from haproxy's 127.0.0.1; the headers name 127.0.0.10 and 127.0.0.11
        Socket first = connect("127.0.0.10", v1);
        assertThat(echoes(first, "one")).isTrue();
        Socket second = connect("127.0.0.10", v2);
        assertThat(echoes(second, "two")).isTrue();
        assertThat(echoes(connect("127.0.0.10", v1), "three")).as("the third from 127.0.0.10: over the limit").isFalse();
        assertThat(echoes(connect("127.0.0.11", v2), "another client")).isTrue();

        String listener = "tcp/" + echo;
        await().atMost(Duration.ofSeconds(5)).until(() -> server.scrape().value("inetkit_connections_rejected_total",
                "listener", listener, "reason", "max_connections_per_ip") == 1);
        // (the accepted total also counts haproxy's readiness probes above, from 127.0.0.1: the log says who)
        assertThat(server.log()).filteredOn(l -> l.contains(listener + " /127.0.0.10:") && l.contains("accepted via /127.0.0.1:"))
                .hasSize(2);
        assertThat(server.log()).filteredOn(l -> l.contains(listener + " /127.0.0.11:") && l.contains("(v2 TCP4"))
                .hasSize(1);

        first.close(); // its slot goes back: 127.0.0.10 is served again
        await().atMost(Duration.ofSeconds(5)).until(() -> echoes(connect("127.0.0.10", v2), "again"));

        Socket get = connect("127.0.0.12", web);
        get.getOutputStream().write("GET /ip HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        get.getInputStream().transferTo(answer);
        assertThat(answer.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200")
                .contains("\"origin\": \"127.0.0.12\"");
    }

    /**
     * The other way round: HAProxy {@code accept-proxy} reads the v2 headers of {@code inetkit load} and passes
     * each synthetic client on with {@code send-proxy-v2}; the server allows one connection per client address,
     * so all 50 are served only if each header named another client and HAProxy understood every one.
     */
    @Test
    void loadWithProxyV2ThroughHaproxyAcceptProxy() throws Exception {
        requireHaproxy();
        ServerProcess server = server("--tcp", "0:line:proxy", "--max-connections-per-ip", "1");
        int echo = server.tcpPort("line:8192, PROXY header");
        int front = freePort();
        haproxy("""
                frontend from_load
                    bind 127.0.0.1:%d accept-proxy
                    default_backend inetkit
                backend inetkit
                    server inetkit 127.0.0.1:%d send-proxy-v2
                """.formatted(front, echo), front);

        try (Program load = Program.start("load", "127.0.0.1", String.valueOf(front), "--framing", "line", "-c", "50",
                "--duration", "1s", "--warmup", "0s", "-t", "1", "--quiet", "--proxy-protocol", "v2",
                "--proxy-sources", "10.0.0.0/16")) {
            // exit 0: every connection up and every echo matched (--max-errors 0)
            assertThat(load.awaitExit(Duration.ofSeconds(60))).as(String.join("\n", load.stderr())).isZero();
            assertThat(load.stdout()).anyMatch(l -> l.contains("50"));
        }
        String listener = "tcp/" + echo;
        assertThat(server.scrape().value("inetkit_connections_accepted_total", "listener", listener)).isEqualTo(50);
        assertThat(server.scrape().value("inetkit_connections_rejected_total", "listener", listener,
                "reason", "max_connections_per_ip")).isZero();
    }

    /**
     * HAProxy terminates TLS and passes what it saw on as v2 TLVs (ALPN, authority: the SNI, and the SSL TLV with
     * the TLS version and cipher), which the server shows at DEBUG.
     */
    @Test
    void haproxyTerminatingTlsSendsTheTlvsTheServerLogs() throws Exception {
        requireHaproxy();
        TestPki.ServerFiles cert = TestPki.create(dir).server("haproxy");
        Path pem = dir.resolve("haproxy-crt.pem");
        Files.writeString(pem, Files.readString(cert.certificate()) + Files.readString(cert.key()));
        ServerProcess server = server("--tcp", "0:line:proxy", "--log-level", "debug");
        int echo = server.tcpPort("line:8192, PROXY header");
        int front = freePort();
        haproxy("""
                frontend tls
                    bind 127.0.0.1:%d ssl crt %s alpn http/1.1
                    default_backend inetkit
                backend inetkit
                    server inetkit 127.0.0.1:%d send-proxy-v2 proxy-v2-options ssl,ssl-cipher,authority
                """.formatted(front, pem, echo), front);

        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, InsecureTrustManagerFactory.INSTANCE.getTrustManagers(), null);
        try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket()) {
            SSLParameters p = s.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName("localhost")));
            p.setApplicationProtocols(new String[] {"http/1.1"});
            s.setSSLParameters(p);
            s.bind(new InetSocketAddress("127.0.0.30", 0));
            s.connect(new InetSocketAddress("127.0.0.1", front), 5000);
            s.setSoTimeout(10_000);
            assertThat(echoes(s, "over tls")).isTrue();
        }
        String listener = "tcp/" + echo;
        // the server logs the accept on its event loop: the line may follow the echo by a moment
        String accepted = await().atMost(Duration.ofSeconds(10)).until(() -> server.log().stream()
                .filter(l -> l.contains(listener + " /127.0.0.30:")).findFirst(), java.util.Optional::isPresent).orElseThrow();
        assertThat(accepted).contains("accepted via /127.0.0.1:", "(v2 TCP4 alpn=http/1.1 authority=localhost ssl(tls",
                "version=TLSv1.", "cipher=");
    }

    /** nginx's stream proxy, {@code proxy_protocol on} (v1): the per-IP limit holds per real source. */
    @Test
    void nginxStreamProxyProtocolInFrontOfTheServer() throws Exception {
        String nginx = find(NGINX_PATHS);
        assumeTrue(nginx != null, "nginx is not installed (Debian: apt-get install nginx); the nginx check is skipped");
        String module = find(NGINX_STREAM_MODULES);
        assumeTrue(module != null, "nginx has no stream module (Debian: apt-get install libnginx-mod-stream); the"
                + " nginx check is skipped");
        ServerProcess server = server("--tcp", "0:line:proxy", "--max-connections-per-ip", "1", "--log-level", "debug");
        int echo = server.tcpPort("line:8192, PROXY header");
        int front = freePort();
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, """
                load_module %s;
                worker_processes 1;
                pid %s;
                events { worker_connections 64; }
                stream {
                    server {
                        listen 127.0.0.1:%d;
                        proxy_pass 127.0.0.1:%d;
                        proxy_protocol on;
                    }
                }
                """.formatted(module, dir.resolve("nginx.pid"), front, echo));
        Process p = new ProcessBuilder(nginx, "-p", dir.toString(), "-c", conf.toString(), "-e",
                dir.resolve("error.log").toString(), "-g", "daemon off;").redirectErrorStream(true)
                .redirectOutput(dir.resolve("nginx.out").toFile()).start();
        running.add(() -> {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        });
        // nginx connects to the server only once a client has; so the first real connection is the probe
        Socket first = await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            assertThat(p.isAlive()).as("nginx exited: " + Files.readString(dir.resolve("nginx.out"))).isTrue();
            return connect("127.0.0.20", front);
        }, s -> s.isConnected());
        assertThat(echoes(first, "one")).isTrue();
        assertThat(echoes(connect("127.0.0.20", front), "two")).as("a second from 127.0.0.20: over the limit").isFalse();
        assertThat(echoes(connect("127.0.0.21", front), "another client")).isTrue();

        String listener = "tcp/" + echo;
        await().atMost(Duration.ofSeconds(5)).until(() -> server.scrape().value("inetkit_connections_rejected_total",
                "listener", listener, "reason", "max_connections_per_ip") == 1);
        assertThat(server.log()).filteredOn(l -> l.contains(listener + " /127.0.0.20:") && l.contains("(v1 TCP4)"))
                .hasSize(1);
    }
}
