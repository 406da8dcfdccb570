package io.inetkit.client.load;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What an HTTP run's requests are on the wire, and how its options read. */
class HttpLoadTest {

    private static HttpLoad load(String method, List<String[]> headers, byte[] body) {
        return new HttpLoad(URI.create("http://[::1]:8080"), List.of("/a?b=1", "/c"), method, headers, body,
                HttpLoad.Version.HTTP_1_1, HttpLoad.parseOk("2xx"), new HttpLoad.Verify.None());
    }

    @Test
    void theRequestsAreTheDefaultsEditedByTheUsersHeadersPathByPath() {
        HttpLoad h = load("GET", List.of(new String[] {"User-Agent", null}, new String[] {"accept", "text/plain"},
                new String[] {"X-Empty", ""}), new byte[0]);
        byte[][] requests = h.http1Requests();
        assertThat(requests.length).isEqualTo(2);
        assertThat(new String(requests[0], StandardCharsets.ISO_8859_1)).isEqualTo(
                "GET /a?b=1 HTTP/1.1\r\nHost: [::1]:8080\r\naccept: text/plain\r\nX-Empty: \r\n\r\n");
        assertThat(new String(requests[1], StandardCharsets.ISO_8859_1)).startsWith("GET /c HTTP/1.1\r\n");
        // HTTP/2: the pseudo-headers, and the rest in lower case, without Host (:authority carries it)
        var h2 = h.http2Requests()[0];
        assertThat(h2.method().toString()).isEqualTo("GET");
        assertThat(h2.path().toString()).isEqualTo("/a?b=1");
        assertThat(h2.authority().toString()).isEqualTo("[::1]:8080");
        assertThat(h2.contains("host")).isFalse();
        assertThat(h2.get("accept").toString()).isEqualTo("text/plain");
    }

    @Test
    void aBodyGetsItsLengthAndCurlsContentType() {
        byte[] r = load("POST", List.of(), "x=1".getBytes(StandardCharsets.US_ASCII)).http1Requests()[0];
        assertThat(new String(r, StandardCharsets.ISO_8859_1)).contains("Content-Length: 3\r\n")
                .contains("Content-Type: application/x-www-form-urlencoded\r\n").endsWith("\r\n\r\nx=1");
    }

    @Test
    void okStatusAndVerifyReadAsDocumented() {
        var ok = HttpLoad.parseOk("2xx,304,400-404");
        assertThat(ok.get(200)).isTrue();
        assertThat(ok.get(299)).isTrue();
        assertThat(ok.get(304)).isTrue();
        assertThat(ok.get(403)).isTrue();
        assertThat(ok.get(301)).isFalse();
        assertThat(ok.get(500)).isFalse();
        assertThatThrownBy(() -> HttpLoad.parseOk("600")).hasMessageContaining("bad --ok-status '600'");
        assertThat(HttpLoad.Verify.parse("length:12")).isEqualTo(new HttpLoad.Verify.Length(12));
        assertThat(HttpLoad.Verify.parse("first")).isInstanceOf(HttpLoad.Verify.First.class);
        assertThat(HttpLoad.Verify.parse("sha256:" + "ab".repeat(32))).isInstanceOf(HttpLoad.Verify.Sha256.class);
        assertThatThrownBy(() -> HttpLoad.Verify.parse("md5:00")).hasMessageContaining("unknown --verify");
        assertThatThrownBy(() -> HttpLoad.parseUrl("ftp://x/")).hasMessageContaining("http or https");
        assertThat(HttpLoad.parseUrl("http://example.org").toString()).isEqualTo("http://example.org:80/");
    }
}
