package io.inetkit.server.tls;

import io.inetkit.server.RateLimitedLog;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLHandshakeException;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link TlsFront} on {@code EmbeddedChannel}s: the handshake, random record chunking, and bad input. */
class TlsFrontTest {

    private static ServerTls tls;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TlsMeters meters = new TlsMeters(registry, "tcp/0");
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @BeforeAll
    static void certificate() {
        tls = ServerTls.start(TlsSettings.of(Tls.selfSigned()), TlsContexts.choose(TlsSettings.Provider.JDK), List.of(),
                InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void close() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    /** A server connection: the TLS front, then an echo of what it decrypts. */
    private EmbeddedChannel server() {
        EmbeddedChannel ch = new EmbeddedChannel();
        new TlsFront(tls, meters, new RateLimitedLog(LoggerFactory.getLogger(TlsFrontTest.class), 5)).addTo(ch.pipeline());
        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ctx.writeAndFlush(msg);
            }
        });
        channels.add(ch);
        return ch;
    }

    private EmbeddedChannel client() throws Exception {
        return client(SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                .trustManager(InsecureTrustManagerFactory.INSTANCE).build());
    }

    /** A client connection of {@code context}, whose session cache a second connection can resume from. */
    private EmbeddedChannel client(SslContext context) {
        EmbeddedChannel ch = new EmbeddedChannel(context.newHandler(io.netty.buffer.ByteBufAllocator.DEFAULT, "localhost", 5443));
        channels.add(ch);
        return ch;
    }

    /** Moves what {@code from} wrote to {@code to}, cut into random pieces; what {@code to} decrypted goes to {@code sink}. */
    private static void pass(EmbeddedChannel from, EmbeddedChannel to, Random random, ByteArrayOutputStream sink) {
        ByteBuf out;
        while ((out = from.readOutbound()) != null) {
            while (out.isReadable()) {
                to.writeInbound(out.readRetainedSlice(Math.min(out.readableBytes(), 1 + random.nextInt(64))));
            }
            out.release();
        }
        Object in;
        while ((in = to.readInbound()) != null) {
            if (sink != null && in instanceof ByteBuf b) {
                byte[] bytes = new byte[b.readableBytes()];
                b.readBytes(bytes);
                sink.writeBytes(bytes);
            }
            ReferenceCountUtil.release(in);
        }
    }

    @Test
    void aHandshakeInRandomPiecesIsCountedAndTheSessionEchoesByteForByte() throws Exception {
        EmbeddedChannel server = server();
        EmbeddedChannel client = client();
        Random random = new Random(5);
        ByteArrayOutputStream echoed = new ByteArrayOutputStream();
        for (int i = 0; i < 50 && !client.pipeline().get(SslHandler.class).handshakeFuture().isDone(); i++) {
            pass(client, server, random, null);
            pass(server, client, random, echoed);
        }
        assertThat(client.pipeline().get(SslHandler.class).handshakeFuture().isSuccess()).isTrue();
        assertThat(server.pipeline().names()).startsWith(TlsFront.TLS, TlsFront.HANDSHAKE);
        assertThat(server.pipeline().get(TlsFront.TLS)).isInstanceOf(SslHandler.class);
        byte[] message = "line one\nline two\n".repeat(100).getBytes(StandardCharsets.US_ASCII);
        client.writeOutbound(Unpooled.wrappedBuffer(message));
        for (int i = 0; i < 50 && echoed.size() < message.length; i++) {
            pass(client, server, random, null);
            pass(server, client, random, echoed);
        }
        assertThat(echoed.toByteArray()).isEqualTo(message);
        assertThat(meters.handshakes(TlsMeters.Result.OK).count()).isEqualTo(1);
        assertThat(meters.duration.count()).isEqualTo(1);
        String version = client.pipeline().get(SslHandler.class).engine().getSession().getProtocol();
        String cipher = client.pipeline().get(SslHandler.class).engine().getSession().getCipherSuite();
        assertThat(meters.liveCount(version, cipher)).isEqualTo(1);
        server.close();
        assertThat(meters.liveCount(version, cipher)).isZero();
    }

    /** Runs one connection's handshake and one echoed message (which brings a TLS 1.3 ticket along), then closes. */
    private void handshakeAndEcho(EmbeddedChannel server, EmbeddedChannel client, Random random) {
        ByteArrayOutputStream echoed = new ByteArrayOutputStream();
        client.writeOutbound(Unpooled.copiedBuffer("ping\n", StandardCharsets.US_ASCII));
        for (int i = 0; i < 50 && echoed.size() < 5; i++) {
            pass(client, server, random, null);
            pass(server, client, random, echoed);
        }
        assertThat(echoed.toString(StandardCharsets.US_ASCII)).isEqualTo("ping\n");
        // a JDK session is resumed when created before the handshake began, in whole milliseconds
        long now = System.currentTimeMillis();
        while (System.currentTimeMillis() == now) {
            Thread.onSpinWait();
        }
    }

    @Test
    void aSecondConnectionThatResumesItsSessionIsCountedResumedAndAFreshClientIsNot() throws Exception {
        SslContext kept = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                .trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        Random random = new Random(7);
        handshakeAndEcho(server(), client(kept), random);
        assertThat(meters.handshakes(TlsMeters.Result.OK).count()).isEqualTo(1);
        assertThat(meters.resumed.count()).isZero();
        handshakeAndEcho(server(), client(kept), random);
        assertThat(meters.handshakes(TlsMeters.Result.OK).count()).isEqualTo(2);
        assertThat(meters.resumed.count()).isEqualTo(1);
        handshakeAndEcho(server(), client(), random);
        assertThat(meters.handshakes(TlsMeters.Result.OK).count()).isEqualTo(3);
        assertThat(meters.resumed.count()).isEqualTo(1);
    }

    @Test
    void plaintextIsCountedAsNotTlsAndClosedWithoutAnExceptionOut() {
        EmbeddedChannel server = server();
        server.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.US_ASCII));
        server.runPendingTasks();
        assertThat(server.isOpen()).isFalse();
        assertThat(meters.handshakes(TlsMeters.Result.NOT_TLS).count()).isEqualTo(1);
        assertThat(meters.handshakes(TlsMeters.Result.OK).count()).isZero();
        server.checkException(); // nothing reached the end of the pipeline
    }

    @Test
    void failuresAreClassifiedByType() {
        assertThat(TlsHandshakeHandler.classify(new SslHandshakeTimeoutException("late"), TlsSettings.ClientAuth.NONE))
                .isEqualTo(TlsMeters.Result.TIMEOUT);
        SSLHandshakeException badClient = new SSLHandshakeException("PKIX path building failed");
        badClient.initCause(new CertificateException("no chain"));
        assertThat(TlsHandshakeHandler.classify(badClient, TlsSettings.ClientAuth.REQUIRE)).isEqualTo(TlsMeters.Result.CLIENT_CERT);
        assertThat(TlsHandshakeHandler.classify(badClient, TlsSettings.ClientAuth.NONE)).isEqualTo(TlsMeters.Result.FAILED);
        assertThat(TlsHandshakeHandler.classify(new SSLHandshakeException("Received fatal alert: certificate_unknown"),
                TlsSettings.ClientAuth.REQUIRE)).as("the client refused our certificate").isEqualTo(TlsMeters.Result.FAILED);
    }
}
