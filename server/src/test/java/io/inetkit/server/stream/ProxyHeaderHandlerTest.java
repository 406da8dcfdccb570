package io.inetkit.server.stream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.inetkit.common.net.Cidr;
import io.inetkit.server.RateLimitedLog;
import io.inetkit.server.ServerSettings;
import io.inetkit.server.stream.StreamMeters.Rejection;
import io.inetkit.testing.InetEmbeddedChannel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.handler.codec.haproxy.HAProxySSLTLV;
import io.netty.handler.codec.haproxy.HAProxyTLV;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The PROXY header on the decoded side of Netty's decoder: the client it names, refusals, the timeout. */
class ProxyHeaderHandlerTest {

    private static final InetSocketAddress BALANCER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);
    private static final long TIMEOUT_SECONDS = 5;

    private final StreamMeters meters = TestMeters.proxied("tcp/5005");
    private final Logger logger = (Logger) ProxyHeaderHandler.log;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private ConnectionLimiter limiter = limiter(2, List.of());
    private ServerSettings.Limits limits;

    @BeforeEach
    void capture() {
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.DEBUG);
    }

    @AfterEach
    void release() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        logger.detachAppender(appender);
        logger.setLevel(null);
    }

    private ConnectionLimiter limiter(int perIp, List<String> deny) {
        limits = new ServerSettings.Limits(100, perIp, Duration.ZERO, List.of(), deny.stream().map(Cidr::parse).toList());
        return new ConnectionLimiter(limits);
    }

    /** A connection from the balancer, its pipeline the PROXY pair, on a frozen clock. */
    private EmbeddedChannel connection() {
        EmbeddedChannel ch = new InetEmbeddedChannel(BALANCER);
        channels.add(ch);
        ch.freezeTime();
        new ProxyHeaderHandler.Requirement(true, meters, limiter, new RateLimitedLog(logger, 100), limits,
                TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS)).addTo(ch.pipeline());
        return ch;
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    /** The bytes Netty's encoder makes of {@code header} (and releases it). */
    private static ByteBuf encoded(HAProxyMessage header) {
        EmbeddedChannel encoder = new EmbeddedChannel(HAProxyMessageEncoder.INSTANCE);
        encoder.writeOutbound(header);
        ByteBuf bytes = encoder.readOutbound();
        assertThat(encoder.finish()).isFalse();
        return bytes;
    }

    private static String read(EmbeddedChannel ch) {
        StringBuilder b = new StringBuilder();
        for (ByteBuf buf; (buf = ch.readInbound()) != null; ) {
            b.append(buf.toString(StandardCharsets.US_ASCII));
            buf.release();
        }
        return b.toString();
    }

    private long rejected(Rejection reason) {
        return (long) meters.rejected(reason).count();
    }

    private List<String> warnings() {
        return appender.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void v1TcpFourNamesTheClientAndTheBytesAfterItGoOn() throws Exception {
        EmbeddedChannel ch = connection();
        ch.writeInbound(ascii("PROXY TCP4 203.0.113.7 192.0.2.1 56324 5005\r\nhello\n"));
        assertThat(read(ch)).isEqualTo("hello\n");
        assertThat(ClientAddress.of(ch)).isEqualTo(new InetSocketAddress(InetAddress.getByName("203.0.113.7"), 56324));
        assertThat(ch.pipeline().names()).doesNotContain(ProxyHeaderHandler.DECODER, ProxyHeaderHandler.HEADER);
        assertThat(meters.accepted.count()).isEqualTo(1);
        assertThat(limiter.open(InetAddress.getByName("203.0.113.7"))).isEqualTo(1);
        assertThat(appender.list).anyMatch(e -> e.getLevel() == Level.DEBUG
                && e.getFormattedMessage().contains("203.0.113.7:56324: accepted via " + BALANCER));
        ch.close();
        assertThat(limiter.open(InetAddress.getByName("203.0.113.7"))).isZero();
    }

    @Test
    void v2TcpSixWithItsTlvsShownAtDebug() throws Exception {
        List<HAProxyTLV> ssl = List.of(
                new HAProxyTLV((byte) 0x21, ascii("TLSv1.3")),
                new HAProxyTLV((byte) 0x22, ascii("alice")),
                new HAProxyTLV((byte) 0x23, ascii("TLS_AES_128_GCM_SHA256")));
        List<HAProxyTLV> tlvs = List.of(
                new HAProxyTLV((byte) 0x01, ascii("h2")),
                new HAProxyTLV((byte) 0x02, ascii("example.com")),
                new HAProxySSLTLV(0, (byte) 0x07, ssl));
        EmbeddedChannel ch = connection();
        ByteBuf wire = encoded(new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.PROXY,
                HAProxyProxiedProtocol.TCP6, "2001:db8::7", "2001:db8::1", 443, 5005, tlvs));
        ch.writeInbound(Unpooled.wrappedBuffer(wire, ascii("GET /")));
        assertThat(read(ch)).isEqualTo("GET /");
        assertThat(ClientAddress.of(ch)).isEqualTo(new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 443));
        assertThat(appender.list).anyMatch(e -> e.getFormattedMessage().endsWith("(v2 TCP6 alpn=h2 authority=example.com"
                + " ssl(tls client-cert verify=ok version=TLSv1.3 cn=alice cipher=TLS_AES_128_GCM_SHA256))"));
    }

    @Test
    void aHeaderInOneByteChunksIsTheSame() throws Exception {
        EmbeddedChannel ch = connection();
        ByteBuf wire = encoded(new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.PROXY,
                HAProxyProxiedProtocol.TCP4, "198.51.100.9", "192.0.2.1", 1234, 5005));
        Random random = new Random(19);
        while (wire.isReadable()) {
            ch.writeInbound(wire.readRetainedSlice(Math.min(wire.readableBytes(), 1 + random.nextInt(3))));
        }
        wire.release();
        ch.writeInbound(ascii("x"));
        assertThat(read(ch)).isEqualTo("x");
        assertThat(ClientAddress.of(ch)).isEqualTo(new InetSocketAddress(InetAddress.getByName("198.51.100.9"), 1234));
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1-unknown", "v2-local"})
    void localAndUnknownKeepTheSocketsAddress(String kind) {
        EmbeddedChannel ch = connection();
        ByteBuf header = kind.equals("v1-unknown") ? ascii("PROXY UNKNOWN\r\n")
                : encoded(new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.LOCAL,
                        HAProxyProxiedProtocol.UNKNOWN, null, null, 0, 0));
        ch.writeInbound(header);
        ch.writeInbound(ascii("ping"));
        assertThat(read(ch)).isEqualTo("ping");
        assertThat((SocketAddress) ClientAddress.of(ch)).isEqualTo(BALANCER);
        assertThat(ch.hasAttr(ClientAddress.KEY)).isFalse();
        assertThat(limiter.open(BALANCER.getAddress())).isEqualTo(1);
        assertThat(meters.accepted.count()).isEqualTo(1);
    }

    @Test
    void thePerAddressLimitCountsTheHeadersClientNotTheBalancer() {
        List<EmbeddedChannel> open = new ArrayList<>();
        for (String client : List.of("10.0.0.1", "10.0.0.1", "10.0.0.2", "10.0.0.1")) {
            EmbeddedChannel ch = connection();
            ch.writeInbound(ascii("PROXY TCP4 " + client + " 127.0.0.1 1000 5005\r\nafter\n"));
            open.add(ch);
        }
        assertThat(open).extracting(EmbeddedChannel::isOpen).containsExactly(true, true, true, false);
        assertThat(rejected(Rejection.MAX_CONNECTIONS_PER_IP)).isEqualTo(1);
        assertThat(meters.accepted.count()).isEqualTo(3);
        assertThat(warnings()).singleElement().asString()
                .contains("refused /10.0.0.1:1000 (via " + BALANCER + ")", "--max-connections-per-ip 2");
        assertThat(read(open.get(3))).isEmpty(); // the bytes behind a refused header go nowhere
        open.get(0).close();
        EmbeddedChannel again = connection();
        again.writeInbound(ascii("PROXY TCP4 10.0.0.1 127.0.0.1 1000 5005\r\n"));
        assertThat(again.isOpen()).isTrue();
    }

    @Test
    void denyAppliesToTheHeadersClient() {
        limiter = limiter(10, List.of("192.0.2.0/24"));
        EmbeddedChannel ch = connection();
        ch.writeInbound(ascii("PROXY TCP4 192.0.2.66 127.0.0.1 1000 5005\r\nafter\n"));
        assertThat(ch.isOpen()).isFalse();
        assertThat(rejected(Rejection.DENIED)).isEqualTo(1);
        assertThat(limiter.open(InetAddress.getLoopbackAddress())).isZero();
        assertThat(read(ch)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET / HTTP/1.1\r\nHost: x\r\n\r\n", "PROXY TCP4 999.0.0.1 127.0.0.1 1 2\r\n",
            "PROXY TCP4 1.2.3.4 5.6.7.8 70000 1\r\n", "\r\n\r\n\0\r\nQUIT\n\u0031\u0011\0\014abcdefghijkl",
            "PROXY TCP4 1.2.3.4 5.6.7.8 1000 2000 and a line far too long for a PROXY v1 header, which is at most"
                    + " 107 bytes long ..."})
    void aMissingOrMalformedHeaderClosesWithOneLine(String wire) {
        EmbeddedChannel ch = connection();
        ch.writeInbound(Unpooled.copiedBuffer(wire, StandardCharsets.ISO_8859_1));
        ch.checkException(); // nothing escapes to the handlers behind
        assertThat(ch.isOpen()).isFalse();
        assertThat(rejected(Rejection.PROXY_HEADER_MALFORMED)).isEqualTo(1);
        assertThat(warnings()).singleElement().asString().contains("tcp/5005 " + BALANCER + ": closed: no valid PROXY header");
        assertThat(meters.accepted.count()).isZero();
        assertThat(read(ch)).isEmpty();
    }

    /**
     * A v2 TLV whose length runs past the header: Netty's decoder fails with an IndexOutOfBoundsException, not its
     * own exception, and does not close (found by {@code ProxyHeaderProperties}). It is a malformed header too.
     */
    @Test
    void aV2TlvLongerThanItsHeaderIsMalformed() {
        EmbeddedChannel ch = connection();
        ByteBuf wire = Unpooled.buffer();
        wire.writeBytes(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
        wire.writeByte(0x21).writeByte(0x11).writeShort(12 + 4); // PROXY, TCP4; addresses and one short TLV
        wire.writeBytes(new byte[] {10, 0, 0, 1, 127, 0, 0, 1}).writeShort(1000).writeShort(5005);
        wire.writeByte(0x01).writeShort(200).writeByte('h'); // ALPN of 200 bytes, of which the header holds 1
        wire.writeBytes(ascii("and then data"));
        ch.writeInbound(wire);
        ch.checkException();
        assertThat(ch.isOpen()).isFalse();
        assertThat(rejected(Rejection.PROXY_HEADER_MALFORMED)).isEqualTo(1);
        assertThat(warnings()).singleElement().asString().contains("no valid PROXY header: unreadable (IndexOutOfBoundsException");
        assertThat(read(ch)).isEmpty();
    }

    /** Too short for the decoder to judge (13 bytes, or a CRLF), then the end: reported, not silently closed. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void bytesThatEndBeforeAHeaderAreMalformed(boolean fin) {
        EmbeddedChannel ch = connection();
        ch.writeInbound(ascii("hello\n"));
        if (fin) {
            ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        } else {
            ch.pipeline().fireChannelInactive();
        }
        ch.checkException();
        assertThat(rejected(Rejection.PROXY_HEADER_MALFORMED)).isEqualTo(1);
        assertThat(warnings()).singleElement().asString().contains("the connection ended after 6 bytes without a whole PROXY header");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void aHeaderNotWholeInTimeCloses() {
        EmbeddedChannel ch = connection();
        ch.writeInbound(ascii("PROXY TCP4 1.2"));
        ch.advanceTimeBy(TIMEOUT_SECONDS - 1, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isTrue();
        ch.advanceTimeBy(1, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isFalse();
        assertThat(rejected(Rejection.PROXY_HEADER_TIMEOUT)).isEqualTo(1);
        assertThat(warnings()).singleElement().asString().contains("no whole PROXY header within 5000 ms");
    }

    @Test
    void aHeaderInTimeStopsTheTimeout() {
        EmbeddedChannel ch = connection();
        ch.writeInbound(ascii("PROXY TCP4 1.2.3.4 127.0.0.1 1000 5005\r\n"));
        ch.advanceTimeBy(TIMEOUT_SECONDS * 2, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isTrue();
        assertThat(rejected(Rejection.PROXY_HEADER_TIMEOUT)).isZero();
    }

    @Test
    void aConnectionClosedBeforeAnyHeaderIsNotReported() {
        EmbeddedChannel ch = connection();
        ch.close(); // a balancer's TCP health check
        assertThat(warnings()).isEmpty();
        assertThat(meters.rejected(Rejection.PROXY_HEADER_MALFORMED).count()).isZero();
    }

    @Test
    void withoutRequirementNothingIsAdded() {
        EmbeddedChannel ch = new InetEmbeddedChannel(BALANCER);
        channels.add(ch);
        ProxyHeaderHandler.Requirement.NONE.addTo(ch.pipeline());
        assertThat(ch.pipeline().names()).doesNotContain(ProxyHeaderHandler.DECODER, ProxyHeaderHandler.HEADER);
    }
}
