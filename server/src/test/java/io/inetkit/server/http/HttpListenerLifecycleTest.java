package io.inetkit.server.http;

import io.inetkit.server.tls.Tls;
import io.inetkit.server.tls.TlsSettings;

import io.inetkit.server.EchoServer;
import io.inetkit.server.ServerSettings;
import io.inetkit.server.ServerStartException;
import io.inetkit.testing.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Lifecycle and TLS set-up of the listener, and its h2c upgrade as the JDK's own HTTP client does it. */
class HttpListenerLifecycleTest {

    private static EchoServer start(Tls tls) {
        return start(0, tls);
    }

    private static EchoServer start(int port, Tls tls) {
        return new EchoServer(ServerSettings.builder().http(port, tls).drainTimeout(Duration.ofSeconds(1)).build())
                .start();
    }

    private static int port(EchoServer server) {
        return server.httpAddresses().get(0).getPort();
    }

    @Test
    void startReturnsBoundOnPortZeroAndStopCloses() throws IOException {
        EchoServer server = start(Tls.none());
        int port = port(server);
        assertThat(port).isPositive();
        try (Socket s = new Socket("127.0.0.1", port)) {
            assertThat(s.isConnected()).isTrue();
        }
        server.stop();
        server.stop(); // idempotent
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void aPortInUseIsOneClearMessage() {
        try (EchoServer first = start(Tls.none())) {
            assertThatThrownBy(() -> start(port(first), Tls.none())).isInstanceOf(ServerStartException.class)
                    .hasMessage("cannot listen on http 127.0.0.1:" + port(first) + ": address already in use");
        }
    }

    @Test
    void unreadableOrBrokenPemFilesAreOneClearMessage(@TempDir Path dir) throws IOException {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        assertThatThrownBy(() -> start(Tls.pemFiles(cert, key))).isInstanceOf(ServerStartException.class)
                .hasMessage("cannot read TLS certificate file " + cert);
        Files.writeString(cert, "not a certificate");
        Files.writeString(key, "not a key");
        assertThatThrownBy(() -> start(Tls.pemFiles(cert, key))).isInstanceOf(ServerStartException.class)
                .hasMessageStartingWith("cannot read TLS certificate file " + cert + ": ");
    }

    @Test
    void jdkClientUpgradesToH2cAndGetsAnAnswerOnStreamOne() throws Exception {
        try (EchoServer server = start(Tls.none())) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            URI uri = URI.create("http://127.0.0.1:" + port(server) + "/get?via=upgrade");
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
        try (EchoServer server = start(Tls.pemFiles(files.certificate(), files.key()))) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            try (InputStream in = Files.newInputStream(pki.caPem())) {
                trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509")
                        .generateCertificate(in));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpClient client = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_2).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + port(server) + "/headers")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(r.body()).contains("\"headers\"");
            assertThat(server.httpAddresses().get(0)).isEqualTo(new InetSocketAddress("127.0.0.1", port(server)));
        }
    }
}
