package io.inetkit.client;

import io.inetkit.common.framing.Framing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The echo client's pipelines, pinned by handler name. */
class EchoClientInitializerTest {

    @ParameterizedTest
    @ValueSource(strings = {"fixed:8", "line", "delimiter:\\0", "length:2"})
    void framedTcpIsFramerThenEventsThenCloseOnEof(String framing) {
        EmbeddedChannel ch = new EmbeddedChannel(new EchoClientInitializer(Framing.parse(framing), false, null, null, new EventQueueHandler()));
        assertThat(names(ch)).containsExactly(EchoClientInitializer.FRAMER, EchoClientInitializer.EVENTS,
                EchoClientInitializer.CLOSE_ON_EOF);
        ch.finishAndReleaseAll();
    }

    @Test
    void rawTcpHasNoFramer() {
        EmbeddedChannel ch = new EmbeddedChannel(new EchoClientInitializer(new Framing.Raw(), false, null, null, new EventQueueHandler()));
        assertThat(names(ch)).containsExactly(EchoClientInitializer.EVENTS, EchoClientInitializer.CLOSE_ON_EOF);
        ch.finishAndReleaseAll();
    }

    @Test
    void theFramerHandsWholeFramesToThePrinter() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintWriter w = new PrintWriter(new StringWriter());
        PrintingHandler printer = new PrintingHandler(Framing.parse("line"), false, out, w);
        EmbeddedChannel ch = new EmbeddedChannel(new EchoClientInitializer(Framing.parse("line"), true, null, null, printer));
        printer.expect(new PrintingHandler.Echo(0, new byte[0]));
        ByteBuf in = Unpooled.copiedBuffer("Hel", StandardCharsets.UTF_8);
        ch.writeInbound(in);
        ch.writeInbound(Unpooled.copiedBuffer("lo\n", StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("Hello\n");
        ch.finishAndReleaseAll();
    }

    @Test
    void minusWPutsTheIdleWatchFirst() {
        IdleTimeoutHandler idle = new IdleTimeoutHandler(Duration.ofSeconds(1), new PrintWriter(new StringWriter()));
        EmbeddedChannel ch = new EmbeddedChannel(new EchoClientInitializer(Framing.parse("line"), false, idle, null,
                new EventQueueHandler()));
        assertThat(names(ch)).containsExactly(EchoClientInitializer.IDLE_STATE, EchoClientInitializer.IDLE_TIMEOUT,
                EchoClientInitializer.FRAMER, EchoClientInitializer.EVENTS, EchoClientInitializer.CLOSE_ON_EOF);
        ch.finishAndReleaseAll();
    }

    @Test
    void udpIsEventsAlone() {
        EmbeddedChannel ch = new EmbeddedChannel(new UdpEchoClientInitializer(new EventQueueHandler()));
        assertThat(names(ch)).containsExactly(UdpEchoClientInitializer.EVENTS);
        ch.finishAndReleaseAll();
    }

    /** The handlers' names, without the embedded channel's own tail entry. */
    static List<String> names(EmbeddedChannel ch) {
        return ch.pipeline().names().stream().filter(n -> !n.startsWith("DefaultChannelPipeline$")).toList();
    }
}
