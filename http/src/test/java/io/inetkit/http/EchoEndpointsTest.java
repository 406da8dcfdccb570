package io.inetkit.http;

import io.inetkit.testing.TestPki;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inetkit.server.tls.Tls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint of inetkit's own HTTP echo listener, through the client, over HTTP/1.1, h2c (prior
 * knowledge), HTTPS with HTTP/1.1 and HTTPS with HTTP/2 (ALPN), the last two verified with a test CA.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EchoEndpointsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MARK = "\n@@";

    enum Mode {
        HTTP_1_1("1.1"), H2C_PRIOR_KNOWLEDGE("2"), HTTPS_1_1("1.1"), HTTPS_H2("2");

        final String version;

        Mode(String version) {
            this.version = version;
        }

        boolean tls() {
            return this == HTTPS_1_1 || this == HTTPS_H2;
        }
    }

    private TestPki pki;
    private EchoTarget http;
    private EchoTarget https;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        pki = TestPki.create(dir);
        TestPki.ServerFiles files = pki.server("echo");
        http = EchoTarget.http();
        https = EchoTarget.https(Tls.pemFiles(files.certificate(), files.key()));
    }

    @AfterAll
    void stop() {
        if (http != null) {
            http.stop();
        }
        if (https != null) {
            https.stop();
        }
    }

    /** The body and the -w figures of one run. */
    record Result(int exit, byte[] body, String version, int code, int redirects, long size, double seconds,
                  String stderr) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    private Result run(Mode mode, String path, String... extra) {
        List<String> args = new ArrayList<>();
        switch (mode) {
            case HTTP_1_1 -> {
            }
            case H2C_PRIOR_KNOWLEDGE -> args.add("--http2-prior-knowledge");
            case HTTPS_1_1 -> args.addAll(List.of("--http1.1", "--cacert", pki.caPem().toString()));
            case HTTPS_H2 -> args.addAll(List.of("--cacert", pki.caPem().toString()));
        }
        args.addAll(Arrays.asList(extra));
        args.addAll(List.of("-w", MARK + "%{http_version}|%{http_code}|%{num_redirects}|%{size_download}|%{time_total}"));
        String base = mode.tls() ? "https://127.0.0.1:" + https.port() : "http://127.0.0.1:" + http.port();
        args.add(base + path);
        Run r = Run.http(args.toArray(new String[0]));
        String out = new String(r.stdout, StandardCharsets.ISO_8859_1);
        int mark = out.lastIndexOf(MARK);
        assertThat(mark).as("the -w line in: %s", r).isGreaterThanOrEqualTo(0);
        String[] w = out.substring(mark + MARK.length()).split("\\|");
        byte[] body = Arrays.copyOf(r.stdout, mark);
        return new Result(r.exitCode, body, w[0], Integer.parseInt(w[1]), Integer.parseInt(w[2]), Long.parseLong(w[3]),
                Double.parseDouble(w[4]), r.stderr);
    }

    private Result ok(Mode mode, String path, String... extra) {
        Result r = run(mode, path, extra);
        assertThat(r.exit()).as("exit of %s: %s", path, r.stderr()).isZero();
        assertThat(r.version()).as("protocol").isEqualTo(mode.version);
        return r;
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void ip(Mode mode) {
        Result r = ok(mode, "/ip");
        assertThat(r.text()).isEqualTo("{\"origin\": \"127.0.0.1\"}\n");
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.size()).isEqualTo(24);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void headers(Mode mode) throws IOException {
        JsonNode headers = ok(mode, "/headers", "-H", "X-Echo: yes").json().get("headers");
        assertThat(headers.has("X-Echo") || headers.has("x-echo")).as(headers.toString()).isTrue();
        assertThat(headers.toString()).contains("inetkit-http/");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void get(Mode mode) throws IOException {
        JsonNode json = ok(mode, "/get?a=1&b=two").json();
        assertThat(json.get("args").get("b").asText()).isEqualTo("two");
        assertThat(json.get("url").asText()).startsWith(mode.tls() ? "https://" : "http://").endsWith("/get?a=1&b=two");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void post(Mode mode) throws IOException {
        JsonNode json = ok(mode, "/post", "-H", "Content-Type: application/json", "-d", "{\"n\": [1, 2]}").json();
        assertThat(json.get("json").get("n").get(1).asInt()).isEqualTo(2);
        assertThat(json.get("data").asText()).isEqualTo("{\"n\": [1, 2]}");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void anything(Mode mode) throws IOException {
        JsonNode json = ok(mode, "/anything/deeper", "-X", "PUT", "-d", "x=1").json();
        assertThat(json.get("method").asText()).isEqualTo("PUT");
        assertThat(json.get("form").get("x").asText()).isEqualTo("1");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void status(Mode mode) {
        assertThat(ok(mode, "/status/418").code()).isEqualTo(418);
        Result failed = run(mode, "/status/503", "-f");
        assertThat(failed.exit()).isEqualTo(22);
        assertThat(failed.stderr()).contains("(22) The requested URL returned error: 503");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void bytes(Mode mode) {
        Result a = ok(mode, "/bytes/100000?seed=42");
        Result b = ok(mode, "/bytes/100000?seed=42");
        assertThat(a.body()).hasSize(100_000).isEqualTo(b.body());
        assertThat(a.size()).isEqualTo(100_000);
        assertThat(run(mode, "/bytes/999999999999").code()).isEqualTo(400);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void stream(Mode mode) throws IOException {
        String[] lines = ok(mode, "/stream/5").text().split("\n");
        assertThat(lines).hasSize(5);
        assertThat(JSON.readTree(lines[4]).get("id").asInt()).isEqualTo(4);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void redirect(Mode mode) throws IOException {
        Result r = ok(mode, "/redirect/3", "-L");
        assertThat(r.redirects()).isEqualTo(3);
        assertThat(r.json().get("url").asText()).endsWith("/get");
        Result unfollowed = ok(mode, "/redirect/3", "-i");
        assertThat(unfollowed.code()).isEqualTo(302);
        assertThat(unfollowed.text()).containsIgnoringCase("location: /relative-redirect/2");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void delay(Mode mode) throws IOException {
        Result r = ok(mode, "/delay/0.3");
        assertThat(r.seconds()).isGreaterThanOrEqualTo(0.3);
        assertThat(r.json().get("url").asText()).endsWith("/delay/0.3");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void gzip(Mode mode) throws IOException {
        Result decoded = ok(mode, "/gzip", "--compressed");
        assertThat(decoded.json().get("gzipped").asBoolean()).isTrue();
        Result head = ok(mode, "/gzip", "--compressed", "-i");
        assertThat(head.text()).as("-i shows the headers as received").containsIgnoringCase("content-encoding: gzip")
                .containsIgnoringCase("content-length: " + head.size());
        assertThat(head.size()).as("size_download counts the compressed bytes").isLessThan(decoded.body().length);
        Result raw = ok(mode, "/gzip");
        assertThat(raw.body()[0] & 0xff).isEqualTo(0x1f);
        assertThat(raw.body()[1] & 0xff).isEqualTo(0x8b);
        assertThat(raw.size()).isEqualTo(raw.body().length);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(raw.body()))) {
            assertThat(JSON.readTree(in).get("gzipped").asBoolean()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void headShowsOnlyTheHeaders(Mode mode) {
        Result r = ok(mode, "/get", "-I");
        assertThat(r.text()).startsWith(mode.version.equals("2") ? "HTTP/2 200\r\n" : "HTTP/1.1 200 OK\r\n")
                .endsWith("\r\n\r\n").containsIgnoringCase("content-type: application/json");
    }
}
