package io.inetkit.server.http;


import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2CodecUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The listener's HTTP/1.1 side through an {@link EmbeddedChannel}: raw request bytes in, response bytes out. */
class HttpEchoHandlerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EmbeddedChannel channel;

    /** A response decoded from the wire, its body copied out. */
    record Answer(int status, HttpHeaders headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    private EmbeddedChannel open(HttpEchoSettings settings) {
        return open(settings, TestInitializers.budget(settings.bodyBudget()));
    }

    private EmbeddedChannel open(HttpEchoSettings settings, BodyBudget budget) {
        channel = new EmbeddedChannel() {
            @Override
            protected SocketAddress remoteAddress0() {
                return new InetSocketAddress("127.0.0.1", 40000);
            }
        };
        channel.pipeline().addLast(TestInitializers.of(settings, null, Duration.ZERO, budget));
        return channel;
    }

    private EmbeddedChannel open() {
        return open(HttpEchoSettings.DEFAULT);
    }

    @AfterEach
    void close() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    /** Writes {@code request} in random-sized pieces (TCP keeps no message boundaries). */
    private void send(String request) {
        send(request.getBytes(StandardCharsets.ISO_8859_1));
    }

    private void send(byte[] bytes) {
        int i = 0;
        while (i < bytes.length && channel.isOpen()) { // a server that answered and closed reads no more
            int n = Math.min(bytes.length - i, 1 + ThreadLocalRandom.current().nextInt(64));
            channel.writeInbound(Unpooled.copiedBuffer(bytes, i, n));
            i += n;
        }
        channel.runPendingTasks();
    }

    private byte[] wire() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuf buf;
        while ((buf = channel.readOutbound()) != null) {
            try {
                byte[] b = new byte[buf.readableBytes()];
                buf.readBytes(b);
                out.writeBytes(b);
            } finally {
                buf.release();
            }
        }
        return out.toByteArray();
    }

    /** Every response on the wire so far; {@code headRequests} of them answer HEAD (no body follows). */
    private List<Answer> answers(boolean... head) {
        EmbeddedChannel decoder = new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(1 << 24));
        List<Answer> answers = new ArrayList<>();
        try {
            byte[] bytes = wire();
            decoder.writeInbound(Unpooled.wrappedBuffer(bytes));
            FullHttpResponse r;
            while ((r = decoder.readInbound()) != null) {
                try {
                    byte[] body = new byte[r.content().readableBytes()];
                    r.content().readBytes(body);
                    answers.add(new Answer(r.status().code(), r.headers().copy(), body));
                } finally {
                    r.release();
                }
            }
        } finally {
            decoder.finishAndReleaseAll();
        }
        return answers;
    }

    @RepeatedTest(5)
    void ipAnswersWithTheClientAddressAndKeepsTheConnection() throws IOException {
        open();
        send("GET /ip HTTP/1.1\r\nHost: example\r\n\r\n");
        List<Answer> answers = answers();
        assertThat(answers).hasSize(1);
        assertThat(answers.get(0).status()).isEqualTo(200);
        assertThat(answers.get(0).text()).isEqualTo("{\"origin\": \"127.0.0.1\"}\n");
        assertThat(answers.get(0).headers().get("content-type")).isEqualTo("application/json");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void getDescribesTheRequestAsSent() throws IOException {
        open();
        send("GET /get?a=1&a=2&b=x%20y HTTP/1.1\r\nHost: example:8080\r\nX-Test: one\r\nX-Test: two\r\n\r\n");
        JsonNode json = answers().get(0).json();
        assertThat(json.get("args").get("a").toString()).isEqualTo("[\"1\",\"2\"]");
        assertThat(json.get("args").get("b").asText()).isEqualTo("x y");
        assertThat(json.get("headers").get("X-Test").asText()).isEqualTo("one,two");
        assertThat(json.get("headers").has("content-length")).as("no synthetic content-length").isFalse();
        assertThat(json.get("url").asText()).isEqualTo("http://example:8080/get?a=1&a=2&b=x%20y");
        assertThat(json.get("origin").asText()).isEqualTo("127.0.0.1");
    }

    @Test
    void postEchoesFormJsonAndBinaryBodies() throws IOException {
        open();
        send("POST /post HTTP/1.1\r\nHost: h\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: 7\r\n\r\na=1&b=2");
        send("POST /post HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"k\":\r\n4\r\n[1]}\r\n0\r\n\r\n");
        send("POST /post HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\n\u00ff\u00fe\u0000");
        List<Answer> answers = answers();
        assertThat(answers).hasSize(3);
        JsonNode form = answers.get(0).json();
        assertThat(form.get("form").get("b").asText()).isEqualTo("2");
        assertThat(form.get("data").asText()).as("httpbin reads a form, leaving data empty").isEmpty();
        assertThat(form.get("files").isEmpty()).isTrue();
        JsonNode json = answers.get(1).json();
        assertThat(json.get("json").get("k").get(0).asInt()).isEqualTo(1);
        assertThat(json.get("headers").get("Transfer-Encoding").asText()).isEqualTo("chunked");
        assertThat(answers.get(2).json().get("data").asText())
                .isEqualTo("data:application/octet-stream;base64,//4A");
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderEvenBehindADelay() throws IOException {
        open();
        channel.freezeTime();
        send("GET /delay/2 HTTP/1.1\r\nHost: h\r\n\r\nGET /ip HTTP/1.1\r\nHost: h\r\n\r\n");
        assertThat(answers()).as("nothing before the delay is over").isEmpty();
        assertThat(channel.config().isAutoRead()).as("stops reading while a delay is pending").isFalse();
        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(answers()).isEmpty();
        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
        List<Answer> answers = answers();
        assertThat(answers).hasSize(2);
        assertThat(answers.get(0).json().get("url").asText()).endsWith("/delay/2");
        assertThat(answers.get(0).json().has("json")).as("httpbin's delay has no json key").isFalse();
        assertThat(answers.get(1).json().get("origin").asText()).isEqualTo("127.0.0.1");
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void delayBeyondTheLimitIsABadRequest() throws IOException {
        open(HttpEchoSettings.builder().maxDelay(Duration.ofSeconds(3)).build());
        send("GET /delay/3.5 HTTP/1.1\r\nHost: h\r\n\r\nGET /delay/abc HTTP/1.1\r\nHost: h\r\n\r\n");
        List<Answer> answers = answers();
        assertThat(answers).extracting(Answer::status).containsExactly(400, 400);
        assertThat(answers.get(0).json().get("error").asText()).contains("0..3 seconds");
    }

    @Test
    void garbageGets400AndTheConnectionIsClosed() throws IOException {
        open();
        send("THIS IS NOT HTTP\r\n\r\n");
        List<Answer> answers = answers();
        assertThat(answers).hasSize(1);
        assertThat(answers.get(0).status()).isEqualTo(400);
        assertThat(answers.get(0).json().get("error").asText()).startsWith("malformed request");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void oversizedHeaderBlockGets400NotADroppedConnection() throws IOException {
        open(HttpEchoSettings.builder().maxHeaderSize(1024).build());
        send("GET /get HTTP/1.1\r\nHost: h\r\nX-Big: " + "a".repeat(2000) + "\r\n\r\n");
        List<Answer> answers = answers();
        assertThat(answers).hasSize(1);
        assertThat(answers.get(0).status()).isEqualTo(400);
        assertThat(answers.get(0).json().get("error").asText()).contains("larger than 1024 bytes");
        assertThat(answers.get(0).headers().get("connection")).isEqualTo("close");
    }

    @Test
    void aBodyOverTheBudgetGets503AndTheConnectionCloses() throws IOException {
        BodyBudget budget = TestInitializers.budget(1000);
        assertThat(budget.tryReserve(950)).isTrue(); // the other connections' bodies
        open(HttpEchoSettings.builder().maxRequestSize(100).bodyBudget(1000).build(), budget);
        send("POST /post HTTP/1.1\r\nHost: h\r\nContent-Length: 60\r\n\r\n" + "x".repeat(60)
                + "GET /ip HTTP/1.1\r\nHost: h\r\n\r\n");
        List<Answer> answers = answers();
        assertThat(answers).extracting(Answer::status).containsExactly(503);
        assertThat(answers.get(0).headers().get("retry-after")).isEqualTo("1");
        assertThat(answers.get(0).headers().get("connection")).isEqualTo("close");
        assertThat(answers.get(0).json().get("error").asText()).contains("(1000 bytes)", "try again later");
        assertThat(channel.isOpen()).isFalse();
        assertThat(budget.used()).isEqualTo(950);
    }

    @Test
    void aBodyWithinTheBudgetIsEchoedAndGivenBack() throws IOException {
        BodyBudget budget = TestInitializers.budget(1000);
        assertThat(budget.tryReserve(900)).isTrue();
        open(HttpEchoSettings.builder().maxRequestSize(100).bodyBudget(1000).build(), budget);
        send("POST /anything HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "32\r\n" + "x".repeat(50) + "\r\n32\r\n" + "y".repeat(50) + "\r\n0\r\n\r\n");
        List<Answer> answers = answers();
        assertThat(answers).extracting(Answer::status).containsExactly(200);
        assertThat(answers.get(0).json().get("data").asText()).isEqualTo("x".repeat(50) + "y".repeat(50));
        assertThat(budget.used()).as("given back once the answer is written").isEqualTo(900);
    }

    @Test
    void aGetBodyIsDroppedEvenWithTheBudgetFull() throws IOException {
        BodyBudget budget = TestInitializers.budget(1000);
        assertThat(budget.tryReserve(1000)).isTrue();
        open(HttpEchoSettings.builder().maxRequestSize(100).bodyBudget(1000).build(), budget);
        send("GET /get?a=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 80\r\n\r\n" + "z".repeat(80)
                + "GET /ip HTTP/1.1\r\nHost: h\r\n\r\n");
        List<Answer> answers = answers();
        assertThat(answers).extracting(Answer::status).containsExactly(200, 200);
        assertThat(answers.get(0).json().get("args").get("a").asText()).isEqualTo("1");
        assertThat(answers.get(0).text()).doesNotContain("zzz");
        assertThat(answers.get(1).json().get("origin").asText()).isEqualTo("127.0.0.1");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void oversizedBodyGets413() {
        open(HttpEchoSettings.builder().maxRequestSize(100).build());
        send("POST /post HTTP/1.1\r\nHost: h\r\nContent-Length: 101\r\n\r\n" + "x".repeat(101));
        assertThat(answers()).extracting(Answer::status).containsExactly(413);
    }

    @Test
    void headGetsTheHeadersOfGetWithoutTheBody() {
        open();
        send("HEAD /get HTTP/1.1\r\nHost: h\r\n\r\nGET /ip HTTP/1.1\r\nHost: h\r\n\r\n");
        byte[] bytes = wire();
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int second = text.indexOf("HTTP/1.1 200", 1);
        String headPart = text.substring(0, second);
        assertThat(headPart).contains("content-length: ").endsWith("\r\n\r\n");
        assertThat(text.substring(second)).endsWith("{\"origin\": \"127.0.0.1\"}\n");
    }

    @Test
    void statusAnswersWithThatStatusOrExplainsTheRange() {
        open();
        send("GET /status/418 HTTP/1.1\r\nHost: h\r\n\r\nPUT /status/204 HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n"
                + "GET /status/99 HTTP/1.1\r\nHost: h\r\n\r\nGET /status/x HTTP/1.1\r\nHost: h\r\n\r\n");
        assertThat(answers()).extracting(Answer::status).containsExactly(418, 204, 400, 400);
    }

    @Test
    void bytesAreRepeatableWithASeedAndBounded() {
        open(HttpEchoSettings.builder().maxBytes(100_000).build());
        send("GET /bytes/50000?seed=7 HTTP/1.1\r\nHost: h\r\n\r\nGET /bytes/50000?seed=7 HTTP/1.1\r\nHost: h\r\n\r\n"
                + "GET /bytes/100001 HTTP/1.1\r\nHost: h\r\n\r\n");
        List<Answer> answers = answers();
        assertThat(answers).extracting(Answer::status).containsExactly(200, 200, 400);
        assertThat(answers.get(0).body()).hasSize(50_000).isEqualTo(answers.get(1).body());
        assertThat(answers.get(0).headers().get("content-type")).isEqualTo("application/octet-stream");
    }

    /** /stream-bytes: chunk_size bytes per HTTP chunk, repeatable with a seed, the same bounds as /bytes. */
    @Test
    void streamBytesComeInChunksOfTheAskedSize() {
        open(HttpEchoSettings.builder().maxBytes(100_000).build());
        send("GET /stream-bytes/10?seed=3&chunk_size=4 HTTP/1.1\r\nHost: h\r\n\r\n");
        String raw = new String(wire(), StandardCharsets.ISO_8859_1);
        assertThat(raw).contains("transfer-encoding: chunked", "content-type: application/octet-stream");
        String body = raw.substring(raw.indexOf("\r\n\r\n") + 4);
        assertThat(body).matches("(?s)4\r\n.{4}\r\n4\r\n.{4}\r\n2\r\n.{2}\r\n0\r\n\r\n");
        send("GET /stream-bytes/30000?seed=3 HTTP/1.1\r\nHost: h\r\n\r\nGET /bytes/30000?seed=3 HTTP/1.1\r\nHost: h\r\n\r\n"
                + "GET /stream-bytes/100001 HTTP/1.1\r\nHost: h\r\n\r\nGET /stream-bytes/5?chunk_size=x HTTP/1.1\r\nHost: h\r\n\r\n");
        List<Answer> answers = answers();
        assertThat(answers).extracting(Answer::status).containsExactly(200, 200, 400, 400);
        assertThat(answers.get(0).body()).as("the same bytes as /bytes with that seed").hasSize(30_000)
                .isEqualTo(answers.get(1).body());
    }

    @Test
    void formsPostIsAFormThatPostsToPost() {
        open();
        send("GET /forms/post HTTP/1.1\r\nHost: h\r\n\r\nGET /forms/other HTTP/1.1\r\nHost: h\r\n\r\n");
        List<Answer> answers = answers();
        assertThat(answers).extracting(Answer::status).containsExactly(200, 404);
        assertThat(answers.get(0).headers().get("content-type")).isEqualTo("text/html; charset=utf-8");
        assertThat(new String(answers.get(0).body(), StandardCharsets.UTF_8))
                .contains("<form method=\"post\" action=\"/post\">", "name=\"firstname\"", "name=\"lastname\"");
    }

    @Test
    void streamSendsOneChunkedJsonLinePerItem() throws IOException {
        open();
        send("GET /stream/3 HTTP/1.1\r\nHost: h\r\n\r\n");
        byte[] bytes = wire();
        String raw = new String(bytes, StandardCharsets.UTF_8);
        assertThat(raw).contains("transfer-encoding: chunked").endsWith("\r\n0\r\n\r\n");
        EmbeddedChannel decoder = new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(1 << 20));
        decoder.writeInbound(Unpooled.wrappedBuffer(bytes));
        FullHttpResponse r = decoder.readInbound();
        try {
            String[] lines = r.content().toString(StandardCharsets.UTF_8).split("\n");
            assertThat(lines).hasSize(3);
            for (int i = 0; i < 3; i++) {
                assertThat(JSON.readTree(lines[i]).get("id").asInt()).isEqualTo(i);
            }
        } finally {
            r.release();
            decoder.finishAndReleaseAll();
        }
    }

    @Test
    void redirectCountsDownToGet() {
        open();
        send("GET /redirect/3 HTTP/1.1\r\nHost: h\r\n\r\nGET /redirect/1 HTTP/1.1\r\nHost: h\r\n\r\n");
        List<Answer> answers = answers();
        assertThat(answers).extracting(Answer::status).containsExactly(302, 302);
        assertThat(answers.get(0).headers().get("location")).isEqualTo("/relative-redirect/2");
        assertThat(answers.get(0).headers().get("content-type")).isEqualTo(Responses.HTML);
        assertThat(answers.get(0).text()).contains("<a href=\"/relative-redirect/2\">");
        assertThat(answers.get(1).headers().get("location")).isEqualTo("/get");
    }

    @Test
    void gzipSendsAGzipEncodedJsonBody() throws IOException {
        open();
        send("GET /gzip HTTP/1.1\r\nHost: h\r\n\r\n");
        Answer a = answers().get(0);
        assertThat(a.headers().get("content-encoding")).isEqualTo("gzip");
        assertThat(HttpUtil.getContentLength(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                a.headers()))).isEqualTo(a.body().length);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(a.body()))) {
            assertThat(JSON.readTree(in).get("gzipped").asBoolean()).isTrue();
        }
    }

    @Test
    void badEscapesAreABadRequestAndBinaryFormsStillEcho() throws IOException {
        open();
        send("GET /get?a=%zz HTTP/1.1\r\nHost: h\r\n\r\n");
        send("POST /post HTTP/1.1\r\nHost: h\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: 3\r\n\r\n%%%");
        List<Answer> answers = answers();
        assertThat(answers).extracting(Answer::status).containsExactly(400, 200);
        assertThat(answers.get(0).json().get("error").asText()).startsWith("malformed URI /get?a=%zz");
        assertThat(answers.get(1).json().get("data").asText()).as("a form body is never data").isEmpty();
    }

    @Test
    void unknownPathsAndWrongMethodsAreExplained() throws IOException {
        open();
        send("GET /nope HTTP/1.1\r\nHost: h\r\n\r\nPOST /get HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n"
                + "GET /post HTTP/1.1\r\nHost: h\r\n\r\n");
        List<Answer> answers = answers();
        assertThat(answers).extracting(Answer::status).containsExactly(404, 405, 405);
        assertThat(answers.get(1).headers().get("allow")).isEqualTo("OPTIONS, GET, HEAD");
        assertThat(answers.get(2).headers().get("allow")).isEqualTo("OPTIONS, POST");
        assertThat(answers).allSatisfy(a -> assertThat(a.headers().get("content-type")).isEqualTo(Responses.HTML));
        assertThat(answers.get(0).text()).contains("<title>404 Not Found</title>");
        assertThat(answers.get(1).text()).contains("<title>405 Method Not Allowed</title>");
    }

    @Test
    void http10WithoutKeepAliveIsClosedAfterTheAnswer() {
        open();
        send("GET /ip HTTP/1.0\r\n\r\n");
        assertThat(answers()).extracting(Answer::status).containsExactly(200);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void http2PrefaceSwitchesTheConnectionToHttp2() {
        open();
        send(Http2CodecUtil.connectionPrefaceBuf().toString(StandardCharsets.ISO_8859_1));
        assertThat(channel.pipeline().get(HttpEchoInitializer.HTTP2_FRAME_CODEC)).isNotNull();
        assertThat(channel.pipeline().get(HttpEchoInitializer.HTTP1_HANDOFF)).isNull();
        byte[] bytes = wire();
        assertThat(bytes.length).isGreaterThanOrEqualTo(9);
        assertThat(bytes[3]).as("the server's first frame is SETTINGS").isEqualTo((byte) 0x4);
    }

    @Test
    void plainRequestSwitchesTheConnectionToHttp11() {
        open();
        send("GET /ip HTTP/1.1\r\nHost: h\r\n\r\n");
        assertThat(channel.pipeline().names()).containsSubsequence(HttpEchoInitializer.HTTP_KEEPALIVE,
                HttpEchoInitializer.HTTP_AGGREGATOR, HttpEchoInitializer.CHUNKED_WRITER, HttpEchoInitializer.ECHO,
                HttpEchoInitializer.ERRORS);
        assertThat(answers()).hasSize(1);
    }

    /** A multipart/form-data request to {@code path}: field {@code a} twice, a text file and a binary one. */
    private static String multipart(String method, String path) {
        String body = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n2\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"f.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\nhello\nworld\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"b\"; filename=\"b.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n\u00ff\u00fe\u0000\r\n--XyZ--\r\n";
        return method + " " + path + " HTTP/1.1\r\nHost: h\r\nContent-Type: multipart/form-data; boundary=XyZ\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    @Test
    void multipartBodiesGiveFormAndFilesOnEveryBodyEndpoint() throws IOException {
        open();
        List<String> paths = List.of("POST /post", "PUT /put", "PATCH /patch", "DELETE /delete", "PUT /anything/x",
                "POST /delay/0");
        for (String request : paths) {
            String[] parts = request.split(" ");
            send(multipart(parts[0], parts[1]));
        }
        List<Answer> answers = answers();
        assertThat(answers).hasSize(paths.size());
        for (Answer a : answers) {
            JsonNode json = a.json();
            assertThat(a.status()).isEqualTo(200);
            assertThat(json.get("form").get("a").toString()).isEqualTo("[\"1\",\"2\"]");
            assertThat(json.get("files").get("f").asText()).isEqualTo("hello\nworld");
            assertThat(json.get("files").get("b").asText()).isEqualTo("data:application/octet-stream;base64,//4A");
            assertThat(json.get("data").asText()).isEmpty();
            assertThat(json.path("json").isNull() || json.path("json").isMissingNode()).as("no json, /delay: no key")
                    .isTrue();
        }
    }

    @Test
    void aFormBodyThatDoesNotParseGivesNoFieldsAndNoData() throws IOException {
        open();
        String truncated = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1";
        send("POST /post HTTP/1.1\r\nHost: h\r\nContent-Type: multipart/form-data; boundary=XyZ\r\n"
                + "Content-Length: " + truncated.length() + "\r\n\r\n" + truncated);
        send("POST /post HTTP/1.1\r\nHost: h\r\nContent-Type: multipart/form-data\r\nContent-Length: 2\r\n\r\nab");
        List<Answer> answers = answers();
        assertThat(answers).extracting(Answer::status).containsExactly(200, 200);
        assertThat(answers).allSatisfy(a -> {
            assertThat(a.json().get("data").asText()).as("as httpbin: a form body is never data").isEmpty();
            assertThat(a.json().get("files").isEmpty()).isTrue();
        });
        assertThat(answers.get(0).json().get("form").toString()).as("the cut-off field").isEqualTo("{}");
        assertThat(answers.get(1).json().get("form").toString()).as("no boundary").isEqualTo("{}");
    }

    @Test
    void everyAnswerCarriesCorsHeadersAndEchoesTheOrigin() {
        open();
        send("GET /get HTTP/1.1\r\nHost: h\r\n\r\nGET /bytes/3 HTTP/1.1\r\nHost: h\r\nOrigin: http://a.example\r\n\r\n"
                + "GET /nope HTTP/1.1\r\nHost: h\r\n\r\n");
        List<Answer> answers = answers();
        assertThat(answers).extracting(Answer::status).containsExactly(200, 200, 404);
        assertThat(answers).extracting(a -> a.headers().get("access-control-allow-origin"))
                .containsExactly("*", "http://a.example", "*");
        assertThat(answers).allSatisfy(a -> {
            assertThat(a.headers().get("access-control-allow-credentials")).isEqualTo("true");
            assertThat(a.headers().contains("access-control-allow-methods")).as("only to a preflight").isFalse();
        });
    }

    @Test
    void optionsIsAPreflightOnEveryRoute() {
        open();
        send("OPTIONS /post HTTP/1.1\r\nHost: h\r\nOrigin: http://a.example\r\nAccess-Control-Request-Method: POST\r\n"
                + "Access-Control-Request-Headers: X-One, Content-Type\r\n\r\n"
                + "OPTIONS /anything/x HTTP/1.1\r\nHost: h\r\n\r\nOPTIONS /nope HTTP/1.1\r\nHost: h\r\n\r\n");
        List<Answer> answers = answers();
        assertThat(answers).extracting(Answer::status).containsExactly(200, 200, 404);
        Answer post = answers.get(0);
        assertThat(post.body()).isEmpty();
        assertThat(post.headers().get("allow")).isEqualTo("OPTIONS, POST");
        assertThat(post.headers().get("access-control-allow-origin")).isEqualTo("http://a.example");
        assertThat(post.headers().get("access-control-allow-headers")).isEqualTo("X-One, Content-Type");
        assertThat(answers).allSatisfy(a -> {
            assertThat(a.headers().get("access-control-allow-methods")).isEqualTo(Responses.CORS_METHODS);
            assertThat(a.headers().get("access-control-max-age")).isEqualTo("3600");
        });
        assertThat(answers.get(1).headers().get("allow")).contains("PUT", "TRACE", "DELETE");
        assertThat(answers.get(1).headers().contains("access-control-allow-headers")).isFalse();
    }

    @Test
    void statusBodiesAndHeadersAreHttpbins() {
        open();
        for (String code : List.of("418", "404", "401", "402", "304", "0:0,201:1")) {
            send("GET /status/" + code + " HTTP/1.1\r\nHost: h\r\n\r\n");
        }
        List<Answer> answers = answers();
        assertThat(answers).extracting(Answer::status).containsExactly(418, 404, 401, 402, 304, 400);
        Answer teapot = answers.get(0);
        assertThat(teapot.text()).isEqualTo(StatusEndpoints.TEAPOT).contains("-=[ teapot ]=-");
        assertThat(teapot.headers().get("x-more-info")).isEqualTo("http://tools.ietf.org/html/rfc2324");
        assertThat(teapot.headers().contains("content-type")).isFalse();
        assertThat(answers.get(1).headers().get("content-type")).isEqualTo(Responses.HTML);
        assertThat(answers.get(1).body()).isEmpty();
        assertThat(answers.get(2).headers().get("www-authenticate")).isEqualTo("Basic realm=\"Fake Realm\"");
        assertThat(answers.get(3).text()).isNotEmpty();
        assertThat(answers.get(4).headers().contains("content-type")).isFalse();
        assertThat(answers.get(5).text()).contains("200..599");
    }

    @Test
    void statusPicksFromWeightedChoicesAndRejectsBadWeights() {
        open();
        send("GET /status/500:0,201:1 HTTP/1.1\r\nHost: h\r\n\r\nGET /status/201,202 HTTP/1.1\r\nHost: h\r\n\r\n"
                + "GET /status/201:x HTTP/1.1\r\nHost: h\r\n\r\nGET /status/201:-1 HTTP/1.1\r\nHost: h\r\n\r\n");
        List<Answer> answers = answers();
        assertThat(answers.get(0).status()).as("weight 0 is never picked").isEqualTo(201);
        assertThat(answers.get(1).status()).isIn(201, 202);
        assertThat(answers.subList(2, 4)).extracting(Answer::status).containsExactly(400, 400);
    }

    @Test
    void relativeAbsoluteAndTargetedRedirectsAreHttpbins() throws IOException {
        open();
        send("GET /relative-redirect/2 HTTP/1.1\r\nHost: h:81\r\n\r\nGET /relative-redirect/1 HTTP/1.1\r\nHost: h\r\n\r\n"
                + "GET /absolute-redirect/2 HTTP/1.1\r\nHost: h:81\r\n\r\nGET /absolute-redirect/1 HTTP/1.1\r\nHost: h:81\r\n\r\n"
                + "GET /redirect/2?absolute=true HTTP/1.1\r\nHost: h:81\r\n\r\n"
                + "POST /redirect-to?url=http%3A%2F%2Fe.example%2F%3Fa%3D1&status_code=307 HTTP/1.1\r\nHost: h\r\n"
                + "Content-Length: 0\r\n\r\n"
                + "GET /redirect-to?url=/get&status_code=200 HTTP/1.1\r\nHost: h\r\n\r\n"
                + "GET /redirect-to HTTP/1.1\r\nHost: h\r\n\r\nGET /relative-redirect/0 HTTP/1.1\r\nHost: h\r\n\r\n");
        List<Answer> answers = answers();
        assertThat(answers).extracting(Answer::status).containsExactly(302, 302, 302, 302, 302, 307, 302, 400, 400);
        assertThat(answers.subList(0, 7)).extracting(a -> a.headers().get("location")).containsExactly(
                "/relative-redirect/1", "/get", "http://h:81/absolute-redirect/1", "http://h:81/get",
                "http://h:81/absolute-redirect/1", "http://e.example/?a=1", "/get");
        assertThat(answers.get(2).text()).contains("<a href=\"http://h:81/absolute-redirect/1\">");
        assertThat(answers.get(7).json().get("error").asText()).contains("url");
    }

    private static String get(String path, String... headers) {
        return "GET " + path + " HTTP/1.1\r\nHost: h\r\n" + String.join("", List.of(headers).stream()
                .map(h -> h + "\r\n").toList()) + "\r\n";
    }

    @Test
    void userAgentUuidAndBase64() throws IOException {
        open();
        send(get("/user-agent", "User-Agent: probe/1") + get("/uuid") + get("/base64/aGVsbG8_") + get("/base64/aGk=")
                + get("/base64/%25%25"));
        List<Answer> answers = answers();
        assertThat(answers).extracting(Answer::status).containsExactly(200, 200, 200, 200, 400);
        assertThat(answers.get(0).json().get("user-agent").asText()).isEqualTo("probe/1");
        assertThat(UUID.fromString(answers.get(1).json().get("uuid").asText()).version()).isEqualTo(4);
        assertThat(answers.get(2).text()).isEqualTo("hello?");
        assertThat(answers.get(3).text()).isEqualTo("hi");
        assertThat(answers.get(3).headers().get("content-type")).isEqualTo(Responses.HTML);
    }

    @Test
    void cookiesAreShownSetAndDeletedPerRfc6265() throws IOException {
        open();
        send(get("/cookies", "Cookie: a=1; b=two") + get("/cookies/set?k=v&n=2") + get("/cookies/set/x/y")
                + get("/cookies/delete?k") + get("/cookies/set?bad=a%20b") + get("/cookies/other"));
        List<Answer> answers = answers();
        assertThat(answers).extracting(Answer::status).containsExactly(200, 302, 302, 302, 400, 404);
        assertThat(answers.get(0).json().get("cookies").toString()).isEqualTo("{\"a\":\"1\",\"b\":\"two\"}");
        assertThat(answers.get(1).headers().get("location")).isEqualTo("/cookies");
        assertThat(answers.get(1).headers().getAll("set-cookie")).containsExactly("k=v; Path=/", "n=2; Path=/");
        assertThat(answers.get(2).headers().getAll("set-cookie")).containsExactly("x=y; Path=/");
        assertThat(answers.get(3).headers().get("set-cookie")).startsWith("k=; Max-Age=0; Expires=").endsWith("; Path=/");
        assertThat(answers.get(4).json().get("error").asText()).contains("RFC 6265");
    }

    @Test
    void basicHiddenAndBearerAuthentication() throws IOException {
        open();
        String good = Base64.getEncoder().encodeToString("u:p:q".getBytes(StandardCharsets.UTF_8));
        String wrong = Base64.getEncoder().encodeToString("u:x".getBytes(StandardCharsets.UTF_8));
        send(get("/basic-auth/u/p:q", "Authorization: basic " + good) + get("/basic-auth/u/p:q")
                + get("/basic-auth/u/p", "Authorization: Basic " + wrong) + get("/basic-auth/u/p", "Authorization: Basic %%")
                + get("/hidden-basic-auth/u/x", "Authorization: Basic " + wrong) + get("/hidden-basic-auth/u/p")
                + get("/bearer", "Authorization: Bearer tok") + get("/bearer") + get("/bearer", "Authorization: Basic x")
                + get("/basic-auth/u"));
        List<Answer> answers = answers();
        assertThat(answers).extracting(Answer::status).containsExactly(200, 401, 401, 401, 200, 404, 200, 401, 401,
                400);
        assertThat(answers.get(0).json().get("user").asText()).isEqualTo("u");
        assertThat(answers.get(0).json().get("authenticated").asBoolean()).isTrue();
        assertThat(answers.subList(1, 4)).allSatisfy(a ->
                assertThat(a.headers().get("www-authenticate")).isEqualTo(AuthEndpoints.BASIC_CHALLENGE));
        assertThat(answers.get(5).headers().contains("www-authenticate")).as("hidden: no challenge").isFalse();
        assertThat(answers.get(6).json().get("token").asText()).isEqualTo("tok");
        assertThat(answers.get(7).headers().get("www-authenticate")).isEqualTo("Bearer");
    }

    @Test
    void responseHeadersAreSetAndListedWithTheirOwnLength() throws IOException {
        open();
        send(get("/response-headers?X-A=1&X-A=2&Content-Type=text/plain") + get("/response-headers?X-B=a%0Db")
                + get("/response-headers?Transfer-Encoding=chunked") + get("/response-headers?content-length=1"));
        List<Answer> answers = answers();
        assertThat(answers).extracting(Answer::status).containsExactly(200, 400, 400, 400);
        Answer a = answers.get(0);
        assertThat(a.headers().getAll("x-a")).containsExactly("1", "2");
        assertThat(a.headers().get("content-type")).isEqualTo("text/plain");
        JsonNode listed = a.json();
        assertThat(listed.get("X-A").toString()).isEqualTo("[\"1\",\"2\"]");
        assertThat(listed.get("content-length").asInt()).isEqualTo(a.body().length);
    }

    @Test
    void cacheAndEtagAnswerConditionalRequestsPerRfc9110() throws IOException {
        open();
        send(get("/cache") + get("/cache", "If-Modified-Since: Thu, 01 Jan 1970 00:00:00 GMT") + get("/cache/60")
                + get("/etag/abc") + get("/etag/abc", "If-None-Match: \"x\", W/\"abc\"")
                + get("/etag/abc", "If-None-Match: *") + get("/etag/abc", "If-Match: \"zzz\"")
                + get("/etag/abc", "If-Match: \"abc\"", "If-None-Match: abc")
                + get("/etag/abc", "If-Match: W/\"abc\"") + get("/cache/x"));
        List<Answer> answers = answers();
        assertThat(answers).extracting(Answer::status).containsExactly(200, 304, 200, 200, 304, 304, 412, 304, 412,
                400);
        assertThat(answers.get(0).headers().get("etag")).matches("\"[0-9a-f]{32}\"");
        assertThat(answers.get(0).headers().get("last-modified")).endsWith(" GMT");
        assertThat(answers.get(0).json().has("url")).isTrue();
        assertThat(answers.get(1).body()).isEmpty();
        assertThat(answers.get(2).headers().get("cache-control")).isEqualTo("public, max-age=60");
        assertThat(answers.get(3).headers().get("etag")).isEqualTo("\"abc\"");
        assertThat(answers.get(4).headers().get("etag")).isEqualTo("\"abc\"");
    }

    @Test
    void rangeServesOneByteRangePerRfc9110() {
        open();
        send(get("/range/30") + get("/range/30", "Range: bytes=2-5") + get("/range/30", "Range: bytes=-3")
                + get("/range/30", "Range: bytes=25-") + get("/range/30", "Range: bytes=40-")
                + get("/range/30", "Range: bytes=0-1,4-5") + get("/range/30", "Range: bytes=2-5", "If-Range: \"other\"")
                + get("/range/30", "Range: bytes=2-5", "If-Range: \"range30\"") + get("/range/0")
                + get("/range/30", "Range: bytes=5-2"));
        List<Answer> answers = answers();
        assertThat(answers).extracting(Answer::status).containsExactly(200, 206, 206, 206, 416, 200, 200, 206, 400,
                200);
        assertThat(answers.get(0).text()).isEqualTo("abcdefghijklmnopqrstuvwxyzabcd");
        assertThat(answers.get(0).headers().get("accept-ranges")).isEqualTo("bytes");
        assertThat(answers.get(0).headers().get("etag")).isEqualTo("\"range30\"");
        assertThat(answers.get(1).text()).isEqualTo("cdef");
        assertThat(answers.get(1).headers().get("content-range")).isEqualTo("bytes 2-5/30");
        assertThat(answers.get(2).text()).isEqualTo("bcd");
        assertThat(answers.get(2).headers().get("content-range")).isEqualTo("bytes 27-29/30");
        assertThat(answers.get(3).headers().get("content-range")).isEqualTo("bytes 25-29/30");
        assertThat(answers.get(4).headers().get("content-range")).isEqualTo("bytes */30");
        assertThat(answers.get(5).text()).hasSize(30);
        assertThat(answers.get(7).text()).isEqualTo("cdef");
    }

    @Test
    void linksDeflateAndFixedDocuments() throws IOException {
        open();
        send(get("/links/3/1") + get("/links/3") + get("/deflate") + get("/html") + get("/json") + get("/xml")
                + get("/robots.txt") + get("/deny") + get("/encoding/utf8") + get("/links/0/0"));
        List<Answer> answers = answers();
        assertThat(answers).extracting(Answer::status).containsExactly(200, 302, 200, 200, 200, 200, 200, 200, 200,
                400);
        assertThat(answers.get(0).text()).isEqualTo("<html><head><title>Links</title></head><body>"
                + "<a href='/links/3/0'>0</a> 1 <a href='/links/3/2'>2</a> </body></html>");
        assertThat(answers.get(1).headers().get("location")).isEqualTo("/links/3/0");
        Answer deflate = answers.get(2);
        assertThat(deflate.headers().get("content-encoding")).isEqualTo("deflate");
        try (InflaterInputStream in = new InflaterInputStream(
                new ByteArrayInputStream(deflate.body()))) {
            assertThat(JSON.readTree(in).get("deflated").asBoolean()).isTrue();
        }
        assertThat(answers.subList(3, 9)).extracting(a -> a.headers().get("content-type")).containsExactly(
                Responses.HTML, "application/json", "application/xml", "text/plain", "text/plain", Responses.HTML);
        assertThat(answers.get(4).json().get("slideshow").get("slides").isArray()).isTrue();
        assertThat(answers.get(6).text()).contains("Disallow: /deny");
        assertThat(answers.get(8).text()).contains("Καλημέρα", "🌍");
    }

    @Test
    void imagesByTypeAndByAccept() {
        open();
        send(get("/image/png") + get("/image/jpeg") + get("/image/webp") + get("/image/svg") + get("/image/gif")
                + get("/image", "Accept: image/webp,image/*") + get("/image", "Accept: image/*")
                + get("/image", "Accept: */*"));
        List<Answer> answers = answers();
        assertThat(answers).extracting(Answer::status).containsExactly(200, 200, 200, 200, 404, 200, 200, 406);
        assertThat(answers.subList(0, 4)).extracting(a -> a.headers().get("content-type"))
                .containsExactly("image/png", "image/jpeg", "image/webp", "image/svg+xml");
        assertThat(answers.get(0).body()).startsWith(0x89, 'P', 'N', 'G');
        assertThat(answers.get(1).body()).startsWith(0xff, 0xd8, 0xff);
        assertThat(new String(answers.get(2).body(), 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
        assertThat(answers.get(3).text()).startsWith("<svg");
        assertThat(answers.get(5).headers().get("content-type")).isEqualTo("image/webp");
        assertThat(answers.get(6).headers().get("content-type")).isEqualTo("image/png");
        assertThat(answers.get(7).text()).contains("Client did not request a supported media type.");
    }

    /** The response RFC 7616 3.4.1 asks for, computed here independently of the listener. */
    private static String digestResponse(String algorithm, String user, String password, String nonce, String uri,
            String cnonce) throws Exception {
        HexFormat hex = HexFormat.of();
        MessageDigest md = MessageDigest.getInstance(algorithm);
        String ha1 = hex.formatHex(md.digest((user + ":" + DigestAuth.REALM + ":" + password).getBytes(StandardCharsets.UTF_8)));
        String ha2 = hex.formatHex(md.digest(("GET:" + uri).getBytes(StandardCharsets.UTF_8)));
        return hex.formatHex(md.digest((ha1 + ":" + nonce + ":00000001:" + cnonce + ":auth:" + ha2)
                .getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void digestAuthChallengesAndAcceptsTheRfc7616Response() throws Exception {
        open();
        for (String algorithm : List.of("MD5", "SHA-256", "SHA-512")) {
            // a qop other than auth or auth-int: both offered, and the client picks auth
            String uri = "/digest-auth/" + (algorithm.equals("MD5") ? "other" : "auth") + "/u/p/" + algorithm;
            send(get(uri));
            Answer challenge = answers().get(0);
            assertThat(challenge.status()).isEqualTo(401);
            String header = challenge.headers().get("www-authenticate");
            assertThat(header).startsWith("Digest realm=\"me@kennethreitz.com\", nonce=\"")
                    .contains(algorithm.equals("MD5") ? "qop=\"auth, auth-int\"" : "qop=\"auth\"", "algorithm=" + algorithm);
            assertThat(challenge.headers().getAll("set-cookie")).contains("fake=fake_value; Path=/");
            Matcher nonce = Pattern.compile("nonce=\"([^\"]+)\"").matcher(header);
            assertThat(nonce.find()).isTrue();
            String credentials = "Digest username=\"u\", realm=\"me@kennethreitz.com\", nonce=\"%s\", uri=\"%s\", "
                    + "algorithm=%s, qop=auth, nc=00000001, cnonce=\"c0ffee\", response=\"%s\", opaque=\"x\"";
            send(get(uri, "Authorization: " + credentials.formatted(nonce.group(1), uri, algorithm,
                    digestResponse(algorithm, "u", "p", nonce.group(1), uri, "c0ffee"))));
            send(get(uri, "Authorization: " + credentials.formatted(nonce.group(1), uri, algorithm,
                    digestResponse(algorithm, "u", "wrong", nonce.group(1), uri, "c0ffee"))));
            String forged = "0" + nonce.group(1).substring(1);
            send(get(uri, "Authorization: " + credentials.formatted(forged, uri, algorithm,
                    digestResponse(algorithm, "u", "p", forged, uri, "c0ffee"))));
            send(get(uri, "Authorization: Digest username=\"u"));
            List<Answer> answers = answers();
            assertThat(answers).extracting(Answer::status).as(algorithm).containsExactly(200, 401, 401, 401);
            assertThat(answers.get(0).json().get("user").asText()).isEqualTo("u");
        }
        send(get("/digest-auth/auth/u"));
        assertThat(answers()).extracting(Answer::status).containsExactly(400);
    }

    /** The body's asterisks so far (the head has one too: Access-Control-Allow-Origin). */
    private static long stars(ByteArrayOutputStream wire) {
        String text = wire.toString(StandardCharsets.ISO_8859_1);
        return text.substring(text.indexOf("\r\n\r\n") + 4).chars().filter(c -> c == '*').count();
    }

    @Test
    void dripSpreadsItsBytesOverTheDuration() {
        open();
        channel.freezeTime();
        send(get("/drip?numbytes=4&duration=2&code=201"));
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        seen.writeBytes(wire());
        assertThat(seen.toString(StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 201 ").contains("content-length: 4");
        assertThat(stars(seen)).as("nothing before the first interval").isZero();
        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
        seen.writeBytes(wire());
        assertThat(stars(seen)).as("half the bytes after half the duration").isEqualTo(2);
        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
        seen.writeBytes(wire());
        assertThat(stars(seen)).isEqualTo(4);
        assertThat(seen.toString(StandardCharsets.ISO_8859_1)).endsWith("\r\n\r\n****");
    }

    @Test
    void dripRefusesWhatItCannotServe() {
        open();
        send(get("/drip?numbytes=0") + get("/drip?duration=abc") + get("/drip?duration=8&delay=3")
                + get("/drip?code=99") + get("/drip?numbytes=3&duration=0"));
        List<Answer> answers = answers();
        assertThat(answers).extracting(Answer::status).containsExactly(400, 400, 400, 400, 200);
        assertThat(answers.get(4).text()).isEqualTo("***");
    }
}
