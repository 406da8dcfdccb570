package io.inetkit.server.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.inetkit.common.framing.Framing;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The echo framer's cumulator: a small leftover and the next read in a buffer sized to them. */
class RightSizedCumulatorTest {

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    /** A 32 KiB read of which only the last {@code left} bytes are still to decode. */
    private static ByteBuf readWithLeftover(int left) {
        ByteBuf b = ALLOC.buffer(32 * 1024, 32 * 1024).writeZero(32 * 1024);
        b.readerIndex(b.writerIndex() - left);
        return b;
    }

    @Test
    void aSmallLeftoverAndTheReadGoIntoABufferSizedToThem() {
        ByteBuf cumulation = readWithLeftover(2);
        ByteBuf in = ALLOC.buffer(32 * 1024).writeZero(32 * 1024);
        ByteBuf merged = RightSizedCumulator.INSTANCE.cumulate(ALLOC, cumulation, in);
        int capacity = merged.capacity();
        int readable = merged.readableBytes();
        int cumulationRefs = cumulation.refCnt();
        int inRefs = in.refCnt();
        merged.release();
        assertThat(readable).isEqualTo(32 * 1024 + 2);
        assertThat(capacity).as("Netty's merge doubles to 64 KiB").isLessThan(48 * 1024);
        assertThat(cumulationRefs).isZero();
        assertThat(inRefs).isZero();
    }

    @Test
    void nothingLeftOverMeansTheReadIsTheCumulation() {
        ByteBuf cumulation = readWithLeftover(0);
        ByteBuf in = ALLOC.buffer(100).writeZero(100);
        ByteBuf merged = RightSizedCumulator.INSTANCE.cumulate(ALLOC, cumulation, in);
        boolean same = merged == in;
        merged.release();
        assertThat(same).as("no copy").isTrue();
        assertThat(cumulation.refCnt()).isZero();
    }

    @Test
    void aBigFrameArrivingGrowsAsNettyGrowsIt() {
        ByteBuf cumulation = ALLOC.buffer(64 * 1024).writeZero(40 * 1024); // 40 KiB of a frame so far
        ByteBuf in = ALLOC.buffer(1024).writeZero(1024);
        ByteBuf merged = RightSizedCumulator.INSTANCE.cumulate(ALLOC, cumulation, in);
        boolean inPlace = merged == cumulation;
        int readable = merged.readableBytes();
        merged.release();
        assertThat(inPlace).as("appended where it was, not copied again").isTrue();
        assertThat(readable).isEqualTo(41 * 1024);
    }

    @Test
    void framesSplitAcrossReadsComeOutWhole() {
        ByteToMessageDecoder decoder = (ByteToMessageDecoder) Framing.parse("delimiter:\\0").newEchoDecoder();
        decoder.setCumulator(RightSizedCumulator.INSTANCE);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        StringBuilder out = new StringBuilder();
        for (String chunk : new String[] {"he", "llo\0wo", "rld\0", "!\0"}) {
            ch.writeInbound(Unpooled.copiedBuffer(chunk, StandardCharsets.US_ASCII));
            for (Object m; (m = ch.readInbound()) != null; ReferenceCountUtil.release(m)) {
                out.append(((ByteBuf) m).toString(StandardCharsets.US_ASCII)).append('|');
            }
        }
        assertThat(out).hasToString("hello\0|world\0|!\0|");
        assertThat(ch.finish()).isFalse();
    }
}
