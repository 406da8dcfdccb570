package io.inetkit.server.ws;

import io.inetkit.server.stream.TestMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link WebSocketEchoHandler} and {@link WebSocketClose} on an {@code EmbeddedChannel}, behind the decoder's place. */
class WebSocketEchoHandlerTest {

    private final WebSocketMeters meters = new WebSocketMeters(new SimpleMeterRegistry(), "ws/0");
    private final EmbeddedChannel ch = new EmbeddedChannel(new WebSocketClose(meters),
            new WebSocketEchoHandler(TestMeters.of("ws/0"), meters, "/echo", 1 << 20));

    @AfterEach
    void close() {
        ch.finishAndReleaseAll();
    }

    @Test
    void textAndBinaryComeBackAsTheSameTypeAndBytes() {
        ch.writeInbound(new TextWebSocketFrame("héllo"));
        ch.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {0, 1, 2, (byte) 0xff})));
        TextWebSocketFrame text = ch.readOutbound();
        BinaryWebSocketFrame binary = ch.readOutbound();
        try {
            assertThat(text.text()).isEqualTo("héllo");
            assertThat(binary.content().readableBytes()).isEqualTo(4);
            assertThat(binary.content().getByte(3)).isEqualTo((byte) 0xff);
        } finally {
            text.release();
            binary.release();
        }
        assertThat(meters.messages(WebSocketMeters.Type.TEXT)).isEqualTo(1);
        assertThat(meters.messages(WebSocketMeters.Type.BINARY)).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 1001, 3000, 4999})
    void thePeersCloseIsAnsweredWithItsCodeAndTheConnectionCloses(int code) {
        ch.writeInbound(new CloseWebSocketFrame(code, "bye"));
        CloseWebSocketFrame answer = ch.readOutbound();
        try {
            assertThat(answer.statusCode()).isEqualTo(code);
        } finally {
            answer.release();
        }
        assertThat(ch.isOpen()).isFalse();
        assertThat(meters.closes(code, false)).isEqualTo(1);
        assertThat(meters.closes(code, true)).isEqualTo(1);
    }

    @Test
    void anUnassignedCloseCodeIsAProtocolError() {
        ch.writeInbound(new CloseWebSocketFrame(5000, ""));
        assertClosedWith(1002);
    }

    @Test
    void aReservedBitLeftOverIsAProtocolError() {
        ch.writeInbound(new TextWebSocketFrame(true, 0x4, Unpooled.copiedBuffer("x", StandardCharsets.UTF_8)));
        assertClosedWith(1002);
    }

    @Test
    void aMessageOverTheLimitIsClosedWith1009() {
        ch.pipeline().fireExceptionCaught(new TooLongFrameException("content length exceeded 1024 bytes"));
        assertClosedWith(1009);
    }

    @Test
    void afterOurCloseDataIsDroppedAndThePeersCloseEndsTheConnection() {
        ch.writeAndFlush(new CloseWebSocketFrame(1001, "server stopping"));
        ReferenceCountUtil.release(ch.readOutbound());
        ch.writeInbound(new TextWebSocketFrame("late"));
        assertThat((Object) ch.readOutbound()).as("no echo after our close").isNull();
        ch.writeInbound(new CloseWebSocketFrame(1001, ""));
        assertThat((Object) ch.readOutbound()).as("no second close frame").isNull();
        assertThat(ch.isOpen()).isFalse();
        assertThat(meters.closes(1001, true)).isEqualTo(1);
    }

    @Test
    void aPlainRequestGets404NamingThePath() {
        ch.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/other"));
        FullHttpResponse response = ch.readOutbound();
        try {
            assertThat(response.status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
            assertThat(response.content().toString(StandardCharsets.US_ASCII)).contains("upgrade on /echo");
        } finally {
            response.release();
        }
        assertThat(ch.isOpen()).isFalse();
    }

    private void assertClosedWith(int code) {
        WebSocketFrame f = ch.readOutbound();
        try {
            assertThat(f).isInstanceOf(CloseWebSocketFrame.class);
            assertThat(((CloseWebSocketFrame) f).statusCode()).isEqualTo(code);
        } finally {
            f.release();
        }
        assertThat(ch.isOpen()).isFalse();
        assertThat(meters.closes(code, true)).isEqualTo(1);
    }
}
