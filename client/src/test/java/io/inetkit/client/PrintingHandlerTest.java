package io.inetkit.client;

import io.inetkit.common.framing.Framing;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class PrintingHandlerTest {

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();

    @Test
    void eachEchoIsCutAndEndedAsItsLineAsked() {
        PrintingHandler printer = new PrintingHandler(Framing.parse("fixed:4"), false, stdout, new PrintWriter(new StringWriter()));
        EmbeddedChannel ch = new EmbeddedChannel(printer);
        printer.expect(new PrintingHandler.Echo(0, new byte[0]));
        printer.expect(new PrintingHandler.Echo(2, new byte[] {'\r', '\n'}));
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {'a', (byte) 0xff, 'c', 'd'}));
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {'e', 'f', 0, 0}));
        assertThat(stdout.toByteArray()).containsExactly('a', 0xff, 'c', 'd', 'e', 'f', '\r', '\n');
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aFrameNobodySentIsWrittenAsALine() {
        PrintingHandler printer = new PrintingHandler(Framing.parse("length:2"), false, stdout, new PrintWriter(new StringWriter()));
        EmbeddedChannel ch = new EmbeddedChannel(printer);
        ch.writeInbound(Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII));
        assertThat(stdout.toString(StandardCharsets.US_ASCII)).isEqualTo("hello\n");
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void rawWritesEachReadAsItIs() {
        PrintingHandler printer = new PrintingHandler(new Framing.Raw(), false, stdout, new PrintWriter(new StringWriter()));
        EmbeddedChannel ch = new EmbeddedChannel(printer);
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {'a', (byte) 0xff}));
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {'\r'}));
        assertThat(stdout.toByteArray()).containsExactly('a', 0xff, '\r');
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aStdoutThatFailsClosesTheConnectionAndSaysWhy() {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        PrintingHandler printer = new PrintingHandler(new Framing.Raw(), false, broken, new PrintWriter(new StringWriter()));
        EmbeddedChannel ch = new EmbeddedChannel(printer);
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {'a'}));
        assertThat(ch.isOpen()).isFalse();
        assertThat(printer.stdoutError()).hasMessage("Broken pipe");
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void hexShowsEachEchoAsADump() {
        PrintingHandler printer = new PrintingHandler(new Framing.Raw(), true, stdout, new PrintWriter(new StringWriter()));
        EmbeddedChannel ch = new EmbeddedChannel(printer);
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {'a', (byte) 0xff}));
        assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("|00000000| 61 ff").contains("|a.");
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }
}
