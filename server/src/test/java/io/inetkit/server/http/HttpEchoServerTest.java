package io.inetkit.server.http;

import io.inetkit.testing.TestPki;
import io.inetkit.common.transport.Transport;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Lifecycle and TLS set-up of the listener, and its h2c upgrade as the JDK's own HTTP client does it. */
class HttpEchoServerTest {

    @Test
    void startReturnsBoundOnPortZeroAndStopCloses() throws IOException {
        HttpEchoServer server = new HttpEchoServer(HttpEchoSettings.of(0)).start();
        int port = server.port();
        assertThat(port).isPositive();
        try (Socket s = new Socket("127.0.0.1", port)) {
            assertThat(s.isConnected()).isTrue();
        }
        server.stop();
        server.stop(); // idempotent
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void aPortInUseIsOneClearMessage() throws IOException {
        try (HttpEchoServer first = new HttpEchoServer(HttpEchoSettings.of(0)).start()) {
            HttpEchoServer second = new HttpEchoServer(HttpEchoSettings.of(first.port()));
            assertThatThrownBy(second::start).isInstanceOf(IOException.class)
                    .hasMessage("cannot listen on 127.0.0.1:" + first.port() + ": address already in use");
        }
    }

    @Test
    void sharedEventLoopsKeepRunningAfterStop() throws IOException {
        Transport transport = Transport.select("nio").transport();
        EventLoopGroup group = transport.newGroup(1, "shared");
        try {
            HttpEchoServer server = new HttpEchoServer(HttpEchoSettings.of(0), group, transport).start();
            server.stop();
            assertThat(group.isShuttingDown()).isFalse();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void unreadableOrBrokenPemFilesAreOneClearMessage(@TempDir Path dir) throws IOException {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        HttpEchoServer missing = new HttpEchoServer(HttpEchoSettings.of(0)
                .withTls(HttpEchoSettings.Tls.pemFiles(cert, key)));
        assertThatThrownBy(missing::start).isInstanceOf(IOException.class)
                .hasMessage("cannot read TLS certificate file " + cert);
        Files.writeString(cert, "not a certificate");
        Files.writeString(key, "not a key");
        HttpEchoServer broken = new HttpEchoServer(HttpEchoSettings.of(0)
                .withTls(HttpEchoSettings.Tls.pemFiles(cert, key)));
        assertThatThrownBy(broken::start).isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot load TLS certificate " + cert + " / key " + key + ": ");
    }

    @Test
    void jdkClientUpgradesToH2cAndGetsAnAnswerOnStreamOne() throws Exception {
        try (HttpEchoServer server = new HttpEchoServer(HttpEchoSettings.of(0)).start()) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/get?via=upgrade");
            HttpResponse<String> first = client.send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(first.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.body()).contains("\"via\": \"upgrade\"");
            HttpResponse<String> second = client.send(HttpRequest.newBuilder(uri.resolve("/ip")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(second.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(second.body()).isEqualTo("{\"origin\": \"127.0.0.1\"}\n");
        }
    }

    @Test
    void pemFilesFromACaServeHttpsThatTheCaVerifies(@TempDir Path dir) throws Exception {
        TestPki pki = TestPki.create(dir);
        TestPki.ServerFiles files = pki.server("server");
        try (HttpEchoServer server = new HttpEchoServer(HttpEchoSettings.of(0)
                .withTls(HttpEchoSettings.Tls.pemFiles(files.certificate(), files.key()))).start()) {
            java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            try (var in = Files.newInputStream(pki.caPem())) {
                trust.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509")
                        .generateCertificate(in));
            }
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
            tmf.init(trust);
            javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpClient client = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_2).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + server.port() + "/headers")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(r.body()).contains("\"headers\"");
            assertThat(server.localAddress()).isEqualTo(new InetSocketAddress("127.0.0.1", server.port()));
        }
    }
}
