package io.inetkit.server.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The flood cut behind Netty's real frame codec and multiplexer, fed raw frames, on a frozen clock. */
class Http2ControlFloodHandlerTest {

    private static final int MAX = 10;
    private static final long WINDOW_SECONDS = 10;
    private static final int PING = 0x6;
    private static final int SETTINGS = 0x4;
    private static final int GOAWAY = 0x7;
    private static final int ACK = 0x1;

    private final Counter floods = new SimpleMeterRegistry().counter("floods");
    private final EmbeddedChannel ch = new EmbeddedChannel();

    Http2ControlFloodHandlerTest() {
        ch.freezeTime();
        ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(),
                new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()),
                new Http2ControlFloodHandler(MAX, TimeUnit.SECONDS.toNanos(WINDOW_SECONDS), floods));
        ByteBuf preface = Unpooled.buffer();
        preface.writeBytes(Http2CodecUtil.connectionPrefaceBuf());
        writeFrame(preface, SETTINGS, 0, 0, new byte[0]);
        ch.writeInbound(preface);
    }

    @AfterEach
    void release() {
        ch.finishAndReleaseAll();
    }

    /** {@code length(3) type(1) flags(1) stream-id(4) payload}. */
    private static void writeFrame(ByteBuf out, int type, int flags, int stream, byte[] payload) {
        out.writeMedium(payload.length).writeByte(type).writeByte(flags).writeInt(stream).writeBytes(payload);
    }

    private void send(int type, int flags, int count) {
        ByteBuf in = Unpooled.buffer();
        for (int i = 0; i < count; i++) {
            writeFrame(in, type, flags, 0, type == PING ? new byte[8] : new byte[0]);
        }
        ch.writeInbound(in);
    }

    /** Every frame the server wrote so far, as {@code {type, flags, error code or -1}}. */
    private List<int[]> written() {
        ByteBuf all = Unpooled.buffer();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            all.writeBytes(b);
            b.release();
        }
        List<int[]> frames = new ArrayList<>();
        while (all.readableBytes() >= 9) {
            int length = all.readUnsignedMedium();
            int type = all.readUnsignedByte();
            int flags = all.readUnsignedByte();
            all.skipBytes(4);
            ByteBuf payload = all.readSlice(length);
            frames.add(new int[] {type, flags, type == GOAWAY ? payload.getInt(4) : -1});
        }
        all.release();
        return frames;
    }

    private static boolean isGoAway(int[] frame) {
        return frame[0] == GOAWAY;
    }

    @Test
    void pingsUpToTheLimitAreAnsweredAndTheConnectionStays() {
        send(PING, 0, MAX - 1); // the client's SETTINGS was the first of the window
        List<int[]> frames = written();
        assertThat(frames).filteredOn(f -> f[0] == PING && f[1] == ACK).hasSize(MAX - 1);
        assertThat(frames).noneMatch(Http2ControlFloodHandlerTest::isGoAway);
        assertThat(ch.isOpen()).isTrue();
        assertThat(floods.count()).isZero();
    }

    @Test
    void onePingPastTheLimitIsGoAwayEnhanceYourCalmAndAClose() {
        send(PING, 0, MAX);
        List<int[]> frames = written();
        assertThat(frames).filteredOn(Http2ControlFloodHandlerTest::isGoAway).singleElement()
                .satisfies(goaway -> assertThat(goaway[2]).as("error code").isEqualTo(0xb));
        assertThat(ch.isOpen()).isFalse();
        assertThat(floods.count()).isEqualTo(1);
    }

    @Test
    void settingsAndTheirAcksCountLikePings() {
        send(SETTINGS, 0, MAX / 2);
        send(SETTINGS, ACK, MAX / 2);
        assertThat(written()).filteredOn(Http2ControlFloodHandlerTest::isGoAway).singleElement()
                .satisfies(goaway -> assertThat(goaway[2]).isEqualTo(0xb));
        assertThat(floods.count()).isEqualTo(1);
    }

    @Test
    void theCountStartsAgainInANewWindow() {
        for (int window = 0; window < 5; window++) {
            send(PING, 0, MAX - 1);
            ch.advanceTimeBy(WINDOW_SECONDS, TimeUnit.SECONDS);
        }
        assertThat(written()).noneMatch(Http2ControlFloodHandlerTest::isGoAway);
        assertThat(ch.isOpen()).isTrue();
    }
}
