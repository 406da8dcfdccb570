package io.inetkit.common.framing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every decoder, per frame and echo: what it says it holds between reads ({@link Cumulating}), which a server's
 * memory budget adds up. Nothing while no frame is unfinished; the unfinished frame's buffer while one is.
 */
class CumulatingTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "fixed:4       | abcd | ab",
            "line          | a\\n | ab",
            "delimiter:\\0 | a\\0 | ab",
            "length:2      | \\0\\1a | \\0\\5ab"})
    void aDecoderHoldsTheUnfinishedFrameAndNothingOnceItIsWhole(String spec, String whole, String part) {
        Framing framing = Framing.parse(spec);
        for (ChannelHandler decoder : new ChannelHandler[] {framing.newDecoder(true), framing.newEchoDecoder()}) {
            EmbeddedChannel ch = new EmbeddedChannel(decoder);
            Cumulating cumulating = (Cumulating) decoder;
            assertThat(cumulating.cumulatedBytes()).isZero();

            ch.writeInbound(bytes(whole));
            drain(ch);
            assertThat(cumulating.cumulatedBytes()).as("%s after a whole frame", decoder).isZero();

            ch.writeInbound(bytes(part));
            assertThat(cumulating.cumulatedBytes()).as("%s holding %s", decoder, part)
                    .isGreaterThanOrEqualTo(unescape(part).length());
            ch.pipeline().remove(decoder); // passes the unfinished frame on, so the end of input reports none
            drain(ch);
            assertThat(ch.finishAndReleaseAll()).isFalse();
        }
    }

    private static void drain(EmbeddedChannel ch) {
        for (Object m; (m = ch.readInbound()) != null; ) {
            ReferenceCountUtil.release(m);
        }
    }

    private static String unescape(String s) {
        return s.replace("\\n", "\n").replace("\\0", "\0").replace("\\1", "\1").replace("\\5", "\5");
    }

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(unescape(s), StandardCharsets.ISO_8859_1);
    }
}
