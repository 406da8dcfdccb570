package io.inetkit.server.tcp;

import io.inetkit.server.ServerSettings;
import io.inetkit.server.stream.ConnectionLimiter;
import io.inetkit.testing.InetEmbeddedChannel;
import io.inetkit.server.stream.ProxyHeaderHandler;
import io.inetkit.server.RateLimitedLog;
import io.inetkit.server.stream.StreamListener;
import io.inetkit.server.stream.StreamMeters;
import io.inetkit.server.stream.TestMeters;

import io.inetkit.common.framing.Framing;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The order of a TCP echo connection's pipeline, by handler name, for every framing. */
class TcpEchoInitializerTest {

    private final StreamMeters meters = TestMeters.of("tcp/5005");
    private final RateLimitedLog log = new RateLimitedLog(LoggerFactory.getLogger("test"), 5);

    private EmbeddedChannel connection(String framing, Duration idle) {
        return new EmbeddedChannel(new TcpEchoInitializer(Framing.parse(framing), meters, idle, log,
                ProxyHeaderHandler.Requirement.NONE));
    }

    /** The handler names in order, without the pipeline's own tail. */
    static List<String> names(Channel ch) {
        List<String> names = new ArrayList<>(ch.pipeline().names());
        names.removeIf(n -> n.startsWith("DefaultChannelPipeline$"));
        return names;
    }

    @ParameterizedTest
    @ValueSource(strings = {"fixed:4", "line", "line:16", "delimiter:\\0", "delimiter:END:64", "length:1", "length:2",
            "length:4", "length:8:65536"})
    void everyFramingGetsIdleFramerEchoErrors(String framing) {
        EmbeddedChannel ch = connection(framing, Duration.ofMinutes(5));
        assertThat(names(ch)).containsExactly(StreamListener.IDLE, TcpEchoInitializer.FRAMER, TcpEchoInitializer.ECHO,
                TcpEchoInitializer.ERRORS);
        assertThat(names(ch)).containsExactly("idle", "framer", "echo", "errors");
        ch.finishAndReleaseAll();
    }

    @Test
    void rawHasNoFramer() {
        EmbeddedChannel ch = connection("raw", Duration.ofMinutes(5));
        assertThat(names(ch)).containsExactly("idle", "echo", "errors");
        ch.finishAndReleaseAll();
    }

    @Test
    void noIdleHandlerWhenTheIdleTimeoutIsOff() {
        EmbeddedChannel ch = connection("line", Duration.ZERO);
        assertThat(names(ch)).containsExactly("framer", "echo", "errors");
        ch.finishAndReleaseAll();
    }

    @ParameterizedTest
    @ValueSource(strings = {"raw", "fixed:4", "line", "delimiter:\\0", "length:2"})
    void aProxyListenerStartsWithTheHeaderWhichLeavesOnceRead(String framing) {
        EmbeddedChannel ch = new InetEmbeddedChannel(new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000));
        ch.pipeline().addLast(new TcpEchoInitializer(Framing.parse(framing), meters, Duration.ofMinutes(5), log,
                new ProxyHeaderHandler.Requirement(true, TestMeters.proxied("tcp/5005"),
                        new ConnectionLimiter(ServerSettings.Limits.DEFAULT), log, ServerSettings.Limits.DEFAULT,
                        TimeUnit.SECONDS.toNanos(5))));
        List<String> framed = framing.equals("raw") ? List.of("idle", "echo", "errors")
                : List.of("idle", "framer", "echo", "errors");
        List<String> whole = new ArrayList<>(List.of(TcpEchoInitializer.PROXY_DECODER, TcpEchoInitializer.PROXY_HEADER));
        whole.addAll(framed);
        assertThat(names(ch)).containsExactlyElementsOf(whole);
        assertThat(names(ch)).startsWith("proxy-decoder", "proxy-header");
        ch.writeInbound(Unpooled.copiedBuffer("PROXY TCP4 203.0.113.7 127.0.0.1 5555 5005\r\n", StandardCharsets.US_ASCII));
        assertThat(names(ch)).containsExactlyElementsOf(framed);
        ch.finishAndReleaseAll();
    }

    @Test
    void theEchoAndErrorHandlersAreSharedByTheConnectionsOfAListener() {
        TcpEchoInitializer init = new TcpEchoInitializer(Framing.parse("line"), meters, Duration.ofMinutes(5), log,
                ProxyHeaderHandler.Requirement.NONE);
        EmbeddedChannel a = new EmbeddedChannel(init);
        EmbeddedChannel b = new EmbeddedChannel(init);
        assertThat(a.pipeline().get(TcpEchoInitializer.ECHO)).isSameAs(b.pipeline().get(TcpEchoInitializer.ECHO));
        assertThat(a.pipeline().get(TcpEchoInitializer.ERRORS)).isSameAs(b.pipeline().get(TcpEchoInitializer.ERRORS));
        assertThat(a.pipeline().get(TcpEchoInitializer.FRAMER)).isNotSameAs(b.pipeline().get(TcpEchoInitializer.FRAMER));
        a.finishAndReleaseAll();
        b.finishAndReleaseAll();
    }
}
