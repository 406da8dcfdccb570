package io.inetkit.client;

import io.inetkit.common.framing.Framing;
import io.inetkit.testing.InetEmbeddedChannel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The PROXY header a client sends first, read back by Netty's decoder. */
class ProxyHeaderSenderTest {

    private static final InetSocketAddress SERVER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 5005);

    /** A connection to {@link #SERVER} with {@code sender} first and a line framer behind; made active after. */
    private static EmbeddedChannel connected(ProxyHeaderSender sender) {
        EmbeddedChannel ch = new InetEmbeddedChannel(SERVER);
        ch.pipeline().addLast(new EchoClientInitializer(Framing.parse("line"), false, null, sender, new EventQueueHandler()));
        return ch;
    }

    /** The header the peer reads: what the server's decoder makes of the bytes. */
    private static HAProxyMessage decoded(ByteBuf wire) {
        EmbeddedChannel server = new EmbeddedChannel(new HAProxyMessageDecoder());
        server.writeInbound(wire);
        HAProxyMessage m = server.readInbound();
        assertThat(server.finish()).isFalse();
        return m;
    }

    @Test
    void v1NamesTheSourceAndTheServerThenBothHandlersLeave() {
        EmbeddedChannel ch = connected(new ProxyHeaderSender(HAProxyProtocolVersion.V1,
                ProxyHeaderSender.parseSource("203.0.113.7:40000")));
        assertThat(EchoClientInitializerTest.names(ch)).containsExactly(ProxyHeaderSender.ENCODER, ProxyHeaderSender.HEADER,
                EchoClientInitializer.FRAMER, EchoClientInitializer.EVENTS, EchoClientInitializer.CLOSE_ON_EOF);
        assertThat(EchoClientInitializerTest.names(ch)).startsWith("proxy-encoder", "proxy-header");
        ch.pipeline().fireChannelActive();
        ByteBuf wire = ch.readOutbound();
        assertThat(wire.toString(StandardCharsets.US_ASCII)).isEqualTo("PROXY TCP4 203.0.113.7 127.0.0.1 40000 5005\r\n");
        wire.release();
        assertThat(EchoClientInitializerTest.names(ch)).containsExactly(EchoClientInitializer.FRAMER,
                EchoClientInitializer.EVENTS, EchoClientInitializer.CLOSE_ON_EOF);
        ch.writeOutbound(Unpooled.copiedBuffer("after\n", StandardCharsets.US_ASCII));
        ByteBuf after = ch.readOutbound();
        assertThat(after.toString(StandardCharsets.US_ASCII)).isEqualTo("after\n");
        after.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void v2IsTheBinaryHeaderNettysDecoderReads() throws Exception {
        EmbeddedChannel ch = new InetEmbeddedChannel(new InetSocketAddress("::1", 5005));
        ch.pipeline().addLast(new EchoClientInitializer(new Framing.Raw(), false, null,
                new ProxyHeaderSender(HAProxyProtocolVersion.V2, ProxyHeaderSender.parseSource("[2001:db8::7]:1234")),
                new EventQueueHandler()));
        ch.pipeline().fireChannelActive();
        HAProxyMessage m = decoded(ch.readOutbound());
        try {
            assertThat(m.protocolVersion()).isEqualTo(HAProxyProtocolVersion.V2);
            assertThat(m.proxiedProtocol()).isEqualTo(HAProxyProxiedProtocol.TCP6);
            assertThat(InetAddress.getByName(m.sourceAddress())).isEqualTo(InetAddress.getByName("2001:db8::7"));
            assertThat(m.sourcePort()).isEqualTo(1234);
            assertThat(InetAddress.getByName(m.destinationAddress())).isEqualTo(InetAddress.getByName("::1"));
            assertThat(m.destinationPort()).isEqualTo(5005);
        } finally {
            m.release();
        }
        ch.finishAndReleaseAll();
    }

    @Test
    void aSourceOfAnotherFamilyClosesWithAnError() {
        EmbeddedChannel ch = connected(new ProxyHeaderSender(HAProxyProtocolVersion.V2,
                ProxyHeaderSender.parseSource("[2001:db8::7]:1234")));
        ch.pipeline().fireChannelActive();
        assertThat(ch.isOpen()).isFalse();
        assertThat((Object) ch.readOutbound()).isNull();
        ch.finishAndReleaseAll();
    }

    @Test
    void badVersionsAndSourcesAreNamed() {
        assertThat(ProxyHeaderSender.parseVersion("V2")).isEqualTo(HAProxyProtocolVersion.V2);
        assertThatThrownBy(() -> ProxyHeaderSender.parseVersion("v3")).hasMessage("bad --proxy-protocol 'v3': expected v1 or v2");
        assertThatThrownBy(() -> ProxyHeaderSender.parseSource("example.com:80")).hasMessageStartingWith("bad --proxy-source 'example.com:80'");
        assertThatThrownBy(() -> ProxyHeaderSender.parseSource("10.0.0.1")).hasMessageStartingWith("bad --proxy-source");
        assertThatThrownBy(() -> ProxyHeaderSender.parseSource("10.0.0.1:70000")).hasMessageStartingWith("bad --proxy-source");
        assertThatThrownBy(() -> ProxyHeaderSender.parseSource("2001:db8::1:80")).hasMessageContaining("[ADDR]:PORT");
    }
}
