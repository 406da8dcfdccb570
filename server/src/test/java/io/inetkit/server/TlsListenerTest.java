package io.inetkit.server;

import io.inetkit.common.framing.Framing;
import io.inetkit.server.tls.Tls;
import io.inetkit.server.tls.TlsSettings;
import io.inetkit.testing.TestPki;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The TLS front of every TCP listener, over real sockets: framings, mTLS, SNI, rotation and bad input. */
class TlsListenerTest {

    private static final List<String> FRAMINGS = List.of("raw", "fixed:16", "line", "delimiter:\\0", "length:2");

    @TempDir
    Path dir;
    private EchoServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private EchoServer start(TlsSettings tls, String... framings) {
        ServerSettings.Builder b = ServerSettings.builder().tls(tls).drainTimeout(Duration.ofSeconds(1)).ioThreads(2);
        for (String f : framings) {
            b.tcp(new ServerSettings.TcpListener(0, Framing.parse(f), false, true));
        }
        server = new EchoServer(b.build()).start();
        return server;
    }

    private static SSLContext client(Path ca, TestPki.ServerFiles cert) throws Exception {
        SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).trustManager(ca.toFile());
        if (cert != null) {
            b.keyManager(cert.certificate().toFile(), cert.key().toFile());
        }
        return ((JdkSslContext) b.build()).context();
    }

    private SSLSocket connect(SSLContext context, int port, String sni) throws IOException {
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        s.setSoTimeout(10_000);
        if (sni != null) {
            SSLParameters p = s.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(sni)));
            s.setSSLParameters(p);
        }
        s.startHandshake();
        return s;
    }

    private static byte[] frame(Framing framing, byte[] payload) {
        ByteBuf b = framing.frame(ByteBufAllocator.DEFAULT, Unpooled.wrappedBuffer(payload));
        try {
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    /** Writes {@code wire} in random chunks, one flush each, and reads back as many bytes. */
    private static byte[] echo(Socket s, byte[] wire, Random random) throws IOException {
        OutputStream out = s.getOutputStream();
        for (int at = 0; at < wire.length; ) {
            int n = Math.min(wire.length - at, 1 + random.nextInt(40));
            out.write(wire, at, n);
            out.flush();
            at += n;
        }
        return readN(s.getInputStream(), wire.length);
    }

    private static byte[] readN(InputStream in, int n) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (got.size() < n) {
            int r = in.read(buf, 0, Math.min(buf.length, n - got.size()));
            if (r < 0) {
                break;
            }
            got.write(buf, 0, r);
        }
        return got.toByteArray();
    }

    private static String subject(SSLSocket s) throws IOException {
        return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
    }

    private double meter(String series) {
        for (String line : server.scrape().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1));
            }
        }
        return -1;
    }

    private String tlsSeries(int port, String name, String tags) {
        return "inetkit_tls_" + name + "{listener=\"tcp/" + port + "\"" + (tags.isEmpty() ? "" : "," + tags) + "}";
    }

    @ParameterizedTest
    @EnumSource(value = TlsSettings.Provider.class, names = {"JDK", "OPENSSL"})
    void everyFramingEchoesOverTlsByteForByteWhateverTheChunking(TlsSettings.Provider provider) throws Exception {
        TestPki pki = TestPki.create(dir);
        TestPki.ServerFiles files = pki.server("server");
        start(TlsSettings.of(Tls.pemFiles(files.certificate(), files.key())).withProvider(provider),
                FRAMINGS.toArray(String[]::new));
        SSLContext context = client(pki.caPem(), null);
        Random random = new Random(17);
        for (int i = 0; i < FRAMINGS.size(); i++) {
            Framing framing = Framing.parse(FRAMINGS.get(i));
            int port = server.tcpAddresses().get(i).getPort();
            ByteArrayOutputStream wire = new ByteArrayOutputStream();
            for (int m = 0; m < 200; m++) {
                byte[] payload = framing instanceof Framing.Fixed ? ("message " + (10_000 + m) + "!!!").getBytes(StandardCharsets.US_ASCII)
                        : ("message " + m + " " + "x".repeat(random.nextInt(50))).getBytes(StandardCharsets.US_ASCII);
                wire.writeBytes(frame(framing, payload));
            }
            try (SSLSocket s = connect(context, port, null)) {
                assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.3");
                byte[] sent = wire.toByteArray();
                assertThat(echo(s, sent, random)).as(FRAMINGS.get(i)).isEqualTo(sent);
                assertThat(server.registry().find("inetkit.tls.connections").tag("listener", "tcp/" + port)
                        .gauge().value()).isEqualTo(1.0);
            }
            assertThat(meter(tlsSeries(port, "handshakes_total", "result=\"ok\""))).isEqualTo(1.0);
        }
    }

    @Test
    void tls12WorksWithAnIntermediateCipher() throws Exception {
        TestPki pki = TestPki.create(dir);
        TestPki.ServerFiles files = pki.server("server");
        start(TlsSettings.of(Tls.pemFiles(files.certificate(), files.key())), "line");
        int port = server.tcpAddresses().get(0).getPort();
        SSLContext context = client(pki.caPem(), null);
        try (SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setEnabledProtocols(new String[] {"TLSv1.2"});
            s.startHandshake();
            assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.2");
            assertThat(s.getSession().getCipherSuite()).startsWith("TLS_ECDHE_").contains("GCM");
        }
        // older protocols: the JDK's client refuses them itself; TlsInteropIT tries openssl s_client -tls1_1
    }

    @Test
    void mutualTlsAcceptsACertifiedClientCountsItsSubjectAndRefusesOneWithout() throws Exception {
        TestPki pki = TestPki.create(dir);
        TestPki.ServerFiles files = pki.server("server");
        TestPki.ServerFiles alice = pki.client("alice", "alice");
        start(TlsSettings.of(Tls.pemFiles(files.certificate(), files.key()))
                .withClientAuth(pki.caPem(), TlsSettings.ClientAuth.REQUIRE), "line");
        int port = server.tcpAddresses().get(0).getPort();
        try (SSLSocket s = connect(client(pki.caPem(), alice), port, null)) {
            assertThat(echo(s, "hi\n".getBytes(StandardCharsets.US_ASCII), new Random(1))).asString().isEqualTo("hi\n");
        }
        await().until(() -> meter(tlsSeries(port, "client_verified_total", "subject=\"CN=alice\"")) == 1.0);
        assertThatThrownBy(() -> {
            try (SSLSocket s = connect(client(pki.caPem(), null), port, null)) {
                s.getOutputStream().write("hi\n".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                if (s.getInputStream().read() < 0) {
                    throw new IOException("closed");
                }
            }
        }).isInstanceOf(IOException.class);
        await().until(() -> meter(tlsSeries(port, "handshakes_total", "result=\"client_cert\"")) == 1.0);
    }

    @Test
    void sniChoosesTheCertificateByServerNameAndTheDefaultServesTheRest() throws Exception {
        TestPki pki = TestPki.create(dir);
        TestPki.ServerFiles main = pki.server("server");
        TestPki.ServerFiles other = pki.named("other", "other.test", "other.test", "*.other.test");
        start(TlsSettings.of(Tls.pemFiles(main.certificate(), main.key()))
                .withSni(List.of(new Tls.PemFiles(other.certificate(), other.key()))), "line");
        int port = server.tcpAddresses().get(0).getPort();
        // a context each: the JDK's client would resume the last session with this host and port, SNI aside
        try (SSLSocket s = connect(client(pki.caPem(), null), port, "other.test")) {
            assertThat(subject(s)).isEqualTo("CN=other.test");
        }
        try (SSLSocket s = connect(client(pki.caPem(), null), port, "a.other.test")) {
            assertThat(subject(s)).isEqualTo("CN=other.test");
        }
        try (SSLSocket s = connect(client(pki.caPem(), null), port, "unknown.test")) {
            assertThat(subject(s)).isEqualTo("CN=localhost");
        }
        try (SSLSocket s = connect(client(pki.caPem(), null), port, null)) {
            assertThat(subject(s)).isEqualTo("CN=localhost");
        }
    }

    @Test
    void rotationServesNewHandshakesTheNewCertificateAndKeepsOpenConnections() throws Exception {
        TestPki pki = TestPki.create(dir);
        TestPki.ServerFiles first = pki.named("first", "first", "localhost");
        TestPki.ServerFiles second = pki.named("second", "second", "localhost");
        TestPki.ServerFiles third = pki.named("third", "third", "localhost");
        Path cert = dir.resolve("live.pem");
        Path key = dir.resolve("live.key");
        Files.copy(first.certificate(), cert);
        Files.copy(first.key(), key);
        start(TlsSettings.of(Tls.pemFiles(cert, key)).withReloadCheck(Duration.ofMillis(100)), "line");
        int port = server.tcpAddresses().get(0).getPort();
        Random random = new Random(3);
        try (SSLSocket open = connect(client(pki.caPem(), null), port, null)) {
            assertThat(subject(open)).isEqualTo("CN=first");
            assertThat(echo(open, "before\n".getBytes(StandardCharsets.US_ASCII), random)).asString().isEqualTo("before\n");

            // what SIGHUP does
            Files.copy(second.certificate(), cert, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(second.key(), key, StandardCopyOption.REPLACE_EXISTING);
            assertThat(server.reloadTls()).isTrue();
            try (SSLSocket s = connect(client(pki.caPem(), null), port, null)) {
                assertThat(subject(s)).isEqualTo("CN=second");
            }
            assertThat(echo(open, "across\n".getBytes(StandardCharsets.US_ASCII), random)).asString().isEqualTo("across\n");

            // a key that is not the certificate's (a rotation half-written): refused, the certificate in use stays
            Files.copy(third.certificate(), cert, StandardCopyOption.REPLACE_EXISTING);
            assertThat(server.reloadTls()).isFalse();
            try (SSLSocket s = connect(client(pki.caPem(), null), port, null)) {
                assertThat(subject(s)).isEqualTo("CN=second");
            }
            // the watcher sees the key arrive, and reloads by itself
            Files.copy(third.key(), key, StandardCopyOption.REPLACE_EXISTING);
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                try (SSLSocket s = connect(client(pki.caPem(), null), port, null)) {
                    return subject(s).equals("CN=third");
                }
            });
            assertThat(echo(open, "still\n".getBytes(StandardCharsets.US_ASCII), random)).asString().isEqualTo("still\n");
            assertThat(subject(open)).isEqualTo("CN=first");
        }
    }

    @Test
    void plaintextToATlsPortIsCountedAndClosed() throws Exception {
        start(TlsSettings.of(Tls.selfSigned()), "line");
        int port = server.tcpAddresses().get(0).getPort();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET / HTTP/1.0\r\n\r\nhello\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readN(s.getInputStream(), 1000)).asString().doesNotContain("hello");
        }
        await().until(() -> meter(tlsSeries(port, "handshakes_total", "result=\"not_tls\"")) == 1.0);
    }

    @Test
    void aStalledHandshakeIsClosedAtTheHandshakeTimeout() throws Exception {
        start(TlsSettings.of(Tls.selfSigned()).withHandshakeTimeout(Duration.ofMillis(300)), "line");
        int port = server.tcpAddresses().get(0).getPort();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(10_000);
            assertThat(s.getInputStream().read()).isEqualTo(-1); // the server closed it; we sent nothing
        }
        await().until(() -> meter(tlsSeries(port, "handshakes_total", "result=\"timeout\"")) == 1.0);
        try (Socket s = new Socket()) { // half a ClientHello, then nothing
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01});
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        await().until(() -> meter(tlsSeries(port, "handshakes_total", "result=\"timeout\"")) == 2.0);
    }

    @Test
    void anExpiredCertificateOrAForeignKeyStopsTheStartNamingTheFile() throws Exception {
        TestPki pki = TestPki.create(dir);
        TestPki.ServerFiles expired = pki.expired("expired");
        assertThatThrownBy(() -> start(TlsSettings.of(Tls.pemFiles(expired.certificate(), expired.key())), "line"))
                .isInstanceOf(ServerStartException.class)
                .hasMessageStartingWith("TLS certificate " + expired.certificate() + " expired on ")
                .hasMessageContaining("CN=localhost");
        server = null;
        TestPki.ServerFiles a = pki.server("a");
        TestPki.ServerFiles b = pki.server("b");
        assertThatThrownBy(() -> start(TlsSettings.of(Tls.pemFiles(a.certificate(), b.key())), "line"))
                .isInstanceOf(ServerStartException.class)
                .hasMessage("TLS key " + b.key() + " is not the key of certificate " + a.certificate());
        server = null;
    }
}
