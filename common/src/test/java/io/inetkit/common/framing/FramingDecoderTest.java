package io.inetkit.common.framing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every framing's decoder through an EmbeddedChannel: frames cut right whatever the chunking, framing
 * bytes kept or stripped as asked, oversized frames rejected at once, and nothing left unreleased.
 */
class FramingDecoderTest {

    private static final long SEED = Long.getLong("test.seed", System.nanoTime());

    /** A channel with the decoder and a sink that collects the exceptions fired past it. */
    private static final class Harness {
        final EmbeddedChannel ch;
        final List<Throwable> errors = new ArrayList<>();

        Harness(Framing framing, boolean keep) {
            ch = new EmbeddedChannel();
            ch.pipeline().addLast(framing.newDecoder(keep));
            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    errors.add(cause);
                }
            });
        }

        /** Writes {@code bytes} in random-sized chunks and returns every frame read, as byte arrays. */
        List<byte[]> feed(byte[] bytes, Random random) {
            int i = 0;
            while (i < bytes.length) {
                int n = Math.min(bytes.length - i, 1 + random.nextInt(7));
                ch.writeInbound(Unpooled.copiedBuffer(bytes, i, n));
                i += n;
            }
            return drain();
        }

        List<byte[]> drain() {
            List<byte[]> frames = new ArrayList<>();
            for (ByteBuf f; (f = ch.readInbound()) != null; ) {
                byte[] b = new byte[f.readableBytes()];
                f.readBytes(b);
                f.release();
                frames.add(b);
            }
            return frames;
        }
    }

    static Stream<Arguments> framings() {
        return Stream.of(
                Arguments.of("fixed:5", "HelloWorld", List.of("Hello", "World"), List.of("Hello", "World")),
                Arguments.of("line", "one\ntwo\r\nthree\n", List.of("one\n", "two\r\n", "three\n"), List.of("one", "two", "three")),
                Arguments.of("delimiter:\\0", "a\0bc\0\0", List.of("a\0", "bc\0", "\0"), List.of("a", "bc", "")),
                Arguments.of("delimiter:--", "x--yy--", List.of("x--", "yy--"), List.of("x", "yy")),
                Arguments.of("length:1", "\u0002hi\u0000\u0003abc", List.of("\u0002hi", "\u0000", "\u0003abc"), List.of("hi", "", "abc")),
                Arguments.of("length:2", "\u0000\u0002hi\u0000\u0001x", List.of("\u0000\u0002hi", "\u0000\u0001x"), List.of("hi", "x")),
                Arguments.of("length:4", "\u0000\u0000\u0000\u0003abc", List.of("\u0000\u0000\u0000\u0003abc"), List.of("abc")),
                Arguments.of("length:8", "\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0002ok", List.of("\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0002ok"), List.of("ok")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("framings")
    void cutsFramesWhateverTheChunking(String spec, String wire, List<String> kept, List<String> stripped) {
        Framing framing = Framing.parse(spec);
        for (int round = 0; round < 50; round++) {
            Random random = new Random(SEED + round);
            Harness keep = new Harness(framing, true);
            assertThat(strings(keep.feed(bytes(wire), random))).as("seed %d", SEED + round).isEqualTo(kept);
            assertThat(keep.ch.finish()).isFalse();
            assertThat(keep.errors).isEmpty();

            Harness strip = new Harness(framing, false);
            assertThat(strings(strip.feed(bytes(wire), random))).as("seed %d", SEED + round).isEqualTo(stripped);
            assertThat(strip.ch.finish()).isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"line:16", "delimiter:\\r\\n:16", "delimiter:!:16"})
    void rejectsADelimitedFrameOverMaxAtOnce(String spec) {
        Harness h = new Harness(Framing.parse(spec), true);
        byte[] longFrame = "x".repeat(40).getBytes(StandardCharsets.US_ASCII); // no delimiter at all
        h.ch.writeInbound(Unpooled.wrappedBuffer(longFrame));
        assertThat(h.errors).singleElement().isInstanceOf(TooLongFrameException.class)
                .extracting(Throwable::getMessage).asString().contains("16").contains("40");
        assertThat(h.drain()).isEmpty();
        h.ch.finishAndReleaseAll();
    }

    @ParameterizedTest(name = "{0} keep={1}")
    @CsvSource({"true", "false"})
    void aFrameOfMaxWhoseDelimiterIsSplitBetweenReadsIsLegalAndOneByteMoreIsNot(boolean keep) {
        Harness h = new Harness(Framing.parse("delimiter:\\r\\n:8"), keep);
        h.ch.writeInbound(Unpooled.copiedBuffer("12345678\r", StandardCharsets.US_ASCII));
        h.ch.writeInbound(Unpooled.copiedBuffer("\n123456789\r", StandardCharsets.US_ASCII));
        h.ch.writeInbound(Unpooled.copiedBuffer("\n", StandardCharsets.US_ASCII));
        assertThat(strings(h.drain())).containsExactly(keep ? "12345678\r\n" : "12345678");
        assertThat(h.errors).singleElement().isInstanceOf(TooLongFrameException.class)
                .extracting(Throwable::getMessage).asString().contains("(8)");
        h.ch.finishAndReleaseAll();
    }

    @Test
    void rejectsALengthHeaderOverMaxBeforeBufferingThePayload() {
        Harness h = new Harness(Framing.parse("length:8:1024"), true);
        ByteBuf header = Unpooled.buffer().writeLong(1L << 62).writeBytes(new byte[10]);
        try {
            h.ch.writeInbound(header);
        } catch (DecoderException e) {
            h.errors.add(e.getCause() == null ? e : e.getCause());
        }
        assertThat(h.errors).singleElement().isInstanceOf(TooLongFrameException.class)
                .extracting(Throwable::getMessage).asString()
                .contains(String.valueOf(1L << 62)).contains("1024");
        // what follows the bad header is never taken for frames
        h.ch.writeInbound(Unpooled.buffer().writeLong(2).writeShort(0x4142));
        assertThat(h.drain()).isEmpty();
        assertThat(h.ch.finish()).isFalse();
    }

    @Test
    void aNegativeEightByteLengthIsCorrupt() {
        Harness h = new Harness(Framing.parse("length:8"), true);
        try {
            h.ch.writeInbound(Unpooled.buffer().writeLong(-5));
        } catch (DecoderException e) {
            h.errors.add(e.getCause() == null ? e : e.getCause());
        }
        assertThat(h.errors).singleElement().isInstanceOf(CorruptedFrameException.class);
        assertThat(h.ch.finish()).isFalse();
    }

    @Test
    void reportsTheLecturesTrapAnIncompleteFixedFrameAtEof() {
        Harness h = new Harness(Framing.parse("fixed:20"), true);
        h.ch.writeInbound(Unpooled.copiedBuffer("Hello, World!", StandardCharsets.US_ASCII));
        assertThat(h.drain()).isEmpty();
        assertThat(h.ch.finish()).isFalse();
        assertThat(h.errors).singleElement().isInstanceOf(IncompleteFrameException.class)
                .extracting(Throwable::getMessage)
                .isEqualTo("13 bytes of an incomplete 20-byte frame discarded");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"line", "delimiter:\\0", "length:2"})
    void reportsAnUnfinishedFrameAtEof(String spec) {
        Harness h = new Harness(Framing.parse(spec), true);
        byte[] partial = spec.startsWith("length") ? new byte[] {0, 10, 'a', 'b', 'c'} : "abc".getBytes(StandardCharsets.US_ASCII);
        h.ch.writeInbound(Unpooled.wrappedBuffer(partial));
        assertThat(h.ch.finish()).isFalse();
        assertThat(h.errors).singleElement().isInstanceOf(IncompleteFrameException.class)
                .satisfies(e -> assertThat(((IncompleteFrameException) e).discardedBytes()).isEqualTo(partial.length));
        if (spec.startsWith("length")) {
            assertThat(h.errors.get(0)).hasMessage("5 bytes of an incomplete 12-byte frame discarded");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"line:64", "delimiter:\\0:64", "length:1:64", "length:2:64", "length:4:64", "length:8:64"})
    void encoderAndDecoderRoundTripRandomPayloads(String spec) {
        Framing framing = Framing.parse(spec);
        Random random = new Random(SEED);
        EmbeddedChannel encoder = new EmbeddedChannel(framing.newEncoder());
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        List<String> payloads = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String p = randomPayload(random, 64, framing);
            payloads.add(p);
            assertThat(encoder.writeOutbound(Unpooled.copiedBuffer(p, StandardCharsets.ISO_8859_1))).isTrue();
            for (ByteBuf out; (out = encoder.readOutbound()) != null; ) {
                byte[] b = new byte[out.readableBytes()];
                out.readBytes(b);
                out.release();
                wire.writeBytes(b);
            }
        }
        assertThat(encoder.finish()).isFalse();
        Harness decoder = new Harness(framing, false);
        assertThat(strings(decoder.feed(wire.toByteArray(), random))).as("seed %d", SEED).isEqualTo(payloads);
        assertThat(decoder.ch.finish()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"line", "delimiter:\\r\\n", "length:4"})
    void errorFrameIsAFrameOfTheSameFraming(String spec) {
        Framing framing = Framing.parse(spec);
        ByteBuf err = framing.errorFrame(io.netty.buffer.ByteBufAllocator.DEFAULT, "too long").orElseThrow();
        byte[] b = new byte[err.readableBytes()];
        err.readBytes(b);
        err.release();
        Harness h = new Harness(framing, false);
        assertThat(strings(h.feed(b, new Random(SEED)))).containsExactly("ERR too long");
        assertThat(h.ch.finish()).isFalse();
    }

    @Test
    void rawAndFixedCarryNoErrorText() {
        assertThat(Framing.parse("raw").errorFrame(io.netty.buffer.ByteBufAllocator.DEFAULT, "x")).isEmpty();
        assertThat(Framing.parse("fixed:8").errorFrame(io.netty.buffer.ByteBufAllocator.DEFAULT, "x")).isEmpty();
    }

    private static String randomPayload(Random random, int max, Framing framing) {
        int n = random.nextInt(max);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            char c = (char) random.nextInt(256);
            if (framing instanceof Framing.Line && (c == '\n' || c == '\r')
                    || framing instanceof Framing.Delimiter && c == 0) {
                c = 'z';
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static List<String> strings(List<byte[]> frames) {
        return frames.stream().map(b -> new String(b, StandardCharsets.ISO_8859_1)).toList();
    }
}
