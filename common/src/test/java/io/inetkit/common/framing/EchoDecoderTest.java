package io.inetkit.common.framing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The echo decoders ({@link Framing#newEchoDecoder()}) against the per-frame ones ({@code newDecoder(true)}):
 * on the same input in the same chunks, the same bytes come out, in the same order, as the same number of
 * frames, with the same errors, and at most one message per chunk.
 */
class EchoDecoderTest {

    private static final long SEED = Long.getLong("test.seed", System.nanoTime());

    /** What came out of a decoder: the bytes, the frames they make, the messages, the errors. */
    private record Output(byte[] bytes, int frames, int messages, int maxMessagesPerChunk, List<String> errors) {
    }

    private static Output run(Framing framing, boolean echo, List<byte[]> chunks) {
        List<String> errors = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(echo ? framing.newEchoDecoder() : framing.newDecoder(true));
        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                errors.add(cause.getClass().getSimpleName() + ": " + cause.getMessage());
            }
        });
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int frames = 0;
        int messages = 0;
        int maxPerChunk = 0;
        for (byte[] chunk : chunks) {
            ch.writeInbound(Unpooled.copiedBuffer(chunk));
            int perChunk = 0;
            for (Object m; (m = ch.readInbound()) != null; ) {
                ByteBuf content = m instanceof FrameRun run ? run.content() : (ByteBuf) m;
                frames += m instanceof FrameRun run ? run.frames() : 1;
                byte[] b = new byte[content.readableBytes()];
                content.getBytes(content.readerIndex(), b);
                bytes.writeBytes(b);
                io.netty.util.ReferenceCountUtil.release(m);
                messages++;
                perChunk++;
            }
            maxPerChunk = Math.max(maxPerChunk, perChunk);
        }
        ch.finishAndReleaseAll();
        return new Output(bytes.toByteArray(), frames, messages, maxPerChunk, errors);
    }

    private static List<byte[]> chunks(byte[] wire, Random random) {
        List<byte[]> chunks = new ArrayList<>();
        for (int i = 0; i < wire.length; ) {
            int n = Math.min(wire.length - i, 1 + random.nextInt(random.nextBoolean() ? 8 : 300));
            byte[] c = new byte[n];
            System.arraycopy(wire, i, c, 0, n);
            chunks.add(c);
            i += n;
        }
        return chunks;
    }

    /** Reads of 1 to 4 whole lines each (a line over MAX too), then whatever unfinished line is left. */
    private static List<byte[]> chunksOfWholeLines(byte[] wire, Random random) {
        List<byte[]> chunks = new ArrayList<>();
        int start = 0;
        int lines = 0;
        int want = 1 + random.nextInt(4);
        for (int i = 0; i < wire.length; i++) {
            if (wire[i] == '\n' && ++lines == want) {
                chunks.add(java.util.Arrays.copyOfRange(wire, start, i + 1));
                start = i + 1;
                lines = 0;
                want = 1 + random.nextInt(4);
            }
        }
        if (start < wire.length) {
            chunks.add(java.util.Arrays.copyOfRange(wire, start, wire.length));
        }
        return chunks;
    }

    /** Lines of random length (some over MAX when {@code hostile}), ends \n or \r\n, a stray \r here and there. */
    private static byte[] lines(Random random, int max, boolean hostile) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int count = 1 + random.nextInt(40);
        for (int i = 0; i < count; i++) {
            int length = hostile && random.nextInt(8) == 0 ? max + 1 + random.nextInt(3 * max) : random.nextInt(max + 1);
            for (int j = 0; j < length; j++) {
                out.write(random.nextInt(20) == 0 ? '\r' : 'a' + random.nextInt(26));
            }
            if (random.nextBoolean()) {
                out.write('\r');
            }
            out.write('\n');
        }
        if (random.nextBoolean()) {
            out.writeBytes("unfinished".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"line:16", "line"})
    void lineEchoDecoderPassesTheSameLinesAndErrorsAsThePerLineOne(String spec) {
        Framing framing = Framing.parse(spec);
        int max = ((Framing.Line) framing).maxLength();
        for (int round = 0; round < 300; round++) {
            Random random = new Random(SEED + round);
            boolean hostile = round % 3 == 0;
            byte[] wire = lines(random, Math.min(max, 40), hostile);
            // half the rounds cut reads at line ends, as a client sending whole lines does (the shortcut)
            List<byte[]> chunks = round % 2 == 0 ? chunks(wire, random) : chunksOfWholeLines(wire, random);
            Output perFrame = run(framing, false, chunks);
            Output echo = run(framing, true, chunks);
            String seed = "seed " + (SEED + round);
            assertThat(echo.bytes()).as(seed).isEqualTo(perFrame.bytes());
            assertThat(echo.frames()).as(seed).isEqualTo(perFrame.frames());
            assertThat(echo.errors()).as(seed).isEqualTo(perFrame.errors());
            if (perFrame.errors().isEmpty()) {
                assertThat(echo.maxMessagesPerChunk()).as(seed + ": one run per read").isLessThanOrEqualTo(1);
            }
        }
    }

    @Test
    void linesBeforeALineOverMaxComeOutBeforeItsError() {
        List<String> events = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(Framing.parse("line:8").newEchoDecoder(), new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                FrameRun run = (FrameRun) msg;
                events.add(run.frames() + " frames: " + run.content().toString(StandardCharsets.US_ASCII));
                run.release();
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                events.add(cause.getClass().getSimpleName());
            }
        });
        ch.writeInbound(Unpooled.copiedBuffer("ok\nfine\r\nthis one is too long\nlater\n", StandardCharsets.US_ASCII));
        assertThat(events).first().isEqualTo("2 frames: ok\nfine\r\n");
        assertThat(events.get(1)).isEqualTo(TooLongFrameException.class.getSimpleName());
        ch.finishAndReleaseAll();
    }

    @Test
    void aReadOfWholeLinesIsPassedOnAsItIsAndAnythingElseTheDecodersWay() {
        EmbeddedChannel ch = new EmbeddedChannel(Framing.parse("line:8").newEchoDecoder());
        ByteBuf whole = Unpooled.copiedBuffer("ab\ncd\r\n", StandardCharsets.US_ASCII);
        ch.writeInbound(whole);
        FrameRun first = ch.readInbound();
        assertThat(first.content()).as("the read's own buffer, not a slice of it").isSameAs(whole);
        assertThat(first.frames()).isEqualTo(2);
        first.release();

        ch.writeInbound(Unpooled.copiedBuffer("ef\ngh", StandardCharsets.US_ASCII)); // ends inside a line
        FrameRun second = ch.readInbound();
        assertThat(second.content().toString(StandardCharsets.US_ASCII)).isEqualTo("ef\n");
        second.release();
        ByteBuf rest = Unpooled.copiedBuffer("i\nj\n", StandardCharsets.US_ASCII); // "gh" is still waiting
        ch.writeInbound(rest);
        FrameRun third = ch.readInbound();
        assertThat(third.content()).isNotSameAs(rest);
        assertThat(third.content().toString(StandardCharsets.US_ASCII)).isEqualTo("ghi\nj\n");
        assertThat(third.frames()).isEqualTo(2);
        third.release();

        ByteBuf tooLong = Unpooled.copiedBuffer("ok\nmuch too long\n", StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> ch.writeInbound(tooLong)).isInstanceOf(TooLongFrameException.class);
        FrameRun beforeIt = ch.readInbound();
        assertThat(beforeIt.content().toString(StandardCharsets.US_ASCII)).isEqualTo("ok\n");
        beforeIt.release();
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @ParameterizedTest(name = "fixed:{0}")
    @ValueSource(ints = {1, 5, 64})
    void fixedEchoDecoderPassesTheSameFramesInRuns(int size) {
        Framing framing = Framing.parse("fixed:" + size);
        for (int round = 0; round < 100; round++) {
            Random random = new Random(SEED + round);
            byte[] wire = new byte[random.nextInt(20 * size + 1)];
            random.nextBytes(wire);
            List<byte[]> chunks = chunks(wire, random);
            Output perFrame = run(framing, false, chunks);
            Output echo = run(framing, true, chunks);
            String seed = "seed " + (SEED + round);
            assertThat(echo.bytes()).as(seed).isEqualTo(perFrame.bytes());
            assertThat(echo.frames()).as(seed).isEqualTo(perFrame.frames()).isEqualTo(wire.length / size);
            assertThat(echo.errors()).as(seed).isEqualTo(perFrame.errors());
            assertThat(echo.maxMessagesPerChunk()).as(seed).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void framingsWithoutARunDecoderUseThePerFrameOne() {
        assertThat(Framing.parse("raw").newEchoDecoder()).isNull();
        assertThat(Framing.parse("length:2").newEchoDecoder()).isInstanceOf(ReportingLengthFieldBasedFrameDecoder.class);
        assertThat(Framing.parse("delimiter:\\0").newEchoDecoder()).isInstanceOf(ReportingDelimiterBasedFrameDecoder.class);
    }

    @Test
    void aFrameRunCountsItsFramesAndRejectsNone() {
        FrameRun run = new FrameRun(Unpooled.copiedBuffer("a\nb\n", StandardCharsets.US_ASCII), 2);
        FrameRun copy = run.copy();
        assertThat(copy.frames()).isEqualTo(2);
        assertThat(copy.content().toString(StandardCharsets.US_ASCII)).isEqualTo("a\nb\n");
        copy.release();
        run.release();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new FrameRun(Unpooled.EMPTY_BUFFER, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
    }
}
