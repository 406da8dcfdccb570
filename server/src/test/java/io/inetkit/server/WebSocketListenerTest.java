package io.inetkit.server;

import io.inetkit.server.tls.Tls;
import io.inetkit.server.tls.TlsSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import static io.inetkit.server.Rfc6455FramesTest.Frame;
import static io.inetkit.server.Rfc6455FramesTest.Got;
import static io.inetkit.server.Rfc6455FramesTest.encode;
import static io.inetkit.server.Rfc6455FramesTest.read;
import static io.inetkit.server.Rfc6455FramesTest.readHead;
import static io.inetkit.server.Rfc6455FramesTest.upgrade;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The WebSocket listener as a server: what is not an upgrade, permessage-deflate, wss, and the server's
 * limits, idle timeout, drain and metrics holding for WebSocket connections.
 */
class WebSocketListenerTest {

    private EchoServer server;
    private final Random random = new Random(11);

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private int start(ServerSettings.Builder b) {
        server = new EchoServer(b.ioThreads(1).drainTimeout(Duration.ofSeconds(5)).build()).start();
        return server.wsAddresses().get(0).getPort();
    }

    private static ServerSettings.Builder ws(String path) {
        return ServerSettings.builder().ws(new ServerSettings.WsListener(0, path,
                ServerSettings.WsListener.DEFAULT_MAX_MESSAGE, false, false));
    }

    private static String http(int port, String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String head = readHead(s.getInputStream());
            int length = head.lines().filter(l -> l.toLowerCase().startsWith("content-length:"))
                    .map(l -> Integer.parseInt(l.substring(15).trim())).findFirst().orElse(0);
            return head + new String(s.getInputStream().readNBytes(length), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void anotherPathGets404AndARequestThatIsNoUpgradeGets400() throws IOException {
        int port = start(ws("/echo"));
        String other = http(port, "GET /other HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        assertThat(other).startsWith("HTTP/1.1 404 ").contains("no WebSocket here: upgrade on /echo");
        String plain = http(port, "GET /echo HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(plain).startsWith("HTTP/1.1 400 ");
        String version = http(port, "GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 99\r\n\r\n");
        assertThat(version).startsWith("HTTP/1.1 426 ").containsIgnoringCase("sec-websocket-version: 13");
    }

    @Test
    void belowThePathAndWithAQueryTheUpgradeIsTakenToo() throws IOException {
        int port = start(ws("/echo"));
        for (String path : List.of("/echo", "/echo?x=1", "/echo/room/7")) {
            try (Socket s = upgrade(port, path, null)) {
                s.getOutputStream().write(encode(Frame.text(path), random));
                assertThat(read(new DataInputStream(s.getInputStream())).toString()).isEqualTo("opcode 1 " + path);
            }
        }
    }

    @Test
    void aPeersFinWithoutACloseFrameClosesTheConnection() throws IOException {
        int port = start(ws("/"));
        try (Socket s = upgrade(port, "/", null)) {
            s.shutdownOutput();
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        await().atMost(5, TimeUnit.SECONDS).until(() -> server.activeConnections() == 0);
    }

    @Test
    void permessageDeflateIsNegotiatedAndACompressedMessageComesBackCompressed() throws Exception {
        int port = start(ws("/"));
        try (Socket s = upgrade(port, "/", "permessage-deflate; client_max_window_bits")) {
            assertThat(Rfc6455FramesTest.lastHead).containsIgnoringCase("sec-websocket-extensions: permessage-deflate");
            String text = "Hello, compressed world! ".repeat(20);
            s.getOutputStream().write(encode(Frame.of(0xc1, deflate(text.getBytes(StandardCharsets.UTF_8))), random));
            DataInputStream in = new DataInputStream(s.getInputStream());
            int b0 = in.readUnsignedByte();
            assertThat(b0 & 0x40).as("RSV1: the echo is compressed").isEqualTo(0x40);
            assertThat(b0 & 0x0f).as("a text message").isEqualTo(1);
            int len = in.readUnsignedByte() & 0x7f;
            if (len == 126) {
                len = in.readUnsignedShort();
            }
            byte[] payload = new byte[len];
            in.readFully(payload);
            assertThat(len).isLessThan(text.length());
            assertThat(new String(inflate(payload), StandardCharsets.UTF_8)).isEqualTo(text);
        }
    }

    @Test
    void deflatedMessagesUpToTheLimitAreEchoedAndOneThatInflatesPastItIsClosedWith1009() throws Exception {
        int port = start(ServerSettings.builder().ws(new ServerSettings.WsListener(0, "/", 1024, false, false)));
        // incompressible bytes deflate to a little more than they are; Netty's inflater once refused these
        // 700 with a 1024 limit, as it wants room for twice its input before each step
        byte[] bytes = new byte[700];
        new java.util.Random(7).nextBytes(bytes);
        try (Socket s = upgrade(port, "/", "permessage-deflate")) {
            s.getOutputStream().write(encode(Frame.of(0xc2, deflate(bytes)), this.random));
            DataInputStream in = new DataInputStream(s.getInputStream());
            int b0 = in.readUnsignedByte();
            assertThat(b0 & 0x0f).as("a binary message, not a close").isEqualTo(2);
            int len = in.readUnsignedByte() & 0x7f;
            if (len == 126) {
                len = in.readUnsignedShort();
            }
            byte[] payload = new byte[len];
            in.readFully(payload);
            assertThat((b0 & 0x40) != 0 ? inflate(payload) : payload).isEqualTo(bytes);
        }
        // 2,000 bytes that deflate to a few: the frame is small, the message is not
        try (Socket s = upgrade(port, "/", "permessage-deflate")) {
            s.getOutputStream().write(encode(Frame.of(0xc1, deflate("y".repeat(2000).getBytes(StandardCharsets.US_ASCII))),
                    this.random));
            Rfc6455FramesTest.Got got = Rfc6455FramesTest.read(new DataInputStream(s.getInputStream()));
            assertThat(got.closeCode()).as(got.toString()).isEqualTo(1009);
        }
    }

    /** RFC 7692 §7.2.1: DEFLATE of the message, without the final empty block's 00 00 ff ff. */
    static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        d.setInput(data);
        byte[] buf = new byte[data.length + 64];
        int n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
        d.end();
        return java.util.Arrays.copyOf(buf, n - 4);
    }

    static byte[] inflate(byte[] data) throws Exception {
        Inflater i = new Inflater(true);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(data);
        all.writeBytes(new byte[] {0, 0, (byte) 0xff, (byte) 0xff});
        i.setInput(all.toByteArray());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int n;
        while ((n = i.inflate(buf)) > 0) {
            out.write(buf, 0, n);
        }
        i.end();
        return out.toByteArray();
    }

    @Test
    void messagesAndClosesAreCountedByTypeAndCode() throws IOException {
        int port = start(ws("/"));
        try (Socket s = upgrade(port, "/", null)) {
            s.getOutputStream().write(encode(Frame.text("one"), random));
            s.getOutputStream().write(encode(Frame.of(0x82, new byte[300]), random));
            s.getOutputStream().write(encode(Frame.close(1000), random));
            DataInputStream in = new DataInputStream(s.getInputStream());
            assertThat(List.of(read(in).toString(), read(in).opcode(), read(in).toString()))
                    .containsExactly("opcode 1 one", 2, "close 1000");
        }
        MeterRegistry r = server.registry();
        String listener = "ws/" + port;
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(count(r, "inetkit.ws.messages", listener, "type", "text")).isEqualTo(1);
            assertThat(count(r, "inetkit.ws.messages", listener, "type", "binary")).isEqualTo(1);
            assertThat(count(r, "inetkit.ws.message.bytes", listener, "type", "binary")).isEqualTo(300);
            assertThat(r.find("inetkit.ws.closes").tag("listener", listener).tag("code", "1000").tag("by", "client")
                    .counter().count()).isEqualTo(1);
            assertThat(r.find("inetkit.ws.closes").tag("listener", listener).tag("code", "1000").tag("by", "server")
                    .counter().count()).isEqualTo(1);
        });
    }

    private static double count(MeterRegistry r, String name, String listener, String tag, String value) {
        Counter c = r.find(name).tag("listener", listener).tag(tag, value).counter();
        return c == null ? -1 : c.count();
    }

    @Test
    void aStopSends1001AndWaitsForTheClientsClose() throws Exception {
        int port = start(ws("/"));
        try (Socket s = upgrade(port, "/", null)) {
            s.getOutputStream().write(encode(Frame.text("before"), random));
            DataInputStream in = new DataInputStream(s.getInputStream());
            assertThat(read(in).toString()).isEqualTo("opcode 1 before");
            CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> server.stop());
            Got close = read(in);
            assertThat(close.toString()).isEqualTo("close 1001");
            assertThat(stopped).as("the server waits for the client's close").isNotDone();
            s.getOutputStream().write(encode(Frame.close(1000), random));
            assertThat(in.read()).isEqualTo(-1);
            assertThat(stopped.get(5, TimeUnit.SECONDS)).as("a clean stop, within the drain timeout").isTrue();
        }
        server = null;
    }

    @Test
    void anIdleWebSocketIsClosedByTheIdleTimeoutAndTheConnectionLimitHolds() throws IOException {
        ServerSettings.Builder b = ws("/").limits(new ServerSettings.Limits(1, 1, Duration.ofMillis(300), List.of(), List.of()));
        int port = start(b);
        try (Socket s = upgrade(port, "/", null)) {
            // a second connection while the first holds the only slot is closed at once
            try (Socket second = new Socket()) {
                second.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                second.setSoTimeout(5000);
                assertThat(second.getInputStream().read()).isEqualTo(-1);
            }
            assertThat(s.getInputStream().read()).as("closed when idle").isEqualTo(-1);
        }
        assertThat(server.wsMeters().get(0).idleClosed.count()).isEqualTo(1);
    }

    @Test
    void theHttpListenerUpgradesOnSlashWsAndStillAnswersHttpOnTheSamePort() throws Exception {
        server = new EchoServer(ServerSettings.builder().ioThreads(1).drainTimeout(Duration.ofSeconds(5))
                .http(new ServerSettings.HttpListener(0, false)).build()).start();
        int port = server.httpAddresses().get(0).getPort();
        String ip = http(port, "GET /ip HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(ip).startsWith("HTTP/1.1 200 ").contains("\"origin\"");
        try (Socket s = upgrade(port, "/ws", null)) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            s.getOutputStream().write(encode(Frame.text("over http"), random));
            assertThat(read(in).toString()).isEqualTo("opcode 1 over http");
            s.getOutputStream().write(encode(Frame.of(0x82, new byte[70_000]), random));
            assertThat(read(in).payload()).hasSize(70_000);
            // a stop: the /ws connection gets 1001 as a --ws one does, and the server waits for the answer
            CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> server.stop());
            assertThat(read(in).toString()).isEqualTo("close 1001");
            s.getOutputStream().write(encode(Frame.close(1001), random));
            assertThat(in.read()).isEqualTo(-1);
            assertThat(stopped.get(5, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(server.registry().find("inetkit.ws.messages").tag("listener", "http/" + port).tag("type", "text")
                .counter().count()).isEqualTo(1);
        server = null;
    }

    @Test
    void wssEchoesOverTls() throws Exception {
        ServerSettings.Builder b = ServerSettings.builder().tls(TlsSettings.of(Tls.selfSigned()))
                .ws(new ServerSettings.WsListener(0, "/secure", ServerSettings.WsListener.DEFAULT_MAX_MESSAGE, false, true));
        int port = start(b);
        SSLContext context = ((JdkSslContext) SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                .trustManager(InsecureTrustManagerFactory.INSTANCE).build()).context();
        try (SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.startHandshake();
            upgrade(s, port, "/secure", null);
            s.getOutputStream().write(encode(Frame.text("over TLS"), random));
            assertThat(read(new DataInputStream(s.getInputStream())).toString()).isEqualTo("opcode 1 over TLS");
        }
    }
}
