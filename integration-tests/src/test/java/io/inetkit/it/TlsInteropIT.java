package io.inetkit.it;

import io.inetkit.testing.TestPki;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * TLS against software no one here wrote, on loopback: {@code openssl s_client} against inetkit's TLS echo,
 * {@code inetkit client --tls} and {@code inetkit load --tls} through stunnel in front of a plain echo, curl
 * against {@code --https}; and the packaged server's SIGHUP rotation and its refusal of an expired
 * certificate. Each interop test is skipped, saying why, where its program is missing ({@code .ci/run}
 * installs openssl, stunnel4 and curl).
 */
class TlsInteropIT {

    @TempDir
    Path dir;
    private final List<AutoCloseable> running = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    private static String which(String program) {
        for (String d : List.of("/usr/bin", "/usr/sbin", "/usr/local/bin", "/bin")) {
            if (Files.isExecutable(Path.of(d, program))) {
                return Path.of(d, program).toString();
            }
        }
        return null;
    }

    private static String require(String program, String apt) {
        String path = which(program);
        assumeTrue(path != null, program + " is not installed (Debian: apt-get install " + apt + "); skipped");
        return path;
    }

    private ServerProcess server(String... args) throws IOException {
        ServerProcess s = ServerProcess.start(args);
        running.add(s);
        return s;
    }

    /** Runs a program to its end with {@code stdin}; its exit code, stdout and stderr. */
    private record Ran(int exit, String out, String err) {
    }

    private Ran run(String stdin, String... command) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not end; stderr: " + Files.readString(err));
        }
        return new Ran(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /**
     * s_client with {@code stdin} written and kept open until {@code expected} bytes came back (at the end of
     * its input s_client closes at once, before the echo could arrive): what it printed.
     */
    private String sClient(String stdin, int expected, String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try {
                p.getInputStream().transferTo(new java.io.OutputStream() {
                    @Override
                    public void write(int b) {
                        synchronized (got) {
                            got.write(b);
                        }
                    }
                });
            } catch (IOException e) {
                // the process ended
            }
        });
        reader.start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().flush();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                synchronized (got) {
                    return got.size() >= expected;
                }
            });
        } finally {
            p.getOutputStream().close();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            reader.join(10_000);
        }
        synchronized (got) {
            return got.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void opensslSClientTalksToTheTlsEchoOnEveryFramingWithTls12And13AndNothingOlder() throws Exception {
        String openssl = require("openssl", "openssl");
        TestPki pki = TestPki.create(dir);
        TestPki.ServerFiles files = pki.server("server");
        ServerProcess s = server("--tcp", "0:line:tls", "--tcp", "0:tls", "--tcp", "0:delimiter:;:tls",
                "--tls-cert", files.certificate().toString(), "--tls-key", files.key().toString());
        for (String version : List.of("-tls1_3", "-tls1_2")) {
            String lines = "hello over TLS\nsecond line\n";
            assertThat(sClient(lines, lines.length(), openssl, "s_client", "-connect",
                    "127.0.0.1:" + s.tcpPort("line:8192, TLS"), "-CAfile", pki.caPem().toString(), "-verify_return_error",
                    "-servername", "localhost", version, "-quiet", "-no_ign_eof")).isEqualTo(lines);
        }
        assertThat(sClient("raw bytes, no framing", 21, openssl, "s_client", "-connect", "127.0.0.1:"
                + s.tcpPort("raw, TLS"), "-CAfile", pki.caPem().toString(), "-verify_return_error", "-quiet",
                "-no_ign_eof")).isEqualTo("raw bytes, no framing");
        assertThat(sClient("a;b;", 4, openssl, "s_client", "-connect", "127.0.0.1:" + s.tcpPort("delimiter:;:8192, TLS"),
                "-CAfile", pki.caPem().toString(), "-verify_return_error", "-quiet", "-no_ign_eof")).isEqualTo("a;b;");
        Ran old = run("", openssl, "s_client", "-connect", "127.0.0.1:" + s.tcpPort("line:8192, TLS"), "-tls1_1",
                "-CAfile", pki.caPem().toString());
        assertThat(old.exit()).as("TLS 1.1 refused").isNotZero();
        // mutual TLS is covered with the JDK's client in TlsListenerTest; here, s_client's view of the cipher
        Ran brief = run("", openssl, "s_client", "-connect", "127.0.0.1:" + s.tcpPort("line:8192, TLS"), "-brief",
                "-CAfile", pki.caPem().toString(), "-tls1_2");
        assertThat(brief.err()).containsPattern("Ciphersuite: ECDHE-ECDSA-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void inetkitClientAndLoadSpeakTlsToStunnelInFrontOfAPlainEcho() throws Exception {
        String stunnel = which("stunnel4") != null ? which("stunnel4") : require("stunnel", "stunnel4");
        TestPki pki = TestPki.create(dir);
        TestPki.ServerFiles files = pki.server("server");
        ServerProcess plain = server("--tcp", "0:line");
        int port = freePort();
        Path conf = dir.resolve("stunnel.conf");
        Files.writeString(conf, "foreground = yes\npid =\n[echo]\naccept = 127.0.0.1:" + port + "\nconnect = 127.0.0.1:"
                + plain.tcpPort() + "\ncert = " + files.certificate() + "\nkey = " + files.key() + "\n");
        Process tunnel = new ProcessBuilder(stunnel, conf.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stunnel.log").toFile()).start();
        running.add(tunnel::destroyForcibly);
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
            new java.net.Socket("127.0.0.1", port).close();
            return true;
        });
        try (Program client = Program.start("client", "--tls", "--cacert", pki.caPem().toString(), "localhost",
                String.valueOf(port), "--framing", "line", "--message", "through stunnel", "-c", "3")) {
            assertThat(client.awaitExit(Duration.ofSeconds(30))).as(String.join("\n", client.stderr())).isZero();
            assertThat(client.stdout()).anyMatch(l -> l.contains("3/3 echoes matched"));
        }
        try (Program untrusted = Program.start("client", "--tls", "localhost", String.valueOf(port), "--framing",
                "line", "--message", "hi")) {
            assertThat(untrusted.awaitExit(Duration.ofSeconds(30))).isEqualTo(6);
        }
        Path json = dir.resolve("load.json");
        try (Program load = Program.start("load", "--tls", "--cacert", pki.caPem().toString(), "localhost",
                String.valueOf(port), "--framing", "line", "-c", "4", "-d", "2s", "-w", "0s", "--reconnect", "5", "-q",
                "--json", json.toString())) {
            assertThat(load.awaitExit(Duration.ofSeconds(60))).as(String.join("\n", load.stderr())).isZero();
        }
        String report = Files.readString(json);
        assertThat(report).contains("\"handshake\"").contains("\"tls-handshake\" : 0");
    }

    @Test
    void curlGetsJsonFromHttpsOverHttp11AndHttp2() throws Exception {
        String curl = require("curl", "curl");
        TestPki pki = TestPki.create(dir);
        TestPki.ServerFiles files = pki.server("server");
        ServerProcess s = server("--https", "0", "--tls-cert", files.certificate().toString(), "--tls-key",
                files.key().toString());
        int port = s.http.get("https");
        Ran h1 = run("", curl, "-sS", "--http1.1", "--cacert", pki.caPem().toString(), "https://localhost:" + port + "/get?a=1");
        assertThat(h1.exit()).as(h1.err()).isZero();
        assertThat(h1.out()).contains("\"a\": \"1\"");
        Ran h2 = run("", curl, "-sS", "--http2", "-o", "/dev/null", "-w", "%{http_version}", "--cacert",
                pki.caPem().toString(), "https://localhost:" + port + "/status/204");
        assertThat(h2.exit()).as(h2.err()).isZero();
        assertThat(h2.out()).isEqualTo("2");
        Ran untrusted = run("", curl, "-sS", "https://localhost:" + port + "/get");
        assertThat(untrusted.exit()).isEqualTo(60); // curl: peer certificate cannot be authenticated
    }

    private static String subject(SSLSocket s) throws IOException {
        return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
    }

    private static SSLSocket connect(Path ca, int port) throws Exception {
        SSLContext context = ((JdkSslContext) SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                .trustManager(ca.toFile()).build()).context();
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        s.setSoTimeout(10_000);
        s.startHandshake();
        return s;
    }

    private static String echo(SSLSocket s, String line) throws IOException {
        s.getOutputStream().write(line.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        byte[] got = new byte[line.length()];
        int n = 0;
        while (n < got.length) {
            int r = s.getInputStream().read(got, n, got.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return new String(got, 0, n, StandardCharsets.US_ASCII);
    }

    @Test
    void sighupRotatesTheCertificateWhileAConnectionStaysOpenAcrossIt() throws Exception {
        TestPki pki = TestPki.create(dir);
        TestPki.ServerFiles first = pki.named("first", "first", "localhost");
        TestPki.ServerFiles second = pki.named("second", "second", "localhost");
        Path cert = dir.resolve("live.pem");
        Path key = dir.resolve("live.key");
        Files.copy(first.certificate(), cert);
        Files.copy(first.key(), key);
        ServerProcess s = server("--tcp", "0:line:tls", "--tls-cert", cert.toString(), "--tls-key", key.toString(),
                "--tls-reload-check", "0");
        int port = s.tcpPort();
        try (SSLSocket open = connect(pki.caPem(), port)) {
            assertThat(subject(open)).isEqualTo("CN=first");
            assertThat(echo(open, "before\n")).isEqualTo("before\n");
            Files.copy(second.certificate(), cert, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(second.key(), key, StandardCopyOption.REPLACE_EXISTING);
            Process hup = new ProcessBuilder("kill", "-HUP", String.valueOf(s.pid())).inheritIO().start();
            assertThat(hup.waitFor()).isZero();
            s.program.awaitStderr("TLS certificates reloaded", Duration.ofSeconds(20));
            try (SSLSocket fresh = connect(pki.caPem(), port)) {
                assertThat(subject(fresh)).isEqualTo("CN=second");
            }
            assertThat(echo(open, "after the rotation\n")).isEqualTo("after the rotation\n");
            assertThat(s.program.process.isAlive()).isTrue();
        }
    }

    @Test
    void anExpiredCertificateEndsTheStartWithExit1NamingTheFileAndTheDate() throws Exception {
        TestPki pki = TestPki.create(dir);
        TestPki.ServerFiles expired = pki.expired("expired");
        try (Program p = Program.start("server", "--tcp", "0:line:tls", "--tls-cert", expired.certificate().toString(),
                "--tls-key", expired.key().toString(), "--admin", "off")) {
            assertThat(p.awaitExit(Duration.ofSeconds(30))).isEqualTo(1);
            assertThat(p.stderr()).filteredOn(l -> l.contains("expired on")).singleElement().asString()
                    .contains(expired.certificate().toString()).containsPattern("expired on \\d{4}-\\d\\d-\\d\\dT");
            assertThat(String.join("\n", p.stderr())).doesNotContain("\tat ");
        }
    }
}
