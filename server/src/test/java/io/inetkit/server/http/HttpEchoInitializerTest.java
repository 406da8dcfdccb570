package io.inetkit.server.http;

import io.inetkit.server.tls.Tls;
import io.inetkit.server.tls.TlsSettings;
import io.inetkit.server.tls.ServerTls;
import io.inetkit.server.tls.TlsContexts;
import io.inetkit.server.tls.TlsFront;
import io.inetkit.server.tls.TlsMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import io.inetkit.testing.InetEmbeddedChannel;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.inetkit.server.http.HttpEchoInitializer.ALPN;
import static io.inetkit.server.http.HttpEchoInitializer.BODY_BUDGET;
import static io.inetkit.server.http.HttpEchoInitializer.CHUNKED_WRITER;
import static io.inetkit.server.http.HttpEchoInitializer.ECHO;
import static io.inetkit.server.http.HttpEchoInitializer.ERRORS;
import static io.inetkit.server.http.HttpEchoInitializer.H2C_PREFACE;
import static io.inetkit.server.http.HttpEchoInitializer.H2C_UPGRADE;
import static io.inetkit.server.http.HttpEchoInitializer.HTTP1_HANDOFF;
import static io.inetkit.server.http.HttpEchoInitializer.HTTP2_FRAME_CODEC;
import static io.inetkit.server.http.HttpEchoInitializer.HTTP2_FLOOD;
import static io.inetkit.server.http.HttpEchoInitializer.HTTP2_MULTIPLEXER;
import static io.inetkit.server.http.HttpEchoInitializer.HTTP2_TO_HTTP;
import static io.inetkit.server.http.HttpEchoInitializer.HTTP_AGGREGATOR;
import static io.inetkit.server.http.HttpEchoInitializer.BODY_RATE;
import static io.inetkit.server.http.HttpEchoInitializer.HEAD_TIMEOUT;
import static io.inetkit.server.http.HttpEchoInitializer.LINGERING_CLOSE;
import static io.inetkit.server.http.HttpEchoInitializer.HTTP_CODEC;
import static io.inetkit.server.http.HttpEchoInitializer.HTTP_DRAIN;
import static io.inetkit.server.http.HttpEchoInitializer.HTTP_KEEPALIVE;
import static io.inetkit.server.http.HttpEchoInitializer.WS_UPGRADE;
import static io.inetkit.server.http.HttpEchoInitializer.IDLE;
import static io.inetkit.server.http.HttpEchoInitializer.PROXY_DECODER;
import static io.inetkit.server.http.HttpEchoInitializer.PROXY_HEADER;
import static io.inetkit.server.http.HttpEchoInitializer.TLS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Pins each route of the HTTP listener's pipeline by handler name, as {@link HttpEchoInitializer} draws it. */
class HttpEchoInitializerTest {

    private static TlsFront serverTls;
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @BeforeAll
    static void makeCertificate() {
        serverTls = new TlsFront(ServerTls.start(TlsSettings.of(Tls.selfSigned()), TlsContexts.choose(TlsSettings.Provider.JDK),
                HttpProtocol.ALPN, InetAddress.getLoopbackAddress()), new TlsMeters(new SimpleMeterRegistry(), "https/0"),
                TestInitializers.log(TlsFront.class));
    }

    @AfterEach
    void close() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    /** A connection of a {@code :proxy} listener, from a balancer on loopback. */
    private EmbeddedChannel openProxied(TlsFront tls) {
        EmbeddedChannel ch = new InetEmbeddedChannel(new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000));
        channels.add(ch);
        ch.pipeline().addLast(TestInitializers.of(HttpEchoSettings.DEFAULT, tls, Duration.ofMinutes(5),
                TestInitializers.budget(HttpEchoSettings.DEFAULT.bodyBudget()), TestInitializers.proxyHeader()));
        return ch;
    }

    private EmbeddedChannel open(TlsFront tls) {
        EmbeddedChannel ch = new EmbeddedChannel(
                TestInitializers.of(HttpEchoSettings.DEFAULT, tls, Duration.ofMinutes(5)));
        channels.add(ch);
        return ch;
    }

    /** The handler names, without the pipeline's own tail. */
    private static List<String> names(Channel ch) {
        return ch.pipeline().names().stream().filter(n -> !n.startsWith("DefaultChannelPipeline$")).toList();
    }

    private static void send(EmbeddedChannel ch, String text) {
        ch.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
    }

    @Test
    void cleartextStartsWithTheH2cChoice() {
        assertThat(names(open(null))).containsExactly(IDLE, H2C_PREFACE, HTTP_CODEC, LINGERING_CLOSE, HEAD_TIMEOUT, BODY_RATE, H2C_UPGRADE, HTTP1_HANDOFF, ERRORS);
    }

    @Test
    void cleartextHttp11Request() {
        EmbeddedChannel ch = open(null);
        send(ch, "GET /ip HTTP/1.1\r\nHost: h\r\n\r\n");
        assertThat(names(ch)).containsExactly(IDLE, HTTP_CODEC, LINGERING_CLOSE, HEAD_TIMEOUT, BODY_RATE, WS_UPGRADE, HTTP_KEEPALIVE, HTTP_DRAIN,
                BODY_BUDGET, HTTP_AGGREGATOR, CHUNKED_WRITER, ECHO, ERRORS);
    }

    /** Only the first request may upgrade: a later "Upgrade: h2c" is an ordinary request, answered in HTTP/1.1. */
    @Test
    void aLaterUpgradeRequestIsAnsweredInHttp11() {
        EmbeddedChannel ch = open(null);
        send(ch, "GET /ip HTTP/1.1\r\nHost: h\r\n\r\n" + UPGRADE);
        String wire = drain(ch);
        assertThat(wire).doesNotContain("101 Switching Protocols");
        assertThat(wire.split("HTTP/1.1 200 OK", -1)).as("two answers").hasSize(3);
        assertThat(names(ch)).contains(HTTP_CODEC, ECHO).doesNotContain(HTTP2_FRAME_CODEC);
    }

    private static String drain(EmbeddedChannel ch) {
        StringBuilder wire = new StringBuilder();
        for (Object msg; (msg = ch.readOutbound()) != null; ) {
            if (msg instanceof ByteBuf buf) {
                wire.append(buf.toString(StandardCharsets.ISO_8859_1));
            }
            ReferenceCountUtil.release(msg);
        }
        return wire.toString();
    }

    @Test
    void cleartextPriorKnowledge() {
        EmbeddedChannel ch = open(null);
        send(ch, Http2CodecUtil.connectionPrefaceBuf().toString(StandardCharsets.ISO_8859_1));
        assertThat(names(ch)).containsExactly(IDLE, HTTP2_FRAME_CODEC, HTTP2_MULTIPLEXER, HTTP2_FLOOD, ERRORS);
    }

    /**
     * On a real (in-VM) event loop: the upgrade makes the request stream 1, whose child channel an
     * {@code EmbeddedChannel} would register only after the request was delivered to it.
     */
    @Test
    void cleartextUpgradeToH2c() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
        try {
            LocalAddress address = new LocalAddress(HttpEchoInitializerTest.class);
            CompletableFuture<Channel> accepted = new CompletableFuture<>();
            HttpEchoInitializer initializer = TestInitializers.of(HttpEchoSettings.DEFAULT, null, Duration.ofMinutes(5));
            Channel server = new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(initializer);
                            accepted.complete(ch);
                        }
                    }).bind(address).sync().channel();
            Channel client = new Bootstrap().group(group).channel(LocalChannel.class)
                    .handler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ReferenceCountUtil.release(msg);
                        }
                    }).connect(address).sync().channel();
            client.writeAndFlush(Unpooled.copiedBuffer(UPGRADE, StandardCharsets.ISO_8859_1)).sync();
            Channel ch = accepted.get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                    ch.eventLoop().submit(() -> names(ch)).get())
                    .containsExactly(IDLE, HTTP2_FRAME_CODEC, HTTP2_MULTIPLEXER, HTTP2_FLOOD, ERRORS));
            client.close().sync();
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static final String UPGRADE = "GET /ip HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                + "HTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n";

    @Test
    void tlsStartsWithTheHandshake() {
        assertThat(names(open(serverTls))).containsExactly(IDLE, TLS, TlsFront.HANDSHAKE, ALPN, ERRORS);
    }

    @Test
    void tlsWithAlpnHttp11() throws Exception {
        EmbeddedChannel ch = open(serverTls);
        handshake(ch, ApplicationProtocolNames.HTTP_1_1);
        assertThat(names(ch)).containsExactly(IDLE, TLS, TlsFront.HANDSHAKE, HTTP_CODEC, HEAD_TIMEOUT, BODY_RATE, WS_UPGRADE, HTTP_KEEPALIVE, HTTP_DRAIN,
                BODY_BUDGET, HTTP_AGGREGATOR, CHUNKED_WRITER, ECHO, ERRORS);
    }

    @Test
    void tlsWithAlpnH2() throws Exception {
        EmbeddedChannel ch = open(serverTls);
        handshake(ch, ApplicationProtocolNames.HTTP_2);
        assertThat(names(ch)).containsExactly(IDLE, TLS, TlsFront.HANDSHAKE, HTTP2_FRAME_CODEC, HTTP2_MULTIPLEXER, HTTP2_FLOOD, ERRORS);
    }

    @Test
    void http2Stream() {
        HttpEchoInitializer initializer = TestInitializers.of(HttpEchoSettings.DEFAULT, null, Duration.ZERO);
        EmbeddedChannel stream = new EmbeddedChannel(initializer.newStreamInitializer("http"));
        channels.add(stream);
        assertThat(names(stream)).containsExactly(HTTP2_TO_HTTP, BODY_BUDGET, HTTP_AGGREGATOR, CHUNKED_WRITER, ECHO, ERRORS);
    }

    @Test
    void noIdleHandlerWithoutAnIdleTimeout() {
        EmbeddedChannel ch = new EmbeddedChannel(
                TestInitializers.of(HttpEchoSettings.DEFAULT, null, Duration.ZERO));
        channels.add(ch);
        assertThat(names(ch)).containsExactly(H2C_PREFACE, HTTP_CODEC, LINGERING_CLOSE, HEAD_TIMEOUT, BODY_RATE, H2C_UPGRADE, HTTP1_HANDOFF, ERRORS);
    }

    /** A TLS handshake with a client offering only {@code protocol}, the records passed by hand. */
    @Test
    void anUpgradeOnSlashWsReplacesTheHttpHandlersWithTheWebSocketRoute() {
        EmbeddedChannel ch = open(null);
        send(ch, "GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        assertThat(names(ch)).doesNotContain(HTTP_KEEPALIVE, HTTP_DRAIN, BODY_BUDGET, HTTP_AGGREGATOR, ECHO, HEAD_TIMEOUT,
                BODY_RATE, WS_UPGRADE).contains("ws", "ws-aggregator", "ws-echo", ERRORS);
        ByteBuf response = ch.readOutbound();
        try {
            assertThat(response.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 101 Switching Protocols");
        } finally {
            response.release();
        }
    }

    @Test
    void proxyListenerStartsWithTheHeaderThenTheCleartextRoute() {
        EmbeddedChannel ch = openProxied(null);
        assertThat(names(ch)).containsExactly(PROXY_DECODER, PROXY_HEADER, IDLE, H2C_PREFACE, HTTP_CODEC, LINGERING_CLOSE,
                HEAD_TIMEOUT, BODY_RATE, H2C_UPGRADE, HTTP1_HANDOFF, ERRORS);
        assertThat(names(ch)).startsWith("proxy-decoder", "proxy-header", "idle");
        send(ch, "PROXY TCP4 203.0.113.7 127.0.0.1 5555 80\r\nGET /ip HTTP/1.1\r\nHost: h\r\n\r\n");
        assertThat(names(ch)).containsExactly(IDLE, HTTP_CODEC, LINGERING_CLOSE, HEAD_TIMEOUT, BODY_RATE,
                WS_UPGRADE, HTTP_KEEPALIVE, HTTP_DRAIN, BODY_BUDGET, HTTP_AGGREGATOR, CHUNKED_WRITER, ECHO, ERRORS);
        ByteBuf answer = ch.readOutbound();
        try {
            assertThat(answer.toString(StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200")
                    .contains("\"origin\": \"203.0.113.7\"");
        } finally {
            answer.release();
        }
    }

    /** The header comes before the TLS handshake: {@code tls} sees the client hello only after it. */
    @Test
    void proxyListenerWithTls() throws Exception {
        EmbeddedChannel ch = openProxied(serverTls);
        assertThat(names(ch)).containsExactly(PROXY_DECODER, PROXY_HEADER, IDLE, TLS, TlsFront.HANDSHAKE, ALPN, ERRORS);
        send(ch, "PROXY TCP6 2001:db8::7 ::1 5555 443\r\n");
        assertThat(names(ch)).containsExactly(IDLE, TLS, TlsFront.HANDSHAKE, ALPN, ERRORS);
        handshake(ch, ApplicationProtocolNames.HTTP_1_1);
        assertThat(names(ch)).containsExactly(IDLE, TLS, TlsFront.HANDSHAKE, HTTP_CODEC, HEAD_TIMEOUT, BODY_RATE, WS_UPGRADE, HTTP_KEEPALIVE, HTTP_DRAIN,
                BODY_BUDGET, HTTP_AGGREGATOR, CHUNKED_WRITER, ECHO, ERRORS);
    }

    private void handshake(EmbeddedChannel server, String protocol) throws Exception {
        SslContext clientTls = SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .trustManager(InsecureTrustManagerFactory.INSTANCE)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, protocol))
                .build();
        EmbeddedChannel client = new EmbeddedChannel(clientTls.newHandler(server.alloc(), "localhost", 443));
        channels.add(client);
        for (int round = 0; round < 20 && server.pipeline().get(ALPN) != null; round++) {
            pass(client, server);
            pass(server, client);
        }
    }

    private static void pass(EmbeddedChannel from, EmbeddedChannel to) {
        ByteBuf record;
        while ((record = from.readOutbound()) != null) {
            to.writeInbound(record);
        }
        Object in;
        while ((in = to.readInbound()) != null) {
            ReferenceCountUtil.release(in);
        }
    }
}
