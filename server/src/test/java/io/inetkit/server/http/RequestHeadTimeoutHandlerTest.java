package io.inetkit.server.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The header timeout on the decoded side of a real codec, on the channel's frozen clock. */
class RequestHeadTimeoutHandlerTest {

    private static final long TIMEOUT_SECONDS = 20;

    private final Counter timeouts = new SimpleMeterRegistry().counter("timeouts");
    private EmbeddedChannel ch;

    @AfterEach
    void release() {
        if (ch != null) {
            ch.finishAndReleaseAll();
        }
    }

    private EmbeddedChannel open() {
        ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast(new HttpServerCodec(),
                new RequestHeadTimeoutHandler(TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS), timeouts));
        return ch;
    }

    private void send(String text) {
        ch.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
    }

    private void advance(long seconds) {
        ch.advanceTimeBy(seconds, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
    }

    /** Reads the decoded request parts and drops them: the test plays the part of the echo. */
    private HttpRequest takeRequest() {
        HttpRequest request = null;
        for (Object msg; (msg = ch.readInbound()) != null; ) {
            if (msg instanceof HttpRequest r && request == null) {
                request = r;
            }
            ReferenceCountUtil.release(msg);
        }
        return request;
    }

    private static DefaultFullHttpResponse response(HttpResponseStatus status) {
        DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
        response.headers().setInt("content-length", 0);
        return response;
    }

    private void dropOutbound() {
        for (Object msg; (msg = ch.readOutbound()) != null; ) {
            ReferenceCountUtil.release(msg);
        }
    }

    @Test
    void aHeadSentAByteAtATimeIsCutAtTheTimeout() {
        open();
        String head = "GET /get HTTP/1.1\r\nHost: h\r\n";
        for (int i = 0; i < TIMEOUT_SECONDS - 1; i++) {
            send(head.substring(i, i + 1));
            advance(1);
        }
        assertThat(ch.isOpen()).as("still inside the timeout").isTrue();
        send(head.substring((int) TIMEOUT_SECONDS - 1, (int) TIMEOUT_SECONDS));
        advance(1);
        assertThat(ch.isOpen()).isFalse();
        assertThat(timeouts.count()).isEqualTo(1);
        assertThat((Object) ch.readOutbound()).as("closed without an answer, as nginx does").isNull();
    }

    @Test
    void aWholeHeadInTimeIsServedAndTheClockRestartsAfterTheResponse() {
        open();
        advance(TIMEOUT_SECONDS - 1);
        send("GET /get HTTP/1.1\r\nHost: h\r\n\r\n");
        assertThat(takeRequest()).isNotNull();
        advance(TIMEOUT_SECONDS * 3);
        assertThat(ch.isOpen()).as("a request being served is not timed by this handler").isTrue();
        ch.writeOutbound(response(HttpResponseStatus.OK));
        dropOutbound();
        advance(TIMEOUT_SECONDS - 1);
        assertThat(ch.isOpen()).isTrue();
        advance(1);
        assertThat(ch.isOpen()).as("a kept-alive connection that sends no next head").isFalse();
        assertThat(timeouts.count()).isEqualTo(1);
    }

    /** The clock restarted while an earlier check was pending: that check waits for the rest, not the whole. */
    @Test
    void aRestartedClockRunsTheWholeTimeoutFromTheRestart() {
        open();
        advance(5);
        send("GET /get HTTP/1.1\r\nHost: h\r\n\r\n");
        takeRequest();
        advance(1);
        ch.writeOutbound(response(HttpResponseStatus.OK)); // the clock restarts at 6 s
        dropOutbound();
        advance(TIMEOUT_SECONDS - 6); // 20 s: the first check fires and finds 6 s left
        assertThat(ch.isOpen()).isTrue();
        advance(5);
        assertThat(ch.isOpen()).isTrue();
        advance(1);
        assertThat(ch.isOpen()).as("20 s after the restart").isFalse();
        assertThat(timeouts.count()).isEqualTo(1);
    }

    /** A write not yet on the wire (a client reading slowly) does not start the clock; its completion does. */
    @Test
    void theClockRestartsWhenTheResponseIsWrittenNotWhenItIsQueued() {
        open();
        send("GET /get HTTP/1.1\r\nHost: h\r\n\r\n");
        takeRequest();
        ch.write(response(HttpResponseStatus.OK)); // queued, not flushed: the promise is not done
        advance(TIMEOUT_SECONDS * 2);
        assertThat(ch.isOpen()).isTrue();
        ch.flush();
        dropOutbound();
        advance(TIMEOUT_SECONDS);
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void aHundredContinueIsNotTheAnswer() {
        open();
        send("POST /post HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
        takeRequest();
        ch.writeOutbound(response(HttpResponseStatus.CONTINUE));
        dropOutbound();
        advance(TIMEOUT_SECONDS * 2);
        assertThat(ch.isOpen()).as("the body may follow as slowly as the idle timeout lets it").isTrue();
        assertThat(timeouts.count()).isZero();
    }

    @Test
    void pipelinedRequestsRestartTheClockOnlyWhenEveryOneIsAnswered() {
        open();
        send("GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n");
        takeRequest();
        ch.writeOutbound(response(HttpResponseStatus.OK));
        advance(TIMEOUT_SECONDS * 2);
        assertThat(ch.isOpen()).as("the second request is still owed its answer").isTrue();
        ch.writeOutbound(response(HttpResponseStatus.OK));
        dropOutbound();
        advance(TIMEOUT_SECONDS);
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void aRemovedHandlerClosesNothing() {
        open();
        ch.pipeline().remove(RequestHeadTimeoutHandler.class);
        advance(TIMEOUT_SECONDS * 2);
        assertThat(ch.isOpen()).as("an upgraded connection is HTTP/2's to time").isTrue();
    }
}
