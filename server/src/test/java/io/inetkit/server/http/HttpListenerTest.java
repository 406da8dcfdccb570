package io.inetkit.server.http;

import io.inetkit.server.tls.Tls;
import io.inetkit.server.tls.TlsSettings;

import io.inetkit.common.framing.Framing;
import io.inetkit.common.net.Cidr;
import io.inetkit.server.EchoServer;
import io.inetkit.server.ServerSettings;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The httpbin-style listeners on the echo server (--http, --https): served beside the echo listeners, and
 * under the same limits, idle timeout, drain and per-listener metrics as a --tcp listener.
 */
class HttpListenerTest {

    private static final String GET_IP = "GET /ip HTTP/1.1\r\nHost: x\r\n\r\n";

    private EchoServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private int start(ServerSettings.Limits limits, Tls tls) {
        server = new EchoServer(ServerSettings.builder()
                .http(0, tls)
                .limits(limits)
                .admin(new ServerSettings.Admin("127.0.0.1", 0))
                .drainTimeout(Duration.ofSeconds(5))
                .build()).start();
        return server.httpAddresses().get(0).getPort();
    }

    private static ServerSettings.Limits limits(int max, int perIp, Duration idle, List<String> deny) {
        return new ServerSettings.Limits(max, perIp, idle, List.of(), deny.stream().map(Cidr::parse).toList());
    }

    @Test
    void servesHttpAndHttpsBesideTheEchoListeners() throws Exception {
        server = new EchoServer(ServerSettings.builder()
                .tcp(0, new Framing.Raw())
                .http(0, Tls.none())
                .http(0, Tls.selfSigned())
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

    @Test
    void maxConnectionsHoldsForHttp() throws Exception {
        int port = start(limits(1, 10, Duration.ZERO, List.of()), Tls.none());
        try (Socket first = connect(port); Socket second = connect(port)) {
            assertThat(exchange(first, GET_IP)).startsWith("HTTP/1.1 200 OK");
            assertThat(second.getInputStream().read()).as("refused: closed without an answer").isEqualTo(-1);
        }
        assertThat(metrics()).contains("inetkit_connections_rejected_total{listener=\"http/" + port
                + "\",reason=\"max_connections\"} 1.0");
    }

    @Test
    void maxConnectionsPerIpHoldsForHttp() throws Exception {
        int port = start(limits(10, 1, Duration.ZERO, List.of()), Tls.none());
        try (Socket first = connect(port); Socket second = connect(port)) {
            assertThat(exchange(first, GET_IP)).startsWith("HTTP/1.1 200 OK");
            assertThat(second.getInputStream().read()).as("refused: closed without an answer").isEqualTo(-1);
        }
        assertThat(metrics()).contains("inetkit_connections_rejected_total{listener=\"http/" + port
                + "\",reason=\"max_connections_per_ip\"} 1.0");
    }

    @Test
    void denyHoldsForHttps() throws Exception {
        int port = start(limits(10, 10, Duration.ZERO, List.of("127.0.0.0/8")), Tls.selfSigned());
        try (Socket s = connect(port)) {
            assertThat(s.getInputStream().read()).as("refused: closed without a handshake").isEqualTo(-1);
        }
        assertThat(metrics()).contains("inetkit_connections_rejected_total{listener=\"https/" + port
                + "\",reason=\"denied\"} 1.0");
    }

    @Test
    void idleTimeoutClosesASilentKeepAliveConnection() throws Exception {
        int port = start(limits(10, 10, Duration.ofMillis(300), List.of()), Tls.none());
        try (Socket s = connect(port)) {
            assertThat(exchange(s, GET_IP)).startsWith("HTTP/1.1 200 OK");
            assertThat(s.getInputStream().read()).as("closed by the server after 300 ms of silence").isEqualTo(-1);
        }
        assertThat(metrics()).contains("inetkit_connections_idle_closed_total{listener=\"http/" + port + "\"} 1.0");
    }

    /**
     * Slowloris: 40 connections each send the start of a head and then a byte at a time, and never finish it.
     * The header timeout (1 s here) closes every one, the idle timeout (which each byte resets) would not, and
     * a client that sends a whole request is served meanwhile. Over TLS the same, inside the session.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aHeadThatNeverEndsIsCutByTheHeaderTimeout(boolean tls) throws Exception {
        int slow = 40;
        server = new EchoServer(ServerSettings.builder()
                .tls(tls ? TlsSettings.of(Tls.selfSigned()) : null)
                .http(new ServerSettings.HttpListener(0, tls,
                        HttpEchoSettings.builder().headerTimeout(Duration.ofSeconds(1)).build()))
                .limits(limits(1000, 1000, Duration.ofMinutes(5), List.of()))
                .admin(new ServerSettings.Admin("127.0.0.1", 0))
                .build()).start();
        int port = server.httpAddresses().get(0).getPort();
        List<Socket> attackers = new ArrayList<>();
        try {
            for (int i = 0; i < slow; i++) {
                Socket s = tls ? tlsConnect(port) : connect(port);
                s.getOutputStream().write("GET /get HTTP/1.1\r\nHost: x\r\nX-a: ".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                attackers.add(s);
            }
            // a byte from each now and then: the idle timeout never fires, the header timeout must
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < until && metricValue("inetkit_http_request_timeouts_total", port) < slow) {
                for (Socket s : attackers) {
                    try {
                        s.getOutputStream().write('a');
                        s.getOutputStream().flush();
                    } catch (IOException closed) {
                        // cut: what the test waits for
                    }
                }
                try (Socket bystander = tls ? tlsConnect(port) : connect(port)) {
                    assertThat(exchange(bystander, GET_IP)).startsWith("HTTP/1.1 200 OK");
                }
            }
            assertThat(metricValue("inetkit_http_request_timeouts_total", port)).isEqualTo(slow);
            for (Socket s : attackers) {
                assertThat(bytesUntilClosed(s)).as("closed without an answer").isZero();
            }
        } finally {
            for (Socket s : attackers) {
                s.close();
            }
        }
    }

    /**
     * A 503 (the body budget is full) to a body still being sent: the answer arrives and is read, not
     * destroyed by the reset a close with unread input makes, since the server shuts its output down and reads
     * the rest of the body before it closes (lingering close).
     */
    @Test
    void a503ToABodyStillBeingSentIsReadNotReset() throws Exception {
        int size = 100_000;
        server = new EchoServer(ServerSettings.builder()
                .http(new ServerSettings.HttpListener(0, false, HttpEchoSettings.builder()
                        .maxRequestSize(size).bodyBudget(size).build()))
                .admin(new ServerSettings.Admin("127.0.0.1", 0))
                .build()).start();
        int port = server.httpAddresses().get(0).getPort();
        try (Socket holder = connect(port)) {
            // reserves the whole budget: its body never comes
            holder.getOutputStream().write(("POST /post HTTP/1.1\r\nHost: x\r\nContent-Length: " + size + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            // on another event loop, maybe: the rounds start once the budget is taken
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    metricValue("inetkit_http_body_budget_used_bytes", port) == size);
            for (int round = 0; round < 5; round++) {
                try (Socket s = connect(port)) {
                    OutputStream out = s.getOutputStream();
                    byte[] request = ("POST /post HTTP/1.1\r\nHost: x\r\nContent-Length: " + size + "\r\n\r\n"
                            + "b".repeat(size)).getBytes(StandardCharsets.US_ASCII);
                    CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                        try {
                            out.write(request);
                        } catch (IOException ignored) {
                            // the answer is what is checked
                        }
                    });
                    String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                    assertThat(answer).as("round " + round).startsWith("HTTP/1.1 503 Service Unavailable");
                    sending.get(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    /**
     * A POST whose body trickles in at 10 B/s, under a minimum of 1000 B/s: 408 and a close once the 5 s of
     * grace are over, although every byte is activity for the idle timeout.
     */
    @Test
    void aBodyThatTricklesIsCutByTheMinimumRate() throws Exception {
        server = new EchoServer(ServerSettings.builder()
                .http(new ServerSettings.HttpListener(0, false, HttpEchoSettings.builder().minBodyRate(1000).build()))
                .limits(limits(10, 10, Duration.ofMinutes(5), List.of()))
                .admin(new ServerSettings.Admin("127.0.0.1", 0))
                .build()).start();
        int port = server.httpAddresses().get(0).getPort();
        try (Socket s = connect(port)) {
            s.getOutputStream().write("POST /post HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            try {
                while (System.nanoTime() < until && metricValue("inetkit_http_request_timeouts_total", port) == 0) {
                    s.getOutputStream().write('x');
                    java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // the trickle
                }
            } catch (IOException cut) {
                // closed after the 408: what the test waits for
            }
            s.setSoTimeout(5000);
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            try {
                for (int b; (b = s.getInputStream().read()) != -1; ) {
                    received.write(b);
                }
            } catch (SocketTimeoutException stillOpen) {
                throw stillOpen;
            } catch (IOException reset) {
                // a trickled byte crossed the close: the kernel's RST ends the stream after the 408
            }
            String answer = received.toString(StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 408 Request Timeout").containsIgnoringCase("connection: close");
        }
        assertThat(metrics()).contains("inetkit_http_request_timeouts_total{listener=\"http/" + port
                + "\",phase=\"body\"} 1.0");
    }

    /**
     * The bytes a socket reads until the server's close: its FIN (read gives -1) or, when the attacker wrote
     * after that close, the RST the kernel answers with (read throws). A read that hangs fails after 5 s.
     */
    private static int bytesUntilClosed(Socket s) throws IOException {
        s.setSoTimeout(5000);
        int n = 0;
        try {
            while (s.getInputStream().read() != -1) {
                n++;
            }
        } catch (SocketTimeoutException stillOpen) {
            throw stillOpen;
        } catch (IOException reset) {
            // "Connection reset": closed all the same
        }
        return n;
    }

    /** The value of {@code name{listener="http/PORT",...}} in the admin's /metrics, 0 when absent. */
    private long metricValue(String name, int port) throws Exception {
        return metrics().lines().filter(l -> l.startsWith(name + "{") && l.contains("/" + port + "\""))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void metricsCountHttpConnectionsUnderTheListenersName() throws Exception {
        int port = start(ServerSettings.Limits.DEFAULT, Tls.none());
        try (Socket s = connect(port)) {
            assertThat(exchange(s, GET_IP)).startsWith("HTTP/1.1 200 OK");
            String metrics = metrics();
            assertThat(metrics).contains("inetkit_connections_accepted_total{listener=\"http/" + port + "\"} 1.0");
            assertThat(metrics).contains("inetkit_connections_active{listener=\"http/" + port + "\"} 1.0");
        }
    }

    @Test
    void stopFinishesTheRequestInFlightWithConnectionCloseAndRefusesNewConnections() throws Exception {
        int port = start(ServerSettings.Limits.DEFAULT, Tls.none());
        try (Socket idle = connect(port); Socket busy = connect(port)) {
            assertThat(exchange(idle, GET_IP)).startsWith("HTTP/1.1 200 OK");
            // one write: the server reads both requests together, answers /ip and holds /delay/1
            busy.getOutputStream().write((GET_IP + "GET /delay/1 HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(readResponse(busy.getInputStream())).startsWith("HTTP/1.1 200 OK");

            CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(server::stop);
            assertThat(idle.getInputStream().read()).as("an idle keep-alive connection closes at once").isEqualTo(-1);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThatThrownBy(() -> connect(port).close()).isInstanceOf(ConnectException.class));
            String delayed = new String(busy.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(delayed).startsWith("HTTP/1.1 200 OK").containsIgnoringCase("connection: close")
                    .contains("\"url\": \"http://x/delay/1\"");
            assertThat(stopped.get()).as("every connection finished within the drain timeout").isTrue();
        }
    }

    /** The httpbin endpoints over h2c (the JDK client upgrades on its first request): the same answers as HTTP/1.1. */
    @Test
    void httpbinAnswersAreTheSameOverH2c() throws Exception {
        int port = start(ServerSettings.Limits.DEFAULT, Tls.none());
        HttpClient h2c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(5)).build();
        String base = "http://127.0.0.1:" + port;
        HttpResponse<String> upgrade = h2c.send(HttpRequest.newBuilder(URI.create(base + "/ip"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(upgrade.version()).isEqualTo(HttpClient.Version.HTTP_2);

        String multipart = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XyZ\r\n"
                + "Content-Disposition: form-data; name=\"f\"; filename=\"f.txt\"\r\n\r\nhi\r\n--XyZ--\r\n";
        HttpResponse<String> form = h2c.send(HttpRequest.newBuilder(URI.create(base + "/put"))
                .header("Content-Type", "multipart/form-data; boundary=XyZ").header("Origin", "http://a.example")
                .PUT(HttpRequest.BodyPublishers.ofString(multipart)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(form.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(form.body()).contains("\"form\": {\"a\": \"1\"}").contains("\"files\": {\"f\": \"hi\"}");
        assertThat(form.headers().firstValue("access-control-allow-origin")).hasValue("http://a.example");

        HttpResponse<String> preflight = h2c.send(HttpRequest.newBuilder(URI.create(base + "/post"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Access-Control-Request-Headers", "X-A")
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("allow")).hasValue("OPTIONS, POST");
        assertThat(preflight.headers().firstValue("access-control-allow-headers")).hasValue("X-A");

        HttpResponse<String> teapot = h2c.send(HttpRequest.newBuilder(URI.create(base + "/status/418"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(teapot.body()).isEqualTo(StatusEndpoints.TEAPOT);
        HttpResponse<String> missing = h2c.send(HttpRequest.newBuilder(URI.create(base + "/nope"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("content-type")).hasValue(Responses.HTML);

        HttpResponse<String> redirect = h2c.send(HttpRequest.newBuilder(URI.create(base + "/absolute-redirect/2"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(redirect.statusCode()).isEqualTo(302);
        assertThat(redirect.headers().firstValue("location")).hasValue(base + "/absolute-redirect/1");

        HttpResponse<String> cookies = h2c.send(HttpRequest.newBuilder(URI.create(base + "/cookies/set?k=v"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(cookies.headers().allValues("set-cookie")).containsExactly("k=v; Path=/");
        HttpResponse<String> auth = h2c.send(HttpRequest.newBuilder(URI.create(base + "/basic-auth/u/p"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(auth.headers().firstValue("www-authenticate")).hasValue(AuthEndpoints.BASIC_CHALLENGE);
        HttpResponse<String> digest = h2c.send(HttpRequest.newBuilder(URI.create(base + "/digest-auth/auth/u/p"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(digest.headers().firstValue("www-authenticate").orElseThrow()).startsWith("Digest realm=");
        HttpResponse<String> range = h2c.send(HttpRequest.newBuilder(URI.create(base + "/range/26"))
                .header("Range", "bytes=-2").timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo("yz");
        HttpResponse<String> drip = h2c.send(HttpRequest.newBuilder(URI.create(base + "/drip?numbytes=3&duration=0.2"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(drip.body()).isEqualTo("***");
        HttpResponse<byte[]> image = h2c.send(HttpRequest.newBuilder(URI.create(base + "/image/png"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(image.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(image.headers().firstValue("content-type")).hasValue("image/png");
        assertThat(image.body()).startsWith(0x89, 'P', 'N', 'G');
    }

    /** With Netty's HTTP/2 client: the JDK 17 client fails every open stream on any GOAWAY. */
    @Test
    void stopSendsGoawayAndLetsTheHttp2StreamInFlightFinish() throws Exception {
        int port = start(ServerSettings.Limits.DEFAULT, Tls.none());
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            CompletableFuture<Http2GoAwayFrame> goaway = new CompletableFuture<>();
            Channel connection = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(),
                                    new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()),
                                    new ChannelInboundHandlerAdapter() {
                                        @Override
                                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                            if (msg instanceof Http2GoAwayFrame frame) {
                                                goaway.complete(frame);
                                            }
                                            ReferenceCountUtil.release(msg);
                                        }
                                    });
                        }
                    }).connect("127.0.0.1", port).sync().channel();
            CompletableFuture<String> delayed = get(connection, "/delay/1");
            // a later stream of the same connection: once it is answered, the server has read /delay/1
            assertThat(get(connection, "/ip").get(10, TimeUnit.SECONDS)).startsWith("200 ");

            CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(server::stop);
            assertThat(goaway.get(5, TimeUnit.SECONDS).errorCode()).as("NO_ERROR").isZero();
            assertThat(delayed.get(10, TimeUnit.SECONDS)).startsWith("200 ").contains("/delay/1");
            assertThat(stopped.get()).as("the connection closed once its stream was done").isTrue();
            assertThat(connection.closeFuture().await(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** GET {@code path} on a new stream of {@code connection}: "STATUS BODY" once the stream ends. */
    private static CompletableFuture<String> get(Channel connection, String path) throws InterruptedException {
        CompletableFuture<String> answer = new CompletableFuture<>();
        StringBuilder text = new StringBuilder();
        Http2StreamChannel stream = new Http2StreamChannelBootstrap(connection)
                .handler(new SimpleChannelInboundHandler<Http2StreamFrame>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, Http2StreamFrame frame) {
                        boolean end = false;
                        if (frame instanceof Http2HeadersFrame headers) {
                            text.append(headers.headers().status()).append(' ');
                            end = headers.isEndStream();
                        } else if (frame instanceof Http2DataFrame data) {
                            text.append(data.content().toString(StandardCharsets.UTF_8));
                            end = data.isEndStream();
                        }
                        if (end) {
                            answer.complete(text.toString());
                        }
                    }
                }).open().sync().getNow();
        stream.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().method("GET").path(path)
                .scheme("http").authority("x"), true));
        return answer;
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(10_000);
        return s;
    }

    private static Socket tlsConnect(int port) throws Exception {
        SSLSocket s = (SSLSocket) trustAll().getSocketFactory().createSocket("127.0.0.1", port);
        s.setSoTimeout(10_000);
        s.startHandshake();
        return s;
    }

    private static String exchange(Socket s, String request) throws IOException {
        s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        return readResponse(s.getInputStream());
    }

    /** One response with a content-length body. */
    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.US_ASCII);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return text + new String(in.readNBytes(length), StandardCharsets.US_ASCII);
    }

    private String metrics() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminAddress().getPort()
                + "/metrics")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
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
