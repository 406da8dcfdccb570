package io.inetkit.client.load;

import io.inetkit.client.ProxyHeaderSender;
import io.inetkit.common.framing.Framing;
import io.inetkit.common.net.Cidr;
import io.inetkit.testing.InetEmbeddedChannel;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The load connection's pipeline, pinned by handler name, for TCP and UDP. */
class LoadInitializerTest {

    @Test
    void tcpAndUdpAreTheConnectionAlone() {
        for (boolean udp : new boolean[] {false, true}) {
            LoadSettings s = LoadSettings.builder(new InetSocketAddress("127.0.0.1", 9)).udp(udp).threads(1).build();
            EmbeddedChannel probe = new EmbeddedChannel();
            Worker w = new Worker(probe.eventLoop(), s, new MessagePattern(new Framing.Raw(), 16, null), new ErrorCounts());
            LoadConnection c = udp ? new UdpLoadConnection(w, 0) : new TcpLoadConnection(w, 0);
            EmbeddedChannel ch = new EmbeddedChannel(new LoadInitializer(c, null, null));
            assertThat(ch.pipeline().names()).first().isEqualTo(LoadInitializer.LOAD);
            assertThat(ch.pipeline().names().stream().filter(n -> !n.startsWith("DefaultChannelPipeline$")))
                    .containsExactly(LoadInitializer.LOAD);
            assertThat(ch.pipeline().get(LoadInitializer.LOAD)).isSameAs(c);
            ch.finishAndReleaseAll();
            probe.finishAndReleaseAll();
        }
    }

    /**
     * http://: the response decoder, then the connection; the request goes out as its bytes, two in one write with
     * -P 2, and the responses, in pieces, are matched to them in order and checked (status, --verify).
     */
    @Test
    void http11IsTheDecoderThenTheConnectionAndChecksEveryResponse() {
        HttpLoad http = new HttpLoad(java.net.URI.create("http://127.0.0.1:8080"), java.util.List.of("/x?y=1"), "GET",
                java.util.List.of(), new byte[0], HttpLoad.Version.HTTP_1_1, HttpLoad.parseOk("2xx"),
                new HttpLoad.Verify.Length(3));
        LoadSettings s = LoadSettings.builder(new InetSocketAddress("127.0.0.1", 8080)).threads(1).pipeline(2)
                .http(http).build();
        EmbeddedChannel probe = new EmbeddedChannel();
        ErrorCounts errors = new ErrorCounts();
        Worker w = new Worker(probe.eventLoop(), s, new MessagePattern(new Framing.Raw(), 16, null), errors);
        LoadConnection c = w.newConnection(0);
        assertThat(c).isInstanceOf(Http1LoadConnection.class);
        EmbeddedChannel ch = new EmbeddedChannel(new LoadInitializer(c, null, s));
        assertThat(ch.pipeline().names().stream().filter(n -> !n.startsWith("DefaultChannelPipeline$")))
                .containsExactly(LoadInitializer.HTTP, LoadInitializer.LOAD);
        c.startBatch(System.nanoTime());
        ByteBuf out = ch.readOutbound();
        String request = "GET /x?y=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: inetkit-load\r\nAccept: */*\r\n\r\n";
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo(request + request);
        out.release();
        // the first response in two pieces and right; the second a 404 whose body is too long
        ch.writeInbound(io.netty.buffer.Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\na",
                StandardCharsets.US_ASCII));
        ch.writeInbound(io.netty.buffer.Unpooled.copiedBuffer("bcHTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\nabcd",
                StandardCharsets.US_ASCII));
        assertThat(w.recorder().completed()).isEqualTo(2);
        assertThat(errors.byLabel()).containsEntry(ErrorKind.HTTP_STATUS.label(), 1L);
        assertThat(c.isDead()).isFalse(); // a bad status leaves the connection's stream intact
        // the server's last response on the connection: handed over, not an error
        LoadConnection d = w.newConnection(1);
        EmbeddedChannel closing = new EmbeddedChannel(new LoadInitializer(d, null, s));
        d.startBatch(System.nanoTime());
        ((ByteBuf) closing.readOutbound()).release();
        closing.writeInbound(io.netty.buffer.Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n"
                + "Connection: close\r\n\r\nabc", StandardCharsets.US_ASCII));
        assertThat(d.isDead()).isTrue();
        assertThat(closing.isOpen()).isFalse();
        assertThat(errors.total()).isEqualTo(1); // still only the 404 above
        closing.finishAndReleaseAll();
        // what is no response at all ends the connection
        ch.writeInbound(io.netty.buffer.Unpooled.copiedBuffer("GET / HTTP/1.1\r\n\r\n", StandardCharsets.US_ASCII));
        assertThat(c.isDead()).isTrue();
        assertThat(errors.byLabel()).containsEntry(ErrorKind.HTTP_PROTOCOL.label(), 1L);
        ch.finishAndReleaseAll();
        probe.finishAndReleaseAll();
    }

    /** With --proxy-protocol: the header pair first, gone once the connection is up, the header on the wire. */
    @Test
    void proxyHeaderPairLeadsUntilTheConnectionIsUp() {
        LoadSettings s = LoadSettings.builder(new InetSocketAddress("127.0.0.1", 9)).threads(1)
                .proxy(HAProxyProtocolVersion.V1, Cidr.parse("10.0.0.0/16")).build();
        EmbeddedChannel probe = new EmbeddedChannel();
        Worker w = new Worker(probe.eventLoop(), s, new MessagePattern(new Framing.Raw(), 16, null), new ErrorCounts());
        LoadConnection c = new TcpLoadConnection(w, 258);
        EmbeddedChannel ch = new InetEmbeddedChannel(s.target());
        ch.pipeline().addLast(new LoadInitializer(c, s.proxyHeader(258), null));
        assertThat(ch.pipeline().names().stream().filter(n -> !n.startsWith("DefaultChannelPipeline$")))
                .containsExactly(ProxyHeaderSender.ENCODER, ProxyHeaderSender.HEADER, LoadInitializer.LOAD);
        ch.pipeline().fireChannelActive();
        assertThat(ch.pipeline().names().stream().filter(n -> !n.startsWith("DefaultChannelPipeline$")))
                .containsExactly(LoadInitializer.LOAD);
        ByteBuf header = ch.readOutbound();
        assertThat(header.toString(StandardCharsets.US_ASCII)).isEqualTo("PROXY TCP4 10.0.1.2 127.0.0.1 1282 9\r\n");
        header.release();
        ch.finishAndReleaseAll();
        probe.finishAndReleaseAll();
    }
}
