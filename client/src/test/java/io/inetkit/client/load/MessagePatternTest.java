package io.inetkit.client.load;

import io.inetkit.common.framing.Framing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The generated messages are valid frames of their framing, and differ from one message to the next. */
class MessagePatternTest {

    @ParameterizedTest
    @ValueSource(strings = {"fixed:24", "line", "delimiter:\\0", "delimiter:abc", "delimiter:A1", "length:1:200",
            "length:2", "length:4", "length:8"})
    void everyMessageIsOneFrameOfItsFraming(String spec) {
        Framing framing = Framing.parse(spec);
        MessagePattern p = new MessagePattern(framing, 24, null);
        int messages = 70;
        byte[] stream = new byte[p.wireSize() * messages];
        for (int seq = 0; seq < messages; seq++) {
            p.write(stream, seq * p.wireSize(), 7, seq);
        }
        EmbeddedChannel ch = new EmbeddedChannel(framing.newDecoder(false));
        // TCP has no message boundaries: feed the stream in uneven pieces
        for (int off = 0; off < stream.length; off += 13) {
            ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(stream, off, Math.min(stream.length, off + 13))));
        }
        byte[] previous = null;
        for (int seq = 0; seq < messages; seq++) {
            ByteBuf frame = ch.readInbound();
            assertThat(frame).as("frame " + seq).isNotNull();
            assertThat(frame.readableBytes()).isEqualTo(24);
            byte[] payload = new byte[24];
            frame.readBytes(payload);
            frame.release();
            assertThat(payload).isNotEqualTo(previous);
            previous = payload;
        }
        Object rest = ch.readInbound();
        assertThat(rest).isNull();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void tagCarriesTheSequenceForUdp() {
        MessagePattern p = new MessagePattern(new Framing.Raw(), 64, null);
        byte[] m = new byte[p.wireSize()];
        p.write(m, 0, 3, 123_456L);
        assertThat(p.readSeqBits(Unpooled.wrappedBuffer(m), 0)).isEqualTo(123_456L);
        m[2] = '#';
        assertThat(p.readSeqBits(Unpooled.wrappedBuffer(m), 0)).isEqualTo(-1);
    }

    @Test
    void fixedMessageIsPaddedForFixedFraming() {
        MessagePattern p = new MessagePattern(Framing.parse("fixed:8"), 0, "hi".getBytes(StandardCharsets.UTF_8));
        byte[] m = new byte[p.wireSize()];
        p.write(m, 0, 1, 1);
        assertThat(m).containsExactly('h', 'i', 0, 0, 0, 0, 0, 0);
        assertThatThrownBy(() -> new MessagePattern(Framing.parse("line"), 0, "a\nb".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("line break");
        assertThatThrownBy(() -> new MessagePattern(Framing.parse("line:10"), 11, null)).hasMessageContaining("MAX of 10");
    }
}
