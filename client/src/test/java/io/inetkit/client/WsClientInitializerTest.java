package io.inetkit.client;

import io.inetkit.client.WsEventHandler.CloseFrame;
import io.inetkit.client.WsEventHandler.Event;
import io.inetkit.client.WsEventHandler.Failed;
import io.inetkit.client.WsEventHandler.Message;
import io.inetkit.client.WsEventHandler.Upgraded;
import io.inetkit.client.ws.WsClientInitializer;
import io.inetkit.client.ws.WsUrl;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The WebSocket client's pipeline, pinned by handler name, and its upgrade and frames on the wire. */
class WsClientInitializerTest {

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"; // RFC 6455 section 1.3

    private static EmbeddedChannel channel(String url, boolean deflate, WsEventHandler events) {
        return new EmbeddedChannel(new WsClientInitializer(WsUrl.parse(url), null, null, false, deflate, 1 << 20,
                5000, events));
    }

    private static String request(EmbeddedChannel ch) {
        StringBuilder sb = new StringBuilder();
        for (ByteBuf b = ch.readOutbound(); b != null; b = ch.readOutbound()) {
            sb.append(b.toString(StandardCharsets.US_ASCII));
            b.release();
        }
        return sb.toString();
    }

    private static String accept(String request) throws Exception {
        Matcher m = Pattern.compile("(?i)sec-websocket-key: (\\S+)").matcher(request);
        assertThat(m.find()).as(request).isTrue();
        byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((m.group(1) + GUID).getBytes(StandardCharsets.US_ASCII));
        return Base64.getEncoder().encodeToString(sha1);
    }

    private static List<Event> drain(WsEventHandler events) throws InterruptedException {
        List<Event> all = new ArrayList<>();
        for (Event e = events.next(System.nanoTime()); e != null; e = events.next(System.nanoTime())) {
            all.add(e);
        }
        return all;
    }

    @Test
    void thePipelineIsTheHttpCodecThenTheUpgradeThenTheFrameAggregator() {
        EmbeddedChannel ch = channel("ws://127.0.0.1:8081/", true, new WsEventHandler());
        assertThat(ch.pipeline().names()).containsSubsequence(WsClientInitializer.HTTP_CODEC,
                WsClientInitializer.HTTP_AGGREGATOR, WsClientInitializer.DEFLATE, WsClientInitializer.WS,
                WsClientInitializer.WS_AGGREGATOR, WsClientInitializer.LAST);
        assertThat(ch.pipeline().get(WsClientInitializer.TLS)).isNull();
        ch.finishAndReleaseAll();
        EmbeddedChannel plain = channel("ws://127.0.0.1:8081/", false, new WsEventHandler());
        assertThat(plain.pipeline().names()).doesNotContain(WsClientInitializer.DEFLATE);
        plain.finishAndReleaseAll();
    }

    @Test
    void theUpgradeAsksForThePathAndQueryAndOffersDeflateThenFramesFlowBothWays() throws Exception {
        WsEventHandler events = new WsEventHandler();
        EmbeddedChannel ch = channel("ws://127.0.0.1:8081/echo?room=1", true, events);
        String request = request(ch);
        assertThat(request).startsWith("GET /echo?room=1 HTTP/1.1\r\n").containsIgnoringCase("upgrade: websocket")
                .containsIgnoringCase("sec-websocket-version: 13")
                .containsIgnoringCase("sec-websocket-extensions: permessage-deflate");
        ch.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept(request) + "\r\n\r\n", StandardCharsets.US_ASCII));
        // a server's frames are not masked: FIN+text "hello", then FIN+binary 00 ff, then close 1001
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0x81, 5, 'h', 'e', 'l', 'l', 'o'}));
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0x82, 2, 0, (byte) 0xff}));
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0x88, 2, 0x03, (byte) 0xe9}));
        List<Event> got = drain(events);
        assertThat(got).hasSize(4);
        assertThat(got.get(0)).isInstanceOf(Upgraded.class);
        assertThat(((Message) got.get(1)).text()).isTrue();
        assertThat(new String(((Message) got.get(1)).data(), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(((Message) got.get(2)).text()).isFalse();
        assertThat(((Message) got.get(2)).data()).containsExactly(0, 0xff);
        assertThat(got.get(3)).isEqualTo(new CloseFrame(1001, ""));
        // what the client sends is masked (RFC 6455 5.3): the mask bit of the second byte is set
        ch.writeOutbound(new io.netty.handler.codec.http.websocketx.TextWebSocketFrame("hi"));
        ByteBuf out = ch.readOutbound();
        assertThat(out.getByte(0) & 0xff).isEqualTo(0x81);
        assertThat(out.getByte(1) & 0x80).isEqualTo(0x80);
        out.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void aRefusedUpgradeIsAHandshakeExceptionWithTheStatus() throws Exception {
        WsEventHandler events = new WsEventHandler();
        EmbeddedChannel ch = channel("ws://127.0.0.1:8080/nothing", false, events);
        request(ch);
        ch.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n",
                StandardCharsets.US_ASCII));
        List<Event> got = drain(events);
        assertThat(got).anySatisfy(e -> {
            assertThat(e).isInstanceOf(Failed.class);
            Throwable cause = ((Failed) e).cause();
            assertThat(cause).isInstanceOf(WebSocketClientHandshakeException.class);
            assertThat(((WebSocketClientHandshakeException) cause).response().status().code()).isEqualTo(404);
        });
        assertThat(got).noneMatch(e -> e instanceof Upgraded);
        ch.finishAndReleaseAll();
    }

    @Test
    void aCloseFrameWithoutACodeIsReportedAs1005() throws Exception {
        WsEventHandler events = new WsEventHandler();
        EmbeddedChannel ch = channel("ws://127.0.0.1:8081/", false, events);
        String request = request(ch);
        ch.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept(request) + "\r\n\r\n", StandardCharsets.US_ASCII));
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0x88, 0}));
        assertThat(drain(events)).contains(new CloseFrame(WsEventHandler.NO_STATUS, ""));
        ch.finishAndReleaseAll();
    }
}
