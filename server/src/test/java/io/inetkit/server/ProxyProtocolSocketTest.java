package io.inetkit.server;

import io.inetkit.common.framing.Framing;
import io.inetkit.common.net.Cidr;
import io.inetkit.server.http.HttpEchoSettings;
import io.inetkit.server.tls.Tls;
import io.inetkit.server.tls.TlsSettings;
import io.inetkit.server.stream.StreamMeters;
import io.inetkit.server.stream.StreamMeters.Rejection;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** PROXY listeners over real loopback sockets, port 0: the limits and /ip see the header's client. */
class ProxyProtocolSocketTest {

    private EchoServer server;
    private final List<Socket> sockets = new ArrayList<>();
    private final Random random = new Random(19);

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    private static ServerSettings.Limits limits(int perIp, List<String> allow, List<String> deny) {
        return new ServerSettings.Limits(100, perIp, Duration.ZERO, allow.stream().map(Cidr::parse).toList(),
                deny.stream().map(Cidr::parse).toList());
    }

    private InetSocketAddress startTcp(String spec, ServerSettings.Limits limits, ServerSettings.ProxyProtocol proxy) {
        server = new EchoServer(ServerSettings.builder().tcp(ServerSettings.TcpListener.parse(spec)).limits(limits)
                .proxyProtocol(proxy).drainTimeout(Duration.ofSeconds(1)).build()).start();
        return server.tcpAddresses().get(0);
    }

    private Socket connect(InetSocketAddress address, String from) throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.bind(new InetSocketAddress(from, 0));
        s.connect(address, 2000);
        s.setSoTimeout(5000);
        return s;
    }

    /** Writes {@code bytes} in random-sized pieces: TCP keeps no boundaries, nor must the server need them. */
    private void send(Socket s, byte[] bytes) throws IOException {
        OutputStream out = s.getOutputStream();
        for (int i = 0; i < bytes.length; ) {
            int n = Math.min(bytes.length - i, 1 + random.nextInt(7));
            out.write(bytes, i, n);
            out.flush();
            i += n;
        }
    }

    private static byte[] v1(String client) {
        return ("PROXY TCP4 " + client + " 127.0.0.1 40000 5005\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] v2(String client) {
        EmbeddedChannel encoder = new EmbeddedChannel(HAProxyMessageEncoder.INSTANCE);
        encoder.writeOutbound(new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.PROXY,
                client.contains(":") ? HAProxyProxiedProtocol.TCP6 : HAProxyProxiedProtocol.TCP4, client,
                client.contains(":") ? "::1" : "127.0.0.1", 40000, 5005));
        ByteBuf wire = encoder.readOutbound();
        encoder.finish();
        try {
            return ByteBufUtil.getBytes(wire);
        } finally {
            wire.release();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A connection that sent its header and was served: one line echoed. */
    private Socket served(InetSocketAddress address, byte[] header) throws IOException {
        Socket s = connect(address, "127.0.0.1");
        send(s, concat(header, "hello\n".getBytes(StandardCharsets.US_ASCII)));
        assertThat(new String(s.getInputStream().readNBytes(6), StandardCharsets.US_ASCII)).isEqualTo("hello\n");
        return s;
    }

    /** Closed by the server without a byte: EOF, or a reset. */
    private static void assertClosed(Socket s) throws IOException {
        try {
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the connection was left open", e);
        } catch (IOException reset) {
            assertThat(reset.getMessage()).containsIgnoringCase("reset");
        }
    }

    private StreamMeters meters() {
        return server.tcpMeters().get(0);
    }

    private long rejected(Rejection reason) {
        return (long) meters().rejected(reason).count();
    }

    @ParameterizedTest
    @ValueSource(strings = {"raw", "fixed:6", "line", "delimiter:\\n", "length:2"})
    void everyFramingEchoesBehindAV1AndAV2Header(String framing) throws IOException {
        InetSocketAddress address = startTcp("0:" + framing + ":proxy", ServerSettings.Limits.DEFAULT,
                ServerSettings.ProxyProtocol.DEFAULT);
        byte[] frame = framing.equals("length:2") ? new byte[] {0, 4, 'p', 'i', 'n', 'g'}
                : "hello\n".getBytes(StandardCharsets.US_ASCII);
        for (byte[] header : List.of(v1("203.0.113.7"), v2("2001:db8::7"))) {
            Socket s = connect(address, "127.0.0.1");
            send(s, concat(header, frame));
            assertThat(s.getInputStream().readNBytes(frame.length)).isEqualTo(frame);
        }
        assertThat(meters().accepted.count()).isEqualTo(2);
    }

    @Test
    void thePerIpLimitHoldsPerHeaderClientNotPerBalancer() throws IOException {
        InetSocketAddress address = startTcp("0:line:proxy", limits(2, List.of(), List.of()),
                ServerSettings.ProxyProtocol.DEFAULT);
        Socket first = served(address, v1("10.1.1.1"));
        served(address, v2("10.1.1.1"));
        Socket third = connect(address, "127.0.0.1");
        send(third, concat(v1("10.1.1.1"), "hello\n".getBytes(StandardCharsets.US_ASCII)));
        assertClosed(third);
        served(address, v1("10.1.1.2")); // another client through the same balancer
        assertThat(rejected(Rejection.MAX_CONNECTIONS_PER_IP)).isEqualTo(1);
        assertThat(meters().accepted.count()).isEqualTo(3);

        first.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.activeConnections() == 2);
        served(address, v1("10.1.1.1")); // its slot came back with the close
    }

    @Test
    void allowAndDenyApplyToTheHeaderClientAndTheBalancerOnlyNeedsToBeTrusted() throws IOException {
        // the balancer, 127.0.0.1, is not in --allow: only the client the header names must be
        InetSocketAddress address = startTcp("0:line:proxy", limits(10, List.of("10.0.0.0/8"), List.of("10.9.0.0/16")),
                ServerSettings.ProxyProtocol.DEFAULT);
        served(address, v1("10.1.1.1"));
        Socket denied = connect(address, "127.0.0.1");
        send(denied, v1("10.9.1.1"));
        assertClosed(denied);
        Socket notAllowed = connect(address, "127.0.0.1");
        send(notAllowed, v2("192.0.2.1"));
        assertClosed(notAllowed);
        assertThat(rejected(Rejection.DENIED)).isEqualTo(2);
    }

    @Test
    void aPeerOutsideProxyTrustedIsRefusedAtAccept() throws IOException {
        InetSocketAddress address = startTcp("0:line:proxy", ServerSettings.Limits.DEFAULT,
                new ServerSettings.ProxyProtocol(List.of(Cidr.parse("127.0.0.66/32")), Duration.ofSeconds(5)));
        assertClosed(connect(address, "127.0.0.1"));
        assertThat(rejected(Rejection.UNTRUSTED_PROXY)).isEqualTo(1);
        Socket trusted = connect(address, "127.0.0.66");
        send(trusted, concat(v1("10.1.1.1"), "hi\n".getBytes(StandardCharsets.US_ASCII)));
        assertThat(new String(trusted.getInputStream().readNBytes(3), StandardCharsets.US_ASCII)).isEqualTo("hi\n");
    }

    @Test
    void noHeaderOrALateOneClosesAndIsCounted() throws IOException {
        InetSocketAddress address = startTcp("0:line:proxy", ServerSettings.Limits.DEFAULT,
                new ServerSettings.ProxyProtocol(ServerSettings.ProxyProtocol.DEFAULT_TRUSTED, Duration.ofMillis(300)));
        Socket plain = connect(address, "127.0.0.1");
        // the decoder judges a v1 header at its CRLF (or past 107 bytes), as an HTTP client without a balancer sends
        send(plain, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertClosed(plain);
        Socket shortThenFin = connect(address, "127.0.0.1"); // printf 'hello\n' | nc -N: too short to judge, then EOF
        send(shortThenFin, "hello\n".getBytes(StandardCharsets.US_ASCII));
        shortThenFin.shutdownOutput();
        assertClosed(shortThenFin);
        Socket silent = connect(address, "127.0.0.1");
        assertClosed(silent);
        // Netty's decoder closes a bad header's connection before the handler behind it counts it: wait for that
        await().atMost(Duration.ofSeconds(5)).until(() -> rejected(Rejection.PROXY_HEADER_MALFORMED) == 2);
        assertThat(rejected(Rejection.PROXY_HEADER_TIMEOUT)).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.activeConnections() == 0);
    }

    @Test
    void ipAnswersTheHeaderClientOverHttpAndOverHttpsWhereTheHeaderComesBeforeTheHandshake() throws Exception {
        server = new EchoServer(ServerSettings.builder()
                .http(ServerSettings.HttpListener.parse("0:proxy", false, HttpEchoSettings.DEFAULT))
                .http(ServerSettings.HttpListener.parse("0:proxy", true, HttpEchoSettings.DEFAULT))
                .tls(TlsSettings.of(Tls.selfSigned()))
                .drainTimeout(Duration.ofSeconds(1)).build()).start();
        byte[] get = "GET /ip HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

        Socket http = connect(server.httpAddresses().get(0), "127.0.0.1");
        send(http, concat(v1("203.0.113.7"), get));
        assertThat(readAll(http.getInputStream())).startsWith("HTTP/1.1 200").contains("\"origin\": \"203.0.113.7\"");

        Socket tcp = connect(server.httpAddresses().get(1), "127.0.0.1");
        send(tcp, v2("2001:db8::7"));
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, InsecureTrustManagerFactory.INSTANCE.getTrustManagers(), null);
        SSLSocket https = (SSLSocket) tls.getSocketFactory().createSocket(tcp, "localhost", tcp.getPort(), true);
        https.startHandshake();
        https.getOutputStream().write(get);
        https.getOutputStream().flush();
        assertThat(readAll(https.getInputStream())).startsWith("HTTP/1.1 200").contains("\"origin\": \"2001:db8::7\"");
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
