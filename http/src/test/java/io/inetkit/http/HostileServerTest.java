package io.inetkit.http;

import io.inetkit.http.connection.Connector;
import io.inetkit.http.output.Terminal;
import io.inetkit.server.tls.Tls;
import io.inetkit.testing.TestPki;
import io.inetkit.testing.TlsPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Servers that misbehave on purpose. Each must end in curl's exit code with one clear line, in bounded
 * time and without the client holding more than a buffer or two of what the server sends.
 */
class HostileServerTest {

    /** An output stream that counts and keeps nothing. */
    static final class CountingSink extends OutputStream {
        final AtomicLong count = new AtomicLong();

        @Override
        public void write(int b) {
            count.incrementAndGet();
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count.addAndGet(len);
        }
    }

    @Test
    void headersLargerThanTheLimitStopTheTransfer() throws Exception {
        AtomicLong sent = new AtomicLong();
        try (TinyServer server = TinyServer.start(s -> {
            TinyServer.readHead(s.getInputStream());
            TinyServer.write(s, "HTTP/1.1 200 OK\r\n");
            String junk = "a".repeat(1000);
            for (int i = 0; i < 100_000; i++) { // at most 100 MB, if the client never stopped reading
                TinyServer.write(s, "X-Junk-" + i + ": " + junk + "\r\n");
                sent.addAndGet(1012);
            }
        })) {
            Run r = Run.http(server.url("/"));
            assertThat(r.exitCode).as(r.toString()).isEqualTo(56);
            assertThat(r.stderr.trim()).isEqualTo("inetkit http: (56) Response header block larger than "
                    + ClientOptions.DEFAULT_MAX_HEADER_SIZE + " bytes: stopped reading");
            assertThat(r.stdout).isEmpty();
        }
        assertThat(sent.get()).as("the client stopped reading soon after the limit").isLessThan(20_000_000);
    }

    @Test
    void endlessChunkedBodyStreamsThroughUntilMaxTime() throws Exception {
        byte[] chunk = ("10000\r\n" + "x".repeat(0x10000) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        try (TinyServer server = TinyServer.start(s -> {
            TinyServer.readHead(s.getInputStream());
            TinyServer.write(s, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            long deadline = System.nanoTime() + 60_000_000_000L; // bounded even if the client hung
            while (System.nanoTime() < deadline) {
                s.getOutputStream().write(chunk);
            }
        })) {
            CountingSink sink = new CountingSink();
            long start = System.nanoTime();
            Run r = Run.into(sink, Connector.Resolver.SYSTEM, Terminal.NONE, "-m", "1.5", server.url("/endless"));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(r.exitCode).as(r.toString()).isEqualTo(28);
            assertThat(r.stderr).matches("(?s)inetkit http: \\(28\\) Operation timed out after \\d+ milliseconds with \\d+ bytes received\\s*");
            assertThat(sink.count.get()).as("the body went to the output as it came").isGreaterThan(1_000_000);
            assertThat(seconds).isLessThan(10);
        }
    }

    @Test
    void oneBytePerSecondDripHitsMaxTime() throws Exception {
        try (TinyServer server = TinyServer.start(s -> {
            TinyServer.readHead(s.getInputStream());
            byte[] head = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello".getBytes(StandardCharsets.ISO_8859_1);
            for (byte b : head) { // the drip is the behaviour under test, not a synchronisation
                s.getOutputStream().write(b);
                s.getOutputStream().flush();
                Thread.sleep(1000);
            }
        })) {
            long start = System.nanoTime();
            Run r = Run.http("-m", "1", server.url("/drip"));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(r.exitCode).as(r.toString()).isEqualTo(28);
            assertThat(r.stderr).contains("(28) Operation timed out after");
            assertThat(seconds).isBetween(0.9, 5.0);
        }
    }

    @Test
    void connectionClosedMidBodyIsAReceiveFailure() throws Exception {
        try (TinyServer server = TinyServer.start(s -> {
            TinyServer.readHead(s.getInputStream());
            TinyServer.write(s, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + "y".repeat(100));
        })) {
            Run r = Run.http(server.url("/cut"));
            assertThat(r.exitCode).as(r.toString()).isEqualTo(56);
            assertThat(r.stderr.trim()).isEqualTo("inetkit http: (56) Connection closed by the server after 100 of 1000 "
                    + "bytes of the body (the response is incomplete)");
            assertThat(r.out()).isEqualTo("y".repeat(100));
        }
    }

    @Test
    void chunkedBodyCutShortIsAReceiveFailure() throws Exception {
        try (TinyServer server = TinyServer.start(s -> {
            TinyServer.readHead(s.getInputStream());
            TinyServer.write(s, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
        })) {
            Run r = Run.http(server.url("/cut"));
            assertThat(r.exitCode).as(r.toString()).isEqualTo(56);
            assertThat(r.stderr).contains("Connection closed by the server after 5 bytes of the body");
        }
    }

    @Test
    void resetMidBodyIsAReceiveFailure() throws Exception {
        try (TinyServer server = TinyServer.start(s -> {
            TinyServer.readHead(s.getInputStream());
            TinyServer.write(s, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nabc");
            s.setSoLinger(true, 0); // close with RST
        })) {
            Run r = Run.http(server.url("/reset"));
            assertThat(r.exitCode).as(r.toString()).isEqualTo(56);
            assertThat(r.stderr).containsAnyOf("Connection reset", "Connection closed by the server");
        }
    }

    @Test
    void redirectLoopIsTooManyRedirectsOverOneConnection() throws Exception {
        try (TinyServer server = TinyServer.start(s -> {
            for (int i = 0; i < 1000 && TinyServer.readHead(s.getInputStream()) != null; i++) {
                TinyServer.write(s, "HTTP/1.1 302 Found\r\nLocation: /loop\r\nContent-Length: 0\r\n\r\n");
            }
        })) {
            Run r = Run.http("-L", server.url("/loop"));
            assertThat(r.exitCode).as(r.toString()).isEqualTo(47);
            assertThat(r.stderr.trim()).isEqualTo("inetkit http: (47) Maximum (50) redirects followed");
            Run few = Run.http("-L", "--max-redirs", "3", "-w", "%{num_redirects}", server.url("/loop"));
            assertThat(few.exitCode).isEqualTo(47);
            assertThat(few.stderr).contains("Maximum (3) redirects followed");
            assertThat(few.out()).isEqualTo("3");
            assertThat(server.accepted()).as("redirects on one origin reuse the connection").isEqualTo(2);
        }
    }

    @Test
    void emptyReplyAndGarbageAreNamed() throws Exception {
        try (TinyServer empty = TinyServer.start(s -> TinyServer.readHead(s.getInputStream()));
             TinyServer garbage = TinyServer.start(s -> {
                 TinyServer.readHead(s.getInputStream());
                 TinyServer.write(s, "SSH-2.0-OpenSSH_9.2\r\n\r\n");
             })) {
            Run r = Run.http(empty.url("/"));
            assertThat(r.exitCode).as(r.toString()).isEqualTo(52);
            assertThat(r.stderr.trim()).isEqualTo("inetkit http: (52) Empty reply from server");
            Run g = Run.http(garbage.url("/"));
            assertThat(g.exitCode).as(g.toString()).isEqualTo(8);
            assertThat(g.stderr).startsWith("inetkit http: (8) Weird server reply");
        }
    }

    @Test
    void certificateProblemsWithoutKAreTlsHandshakeFailures(@TempDir Path dir) throws Exception {
        TestPki pki = TestPki.create(dir);
        TestPki.ServerFiles expired = pki.expired("expired");
        TestPki.ServerFiles wrongName = pki.wrongName("wrong");
        try (EchoTarget selfSigned = EchoTarget.https(Tls.selfSigned());
             TlsPeer old = TlsPeer.serving(expired.certificate(), expired.key()); // inetkit's server refuses to start with it
             EchoTarget other = EchoTarget.https(Tls.pemFiles(wrongName.certificate(), wrongName.key()))) {
            Run untrusted = Run.http("https://127.0.0.1:" + selfSigned.port() + "/ip");
            assertThat(untrusted.exitCode).as(untrusted.toString()).isEqualTo(35);
            assertThat(untrusted.stderr).contains("(35) TLS handshake with 127.0.0.1 port " + selfSigned.port()
                    + " failed: the server's certificate is not trusted");
            assertThat(untrusted.stderr.lines().count()).isEqualTo(1);

            Run insecure = Run.http("-k", "https://127.0.0.1:" + selfSigned.port() + "/ip");
            assertThat(insecure.exitCode).as(insecure.toString()).isZero();
            assertThat(insecure.out()).isEqualTo("{\"origin\": \"127.0.0.1\"}\n");

            Run outdated = Run.http("--cacert", pki.caPem().toString(), "https://127.0.0.1:" + old.port() + "/ip");
            assertThat(outdated.exitCode).as(outdated.toString()).isEqualTo(35);
            assertThat(outdated.stderr).contains("the server's certificate has expired");

            Run mismatch = Run.http("--cacert", pki.caPem().toString(), "https://127.0.0.1:" + other.port() + "/ip");
            assertThat(mismatch.exitCode).as(mismatch.toString()).isEqualTo(35);
            assertThat(mismatch.stderr).contains("does not match 127.0.0.1");
        }
    }

    @Test
    void plainTextServerBehindHttpsIsATlsFailure() throws Exception {
        try (TinyServer server = TinyServer.start(s -> {
            s.getInputStream().read(new byte[512]);
            TinyServer.write(s, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        })) {
            Run r = Run.http("--connect-timeout", "5", "https://127.0.0.1:" + server.port() + "/");
            assertThat(r.exitCode).as(r.toString()).isEqualTo(35);
        }
    }

    @Test
    void silentConnectionHitsConnectTimeoutDuringTheHandshake() throws Exception {
        try (TinyServer server = TinyServer.start(s -> {
            Socket quiet = s; // accepts, then says nothing: the TLS handshake never completes
            quiet.getInputStream().readAllBytes();
        })) {
            long start = System.nanoTime();
            Run r = Run.http("--connect-timeout", "0.5", "https://127.0.0.1:" + server.port() + "/");
            assertThat(r.exitCode).as(r.toString()).isEqualTo(28);
            assertThat(r.stderr).contains("Connection timed out (--connect-timeout)");
            assertThat((System.nanoTime() - start) / 1e9).isLessThan(5);
        }
    }
}
