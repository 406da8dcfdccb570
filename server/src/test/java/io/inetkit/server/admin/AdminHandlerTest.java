package io.inetkit.server.admin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The admin endpoints over the real HTTP codec, without sockets: bytes in, bytes out. */
class AdminHandlerTest {

    private final AtomicBoolean serving = new AtomicBoolean(true);

    private String exchange(String request) {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpServerCodec(), new HttpServerKeepAliveHandler(),
                new HttpObjectAggregator(8192), new AdminHandler(() -> "# HELP x_total x\nx_total 1.0\n", serving::get));
        ch.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.US_ASCII));
        StringBuilder response = new StringBuilder();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            response.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        assertFalse(ch.finish(), "nothing left over");
        return response.toString();
    }

    @Test
    void healthIs200WhileServingAnd503WhileDraining() {
        assertThat(exchange("GET /health HTTP/1.1\r\nHost: a\r\n\r\n"))
                .startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nserving\n");
        serving.set(false);
        assertThat(exchange("GET /health HTTP/1.1\r\nHost: a\r\n\r\n"))
                .startsWith("HTTP/1.1 503 Service Unavailable\r\n").endsWith("\r\n\r\ndraining\n");
    }

    @Test
    void metricsIsPrometheusText() {
        String r = exchange("GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(r).startsWith("HTTP/1.1 200 OK\r\n")
                .containsIgnoringCase("content-type: text/plain; version=0.0.4; charset=utf-8\r\n")
                .containsIgnoringCase("content-length: 29\r\n")
                .endsWith("\r\n\r\n# HELP x_total x\nx_total 1.0\n");
    }

    @Test
    void unknownPathsAre404AndOtherMethods405() {
        assertThat(exchange("GET /nope?x=1 HTTP/1.1\r\nHost: a\r\n\r\n")).startsWith("HTTP/1.1 404 Not Found\r\n")
                .endsWith("not found: /nope\n");
        assertThat(exchange("POST /metrics HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n"))
                .startsWith("HTTP/1.1 405 Method Not Allowed\r\n").containsIgnoringCase("allow: GET, HEAD\r\n");
    }

    @Test
    void headHasTheLengthButNoBody() {
        assertThat(exchange("HEAD /health HTTP/1.1\r\nHost: a\r\n\r\n"))
                .startsWith("HTTP/1.1 200 OK\r\n").containsIgnoringCase("content-length: 8\r\n").endsWith("\r\n\r\n");
    }

    @Test
    void http10WithoutKeepAliveIsClosedAfterTheResponse() {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpServerCodec(), new HttpServerKeepAliveHandler(),
                new HttpObjectAggregator(8192), new AdminHandler(() -> "", serving::get));
        ch.writeInbound(Unpooled.copiedBuffer("GET /health HTTP/1.0\r\n\r\n", StandardCharsets.US_ASCII));
        ByteBuf b = ch.readOutbound();
        String response = b.toString(StandardCharsets.US_ASCII);
        b.release();
        assertThat(response).startsWith("HTTP/1.1 200 OK").containsIgnoringCase("connection: close\r\n");
        ch.runPendingTasks();
        assertThat(ch.isOpen()).isFalse();
        ch.finishAndReleaseAll();
    }
}
