package io.inetkit.server.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The body rate on the decoded side of a real codec, on the channel's frozen clock: 100 B/s after 5 s. */
class RequestBodyRateHandlerTest {

    private static final int RATE = 100;
    private static final long GRACE_SECONDS = 5;

    private final Counter timeouts = new SimpleMeterRegistry().counter("timeouts");
    private final EmbeddedChannel ch = new EmbeddedChannel();

    RequestBodyRateHandlerTest() {
        ch.freezeTime();
        ch.pipeline().addLast(new HttpServerCodec(),
                new RequestBodyRateHandler(RATE, TimeUnit.SECONDS.toNanos(GRACE_SECONDS), timeouts));
    }

    @AfterEach
    void release() {
        ch.finishAndReleaseAll();
    }

    private void send(String text) {
        ch.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
        for (Object msg; (msg = ch.readInbound()) != null; ) {
            ReferenceCountUtil.release(msg); // the test plays the aggregator and the echo
        }
    }

    private void second() {
        ch.advanceTimeBy(1, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
    }

    private String written() {
        StringBuilder out = new StringBuilder();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            out.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return out.toString();
    }

    private static String head(int length) {
        return "POST /post HTTP/1.1\r\nHost: x\r\nContent-Length: " + length + "\r\n\r\n";
    }

    @Test
    void aBodyAtTheRateIsNeverCut() {
        send(head(10_000));
        for (int s = 0; s < 30; s++) {
            send("x".repeat(RATE));
            second();
        }
        assertThat(ch.isOpen()).isTrue();
        assertThat(timeouts.count()).isZero();
    }

    @Test
    void aSlowBodyIsCutAfterTheGraceWith408() {
        send(head(10_000));
        for (int s = 0; s < GRACE_SECONDS; s++) {
            send("x"); // 1 B/s
            second();
        }
        assertThat(ch.isOpen()).as("within the grace").isTrue();
        second();
        assertThat(ch.isOpen()).isFalse();
        assertThat(written()).startsWith("HTTP/1.1 408 Request Timeout\r\n").containsIgnoringCase("connection: close");
        assertThat(timeouts.count()).isEqualTo(1);
    }

    @Test
    void aFastStartBuysTimeOnAverage() {
        send(head(10_000));
        send("x".repeat(RATE * 10)); // ten seconds' worth at once
        for (int s = 0; s < 9; s++) {
            second();
        }
        assertThat(ch.isOpen()).isTrue();
        for (int s = 0; s < 2; s++) {
            second();
        }
        assertThat(ch.isOpen()).as("the average fell under the rate").isFalse();
    }

    @Test
    void aWholeBodyStopsTheClockAndAKeptAliveConnectionIsNotJudged() {
        send(head(5) + "hello");
        for (int s = 0; s < 60; s++) {
            second();
        }
        assertThat(ch.isOpen()).isTrue();
        assertThat(timeouts.count()).isZero();
    }

    /** RFC 9112 6.3: no Content-Length and no chunked coding is no body, and nothing to time. */
    @Test
    void aRequestWithoutABodyStartsNoClock() {
        send("GET /get HTTP/1.1\r\nHost: h\r\n\r\n");
        assertThat(ch.runScheduledPendingTasks()).as("no task scheduled").isEqualTo(-1);
        send("POST /post HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n");
        assertThat(ch.runScheduledPendingTasks()).isEqualTo(-1);
        send(head(5));
        assertThat(ch.runScheduledPendingTasks()).as("a body on its way is timed").isPositive();
    }

    @Test
    void timeWhileTheServerDoesNotReadIsNotCounted() {
        send(head(10_000));
        ch.config().setAutoRead(false); // as a /delay in front would
        for (int s = 0; s < 60; s++) {
            second();
        }
        assertThat(ch.isOpen()).isTrue();
        ch.config().setAutoRead(true);
        for (int s = 0; s <= GRACE_SECONDS; s++) {
            second();
        }
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void withAnEarlierResponseStillBeingWrittenItClosesWithoutA408() {
        send("GET /get HTTP/1.1\r\nHost: x\r\n\r\n" + head(10_000)); // pipelined: the first is not answered yet
        for (int s = 0; s <= GRACE_SECONDS; s++) {
            second();
        }
        assertThat(ch.isOpen()).isFalse();
        assertThat(written()).isEmpty();
    }

    @Test
    void aContinueIsNotTheAnswer() {
        send("POST /post HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 10000\r\n\r\n");
        ch.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        assertThat(written()).startsWith("HTTP/1.1 100 Continue");
        for (int s = 0; s <= GRACE_SECONDS; s++) {
            second();
        }
        assertThat(written()).as("the 408 is this request's answer").startsWith("HTTP/1.1 408");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void theEndOfTheBodyEndsTheTiming() {
        send(head(3));
        send("abc");
        ch.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        written();
        send(head(10_000)); // the next one is timed afresh
        for (int s = 0; s <= GRACE_SECONDS; s++) {
            second();
        }
        assertThat(written()).startsWith("HTTP/1.1 408");
    }
}
