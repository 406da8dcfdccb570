package io.inetkit.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The same requests to real httpbin (Debian's {@code python3-httpbin} under {@code gunicorn}) and to the packaged
 * {@code inetkit server --http}: the answers must agree on status, Content-Type, the headers that matter
 * (Location, Content-Encoding, Allow, CORS, Set-Cookie, WWW-Authenticate, ETag, Content-Range) and the JSON body's
 * keys and value types. What inetkit deliberately does otherwise is normalised here, each case named, as
 * server/README.md lists it. Skipped, saying why, where httpbin or gunicorn is not installed ({@code .ci/run}
 * installs both).
 */
class HttpbinComparisonIT {

    private static final List<String> GUNICORN_PATHS = List.of("/usr/bin/gunicorn", "/usr/local/bin/gunicorn");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> COMPARED = List.of("location", "content-encoding", "allow",
            "access-control-allow-origin", "access-control-allow-credentials", "access-control-allow-methods",
            "access-control-allow-headers", "access-control-max-age", "set-cookie", "www-authenticate", "etag",
            "content-range", "accept-ranges", "cache-control");

    private static Process httpbin;
    private static ServerProcess inetkit;
    private static String httpbinBase;
    private static String inetkitBase;
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    /** One request: method, path, header pairs, and a body (null for none) with its type. */
    record Probe(String method, String path, List<String> headers, String type, String body) {
        static Probe get(String path, String... headers) {
            return new Probe("GET", path, List.of(headers), null, null);
        }

        static Probe send(String method, String path, String type, String body) {
            return new Probe(method, path, List.of(), type, body);
        }

        @Override
        public String toString() {
            return method + " " + path + (headers.isEmpty() ? "" : " " + headers);
        }
    }

    private static final String MULTIPART = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
            + "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"f.txt\"\r\n"
            + "Content-Type: text/plain\r\n\r\nhello\r\n--XyZ--\r\n";
    private static final String MULTIPART_TYPE = "multipart/form-data; boundary=XyZ";
    private static final String FORM_TYPE = "application/x-www-form-urlencoded";
    private static final String GOOD_BASIC = "Authorization: Basic "
            + Base64.getEncoder().encodeToString("u:p".getBytes(StandardCharsets.UTF_8));

    /** The requests, the 21 among them. */
    static final List<Probe> PROBES = List.of(
            Probe.get("/get?a=1&a=2&b=3"), Probe.get("/ip"), Probe.get("/headers", "X-Test: 1"),
            Probe.get("/user-agent", "User-Agent: probe/1"), Probe.get("/uuid"),
            Probe.send("POST", "/post", FORM_TYPE, "a=1&b=2"), Probe.send("POST", "/post", MULTIPART_TYPE, MULTIPART),
            Probe.send("POST", "/post", "application/json", "{\"k\": [1, 2]}"),
            Probe.send("PUT", "/put", MULTIPART_TYPE, MULTIPART), Probe.send("PATCH", "/patch", FORM_TYPE, "x=1"),
            Probe.send("DELETE", "/delete", null, null), Probe.send("PUT", "/anything/x", "application/json", "[1]"),
            Probe.get("/anything"), Probe.send("POST", "/get", FORM_TYPE, "a=1"), Probe.get("/post"),
            Probe.get("/nope"),
            new Probe("OPTIONS", "/get", List.of("Origin: http://a.example", "Access-Control-Request-Method: GET",
                    "Access-Control-Request-Headers: X-One"), null, null),
            new Probe("OPTIONS", "/anything", List.of(), null, null), Probe.get("/get", "Origin: http://a.example"),
            Probe.get("/status/418"), Probe.get("/status/404"), Probe.get("/status/500"), Probe.get("/status/302"),
            Probe.get("/status/401"), Probe.get("/status/402"), Probe.get("/status/304"),
            Probe.send("PUT", "/status/201", null, null), Probe.get("/status/200:0,203:1"),
            Probe.get("/redirect/3"), Probe.get("/redirect/1"), Probe.get("/redirect/2?absolute=true"),
            Probe.get("/relative-redirect/2"), Probe.get("/absolute-redirect/2"), Probe.get("/absolute-redirect/1"),
            Probe.get("/redirect-to?url=/get&status_code=307"), Probe.get("/redirect-to?url=http%3A%2F%2Fe.example%2F"),
            Probe.get("/base64/aGVsbG8="), Probe.get("/cookies", "Cookie: a=1; b=2"), Probe.get("/cookies/set?a=1"),
            Probe.get("/cookies/set/k/v"), Probe.get("/cookies/delete?a"),
            Probe.get("/basic-auth/u/p", GOOD_BASIC), Probe.get("/basic-auth/u/p"),
            Probe.get("/hidden-basic-auth/u/x", GOOD_BASIC), Probe.get("/hidden-basic-auth/u/p", GOOD_BASIC),
            Probe.get("/bearer", "Authorization: Bearer tok"), Probe.get("/bearer"),
            Probe.get("/digest-auth/auth/u/p"), Probe.get("/digest-auth/auth/u/p/SHA-256"),
            Probe.get("/digest-auth/auth-int/u/p/SHA-512"), Probe.get("/digest-auth/other/u/p"),
            Probe.get("/response-headers?X-A=1&X-A=2"), Probe.get("/cache"),
            Probe.get("/cache", "If-Modified-Since: Thu, 01 Jan 1970 00:00:00 GMT"), Probe.get("/cache/60"),
            Probe.get("/etag/abc"), Probe.get("/etag/abc", "If-None-Match: \"abc\""),
            Probe.get("/etag/abc", "If-Match: \"zzz\""), Probe.get("/range/30"),
            Probe.get("/range/30", "Range: bytes=2-5"), Probe.get("/range/30", "Range: bytes=-3"),
            Probe.get("/range/30", "Range: bytes=40-"), Probe.get("/links/3/1"), Probe.get("/links/3"),
            Probe.get("/html"), Probe.get("/xml"), Probe.get("/robots.txt"), Probe.get("/deny"),
            Probe.get("/encoding/utf8"), Probe.get("/gzip"), Probe.get("/deflate"), Probe.get("/bytes/16"),
            Probe.get("/stream/2"), Probe.get("/stream-bytes/20?seed=1&chunk_size=6"), Probe.get("/forms/post"),
            Probe.get("/delay/0"), Probe.get("/drip?numbytes=3&duration=0.1&code=201"), Probe.get("/image/png"), Probe.get("/image/jpeg"),
            Probe.get("/image/webp"), Probe.get("/image/svg"), Probe.get("/image", "Accept: image/webp"),
            Probe.get("/image", "Accept: image/*"), Probe.get("/image", "Accept: */*"));

    @BeforeAll
    static void start() throws Exception {
        String gunicorn = GUNICORN_PATHS.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse(null);
        assumeTrue(gunicorn != null, "gunicorn is not installed (Debian: apt-get install gunicorn python3-httpbin);"
                + " the httpbin comparison is skipped");
        // gunicorn loads the app with its own Python, which need not be the first python3 on PATH
        Process probe = new ProcessBuilder(gunicorn, "--check-config", "httpbin:app").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        boolean importable = probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
        assumeTrue(importable, "python3-httpbin is not installed (Debian: apt-get install python3-httpbin);"
                + " the httpbin comparison is skipped");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        httpbin = new ProcessBuilder(gunicorn, "-b", "127.0.0.1:" + port, "-w", "1", "httpbin:app")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        httpbinBase = "http://127.0.0.1:" + port;
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> {
                    try (Socket s = new Socket("127.0.0.1", port)) {
                        return true;
                    }
                });
        inetkit = ServerProcess.start("--http", "0");
        inetkitBase = "http://127.0.0.1:" + inetkit.http.get("http");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (inetkit != null) {
            inetkit.close();
        }
        if (httpbin != null) {
            httpbin.destroy();
            if (!httpbin.waitFor(10, TimeUnit.SECONDS)) {
                httpbin.destroyForcibly();
            }
        }
    }

    @Test
    void everyProbeAgreesWithHttpbin() throws Exception {
        List<String> disagreements = new ArrayList<>();
        for (Probe probe : PROBES) {
            Map<String, String> theirs = describe(probe, httpbinBase);
            Map<String, String> ours = describe(probe, inetkitBase);
            if (!theirs.equals(ours)) {
                disagreements.add(probe + "\n    httpbin: " + theirs + "\n    inetkit: " + ours);
            }
        }
        System.out.printf("httpbin comparison: %d of %d probes agree%n", PROBES.size() - disagreements.size(),
                PROBES.size());
        assertThat(disagreements).as("probes whose answers differ from httpbin's").isEmpty();
    }

    /** What is compared of the answer to {@code probe}, normalised where README says inetkit differs. */
    private static Map<String, String> describe(Probe probe, String base) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + probe.path()))
                .timeout(Duration.ofSeconds(15))
                .method(probe.method(), probe.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(probe.body()));
        for (String header : probe.headers()) {
            int colon = header.indexOf(':');
            request.header(header.substring(0, colon), header.substring(colon + 1).trim());
        }
        if (probe.type() != null) {
            request.header("Content-Type", probe.type());
        }
        HttpResponse<byte[]> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        Map<String, String> seen = new TreeMap<>();
        seen.put("status", String.valueOf(response.statusCode()));
        seen.put("content-type", response.headers().firstValue("content-type")
                .map(t -> t.toLowerCase(Locale.ROOT).replace(" ", "")).orElse("-"));
        for (String name : COMPARED) {
            List<String> values = response.headers().allValues(name);
            if (!values.isEmpty()) {
                seen.put(name, normalise(name, values, base, response.statusCode()));
            }
        }
        if (response.statusCode() == 200 && probe.path().startsWith("/range/")) {
            seen.remove("content-range"); // httpbin sends one with 200; RFC 9110 14.4 gives it meaning only in 206/416
        }
        JsonNode json = json(response);
        if (json != null) {
            seen.put("json", shape(json));
        }
        return seen;
    }

    private static String normalise(String name, List<String> values, String base, int status) {
        return switch (name) {
            case "location" -> values.get(0).replace(base, "BASE");
            // a set of methods: httpbin's order follows its route table
            case "allow", "access-control-allow-methods" -> new TreeSet<>(values.stream()
                    .flatMap(v -> List.of(v.split(",\\s*")).stream()).toList()).toString();
            // the name=value pair; httpbin expires a deleted cookie in 1970, Netty at now: both with Max-Age=0
            case "set-cookie" -> values.stream().map(v -> v.split(";")[0]).sorted().toList().toString();
            // a Digest challenge's nonce and opaque are random: its parameter names and fixed values compare
            case "www-authenticate" -> values.get(0).replaceAll("(nonce|opaque)=\"[^\"]*\"", "$1=?");
            // httpbin's entity tags are unquoted, which RFC 9110 8.8.3 does not allow; /cache's is random
            case "etag" -> status == 200 && values.get(0).replace("\"", "").matches("[0-9a-f]{32}") ? "random"
                    : values.get(0).replace("\"", "");
            default -> String.join(", ", values);
        };
    }

    /** The body as JSON (decoded per Content-Encoding), or null when it is not one JSON document. */
    private static JsonNode json(HttpResponse<byte[]> response) throws IOException {
        byte[] body = response.body();
        Optional<String> encoding = response.headers().firstValue("content-encoding");
        if (encoding.isPresent() && body.length > 0) {
            try (InputStream in = encoding.get().equals("gzip") ? new GZIPInputStream(new ByteArrayInputStream(body))
                    : new InflaterInputStream(new ByteArrayInputStream(body))) {
                body = in.readAllBytes();
            }
        }
        if (!response.headers().firstValue("content-type").orElse("").startsWith("application/json")) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null; // /stream's lines: several documents
        }
    }

    /**
     * Keys and value types, recursively. Keys compare case-insensitively: the echoed request headers are as
     * sent on the wire (HTTP/2 lower case) where httpbin title-cases them.
     */
    private static String shape(JsonNode node) {
        if (node.isObject()) {
            TreeMap<String, String> fields = new TreeMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> field = it.next();
                fields.put(field.getKey().toLowerCase(Locale.ROOT), shape(field.getValue()));
            }
            return fields.toString();
        }
        if (node.isArray()) {
            return node.isEmpty() ? "[]" : "[" + shape(node.get(0)) + "]";
        }
        return node.getNodeType().name();
    }
}
