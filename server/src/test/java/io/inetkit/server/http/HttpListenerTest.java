package io.inetkit.server.http;

import io.inetkit.server.EchoServer;
import io.inetkit.server.ServerSettings;

import io.inetkit.server.http.HttpEchoSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The httpbin-style listeners mounted on the echo server's event loops (--http, --https). */
class HttpListenerTest {

    private EchoServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void servesHttpAndHttpsBesideTheEchoListeners() throws Exception {
        server = new EchoServer(ServerSettings.builder()
                .tcp(0, new io.inetkit.common.framing.Framing.Raw())
                .http(0, HttpEchoSettings.Tls.none())
                .http(0, HttpEchoSettings.Tls.selfSigned())
                .admin(null)
                .drainTimeout(Duration.ofSeconds(1))
                .build()).start();
        int http = server.httpAddresses().get(0).getPort();
        int https = server.httpAddresses().get(1).getPort();
        assertThat(http).isPositive().isNotEqualTo(https);

        HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> ip = plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/ip"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ip.statusCode()).isEqualTo(200);
        assertThat(ip.body()).contains("\"origin\"").contains("127.0.0.1");

        HttpResponse<String> teapot = plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/status/418"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(teapot.statusCode()).isEqualTo(418);

        HttpClient tls = HttpClient.newBuilder().sslContext(trustAll()).version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> get = tls.send(HttpRequest.newBuilder(URI.create("https://localhost:" + https + "/get?x=1"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(get.body()).contains("\"x\"");
    }

    private static SSLContext trustAll() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return ctx;
    }
}
