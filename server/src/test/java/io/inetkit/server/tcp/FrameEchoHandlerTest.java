package io.inetkit.server.tcp;

import io.inetkit.server.stream.GracefulClose;
import io.inetkit.server.stream.HalfClosableChannel;
import io.inetkit.server.stream.StreamMeters;
import io.inetkit.server.stream.TestMeters;

import io.inetkit.common.framing.FrameRun;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The echo alone: bytes back as they came, back-pressure, and the end of input. */
class FrameEchoHandlerTest {

    private final StreamMeters meters = TestMeters.of("tcp/5005");
    private final HalfClosableChannel ch = new HalfClosableChannel(new FrameEchoHandler(meters));

    @AfterEach
    void release() {
        ch.finishAndReleaseAll();
    }

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    private String outbound() {
        StringBuilder out = new StringBuilder();
        for (ByteBuf b; (b = ch.readOutbound()) != null; b.release()) {
            out.append(b.toString(StandardCharsets.US_ASCII));
        }
        return out.toString();
    }

    @Test
    void echoesTheSameBufferAsItCame() {
        ByteBuf frame = text("hello\n");
        ch.writeInbound(frame);
        ByteBuf echo = ch.readOutbound();
        assertThat(echo).as("the same buffer: no copy").isSameAs(frame);
        assertThat(echo.toString(StandardCharsets.US_ASCII)).isEqualTo("hello\n");
        echo.release();
        assertThat(meters.bytesIn.count()).isEqualTo(6);
        assertThat(meters.bytesOut.count()).isEqualTo(6);
    }

    @Test
    void aRunOfFramesGoesBackAsOneWriteAndCountsAsItsFrames() {
        ch.writeInbound(new FrameRun(text("a\nb\nc\n"), 3));
        ByteBuf echo = ch.readOutbound();
        assertThat(echo.toString(StandardCharsets.US_ASCII)).isEqualTo("a\nb\nc\n");
        echo.release();
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(TestMeters.framesIn(meters)).isEqualTo(3);
        assertThat(TestMeters.framesOut(meters)).isEqualTo(3);
    }

    @Test
    void aFrameCutFromTheCumulationGoesBackAsACopySoTheCumulationIsFree() {
        // what DelimiterBasedFrameDecoder passes on: a retained slice of its cumulation, which it then lets go
        ByteBuf cumulation = text("ab\0cd\0ef");
        ByteBuf frame = cumulation.retainedSlice(0, 3);
        cumulation.release();
        ch.writeInbound(frame);
        ByteBuf echo = ch.readOutbound();
        String bytes = echo.toString(StandardCharsets.US_ASCII);
        int cumulationRefs = cumulation.refCnt(); // while the echo waits for the peer
        echo.release();
        assertThat(bytes).isEqualTo("ab\0");
        assertThat(cumulationRefs).as("nothing waiting for the peer keeps the cumulation").isZero();
    }

    @Test
    void aBufferOfItsOwnInLeakDetectionsWrapperGoesBackAsItCame() {
        ByteBuf read = io.netty.buffer.PooledByteBufAllocator.DEFAULT.buffer(16).writeByte('x'); // wrapped: paranoid
        ch.writeInbound(read);
        ByteBuf echo = ch.readOutbound();
        assertThat(echo).isSameAs(read);
        echo.release();
    }

    @Test
    void aRunCutFromTheCumulationGoesBackAsACopyToo() {
        ByteBuf cumulation = text("a\nb\nc");
        ch.writeInbound(new FrameRun(cumulation.retainedSlice(0, 4), 2));
        cumulation.release();
        ByteBuf echo = ch.readOutbound();
        String bytes = echo.toString(StandardCharsets.US_ASCII);
        int cumulationRefs = cumulation.refCnt();
        echo.release();
        assertThat(bytes).isEqualTo("a\nb\n");
        assertThat(cumulationRefs).isZero();
        assertThat(TestMeters.framesOut(meters)).isEqualTo(2);
    }

    @Test
    void writesDuringTheReadAndFlushesOnceAtItsEnd() {
        ch.pipeline().fireChannelRead(text("one "));
        ch.pipeline().fireChannelRead(text("two"));
        assertThat((Object) ch.readOutbound()).as("nothing flushed before the read batch ends").isNull();
        ch.pipeline().fireChannelReadComplete();
        assertThat(outbound()).isEqualTo("one two");
    }

    /** A peer that takes no bytes while {@code slow} is set: flushes stop before the socket. */
    private static final class SlowPeer extends ChannelOutboundHandlerAdapter {
        boolean slow = true;

        @Override
        public void flush(ChannelHandlerContext ctx) {
            if (!slow) {
                ctx.flush();
            }
        }
    }

    @Test
    void stopsReadingWhileTheEchoesAreNotTakenAndResumesOnceTheyAre() {
        SlowPeer peer = new SlowPeer();
        ch.pipeline().addFirst(peer);
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(4, 8));
        ch.writeInbound(text("0123456789"));
        assertThat(ch.isWritable()).isFalse();
        assertThat(ch.config().isAutoRead()).as("stopped reading the peer").isFalse();
        assertThat((Object) ch.readOutbound()).isNull();

        peer.slow = false; // the peer reads its echoes
        ch.flush();
        ch.runPendingTasks();
        assertThat(ch.isWritable()).isTrue();
        assertThat(ch.config().isAutoRead()).as("reads again").isTrue();
        assertThat(outbound()).isEqualTo("0123456789");
    }

    @Test
    void atTheEndOfInputFinishesTheEchoesThenCloses() {
        ch.pipeline().fireChannelRead(text("last words"));
        ch.peerShutdown();
        assertThat(outbound()).isEqualTo("last words");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void aClosingConnectionDropsItsInputAndCountsIt() {
        GracefulClose.close(ch, null, Duration.ofSeconds(2));
        ch.runPendingTasks();
        outbound();
        ByteBuf late = text("late");
        ch.writeInbound(late);
        assertThat(late.refCnt()).as("released").isZero();
        assertThat(outbound()).isEmpty();
        assertThat(meters.discardedBytes.count()).isEqualTo(4);
        assertThat(ch.config().isAutoRead()).isTrue();
    }
}
