package io.inetkit.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link BodyBudgetHandler} in front of the aggregator, HTTP messages in, aggregated requests out. */
class BodyBudgetHandlerTest {

    private static final int MAX = 100;

    private final BodyBudget budget = TestInitializers.budget(200);
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void close() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    private EmbeddedChannel open() {
        EmbeddedChannel ch = new EmbeddedChannel(new BodyBudgetHandler(budget, MAX), new EchoRequestAggregator(MAX));
        channels.add(ch);
        return ch;
    }

    private static HttpRequest head(HttpMethod method, String uri, int length) {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri);
        if (length >= 0) {
            r.headers().set(HttpHeaderNames.CONTENT_LENGTH, length);
        } else {
            r.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        return r;
    }

    private static HttpContent chunk(int bytes) {
        return new DefaultHttpContent(Unpooled.copiedBuffer("x".repeat(bytes), StandardCharsets.US_ASCII));
    }

    private static LastHttpContent last(int bytes) {
        return new DefaultLastHttpContent(Unpooled.copiedBuffer("y".repeat(bytes), StandardCharsets.US_ASCII));
    }

    /** The one aggregated request that came out; its body as text. */
    private static String aggregatedBody(EmbeddedChannel ch, FullHttpRequest[] keep) {
        FullHttpRequest r = ch.readInbound();
        assertThat(r).isNotNull();
        assertThat((Object) ch.readInbound()).isNull();
        keep[0] = r;
        return r.content().toString(StandardCharsets.US_ASCII);
    }

    private static void respond(EmbeddedChannel ch, FullHttpResponse response) {
        ch.writeOutbound(response);
        ReferenceCountUtil.release(ch.readOutbound());
    }

    @Test
    void aBodyForAnEchoEndpointIsReservedUntilItsResponseIsWritten() {
        EmbeddedChannel ch = open();
        ch.writeInbound(head(HttpMethod.POST, "/post", 60));
        assertThat(budget.used()).as("reserved by content-length, before the body").isEqualTo(60);
        ch.writeInbound(chunk(30), last(30));
        FullHttpRequest[] request = new FullHttpRequest[1];
        assertThat(aggregatedBody(ch, request)).isEqualTo("x".repeat(30) + "y".repeat(30));
        request[0].release();
        assertThat(budget.used()).as("the response, not the request, holds a copy").isEqualTo(60);

        respond(ch, new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        assertThat(budget.used()).as("100 Continue is not the answer").isEqualTo(60);
        respond(ch, new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        assertThat(budget.used()).isZero();
    }

    @Test
    void aChunkedBodyIsReservedChunkByChunk() {
        EmbeddedChannel ch = open();
        ch.writeInbound(head(HttpMethod.PUT, "/anything/x", -1), chunk(40));
        assertThat(budget.used()).isEqualTo(40);
        ch.writeInbound(last(10));
        assertThat(budget.used()).isEqualTo(50);
        FullHttpRequest[] request = new FullHttpRequest[1];
        assertThat(aggregatedBody(ch, request)).hasSize(50);
        request[0].release();
        ch.close();
        assertThat(budget.used()).as("a closed connection gives back what it held").isZero();
    }

    @Test
    void aBodyThatDoesNotFitIsRefusedAndDropped() {
        assertThat(budget.tryReserve(150)).isTrue(); // other connections hold most of the budget
        EmbeddedChannel ch = open();
        HttpRequest head = head(HttpMethod.POST, "/post", 60);
        head.headers().set(HttpHeaderNames.EXPECT, HttpHeaderValues.CONTINUE);
        ch.writeInbound(head);
        FullHttpRequest refused = ch.readInbound();
        try {
            assertThat(refused.decoderResult().cause()).isInstanceOf(BodyBudget.Exhausted.class)
                    .hasMessageContaining("(200 bytes)");
            assertThat(refused.headers().contains(HttpHeaderNames.EXPECT)).as("no 100 Continue for it").isFalse();
            assertThat(refused.content().readableBytes()).isZero();
        } finally {
            refused.release();
        }
        assertThat((Object) ch.readOutbound()).as("no 100 Continue written").isNull();
        HttpContent body = chunk(30);
        LastHttpContent end = last(30);
        ch.writeInbound(body, end);
        assertThat(body.refCnt()).as("dropped here").isZero();
        assertThat(end.refCnt()).isZero();
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(budget.used()).isEqualTo(150);
    }

    @Test
    void aChunkThatDoesNotFitEndsTheRequestWithTheRefusal() {
        EmbeddedChannel ch = open();
        ch.writeInbound(head(HttpMethod.POST, "/post", -1), chunk(90));
        assertThat(budget.tryReserve(110)).isTrue(); // meanwhile, another connection takes the rest
        HttpContent over = chunk(5);
        ch.writeInbound(over);
        assertThat(over.refCnt()).isZero();
        FullHttpRequest refused = ch.readInbound();
        try {
            assertThat(refused.decoderResult().cause()).isInstanceOf(BodyBudget.Exhausted.class);
        } finally {
            refused.release();
        }
        ch.writeInbound(last(3));
        assertThat((Object) ch.readInbound()).as("the rest of the body dropped").isNull();
        assertThat(budget.used()).isEqualTo(200);
        respond(ch, new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SERVICE_UNAVAILABLE));
        assertThat(budget.used()).isEqualTo(110);
    }

    @Test
    void aBodyNoEndpointNeedsIsDroppedAsItArrives() {
        assertThat(budget.tryReserve(200)).isTrue(); // a full budget does not matter to it
        EmbeddedChannel ch = open();
        for (String[] request : new String[][] {{"GET", "/get"}, {"GET", "/post"}, {"POST", "/status/201"},
                {"POST", "/nowhere"}}) {
            ch.writeInbound(head(HttpMethod.valueOf(request[0]), request[1], 60));
            HttpContent body = chunk(30);
            LastHttpContent end = last(30);
            ch.writeInbound(body, end);
            assertThat(body.refCnt()).isZero();
            FullHttpRequest[] aggregated = new FullHttpRequest[1];
            assertThat(aggregatedBody(ch, aggregated)).as(request[1]).isEmpty();
            assertThat(aggregated[0].decoderResult().isSuccess()).isTrue();
            assertThat(aggregated[0].headers().get(HttpHeaderNames.CONTENT_LENGTH)).as("as the client sent it")
                    .isEqualTo("60");
            aggregated[0].release();
        }
        assertThat(budget.used()).isEqualTo(200);
    }

    @Test
    void aMalformedChunkOfADroppedBodyStillFailsTheRequest() {
        EmbeddedChannel ch = open();
        ch.writeInbound(head(HttpMethod.GET, "/get", -1));
        HttpContent bad = chunk(3);
        bad.setDecoderResult(DecoderResult.failure(new IllegalArgumentException("bad chunk size")));
        ch.writeInbound(bad);
        FullHttpRequest r = ch.readInbound();
        try {
            assertThat(r.decoderResult().cause()).hasMessage("bad chunk size");
        } finally {
            r.release();
        }
    }

    @Test
    void aBodyOverMaxRequestSizeIsLeftToTheAggregatorsRefusal() {
        EmbeddedChannel ch = open();
        ch.writeInbound(head(HttpMethod.POST, "/post", MAX + 1));
        FullHttpResponse tooLarge = ch.readOutbound();
        try {
            assertThat(tooLarge.status()).isEqualTo(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
        } finally {
            tooLarge.release();
        }
        ch.writeInbound(chunk(MAX + 1));
        assertThat(budget.used()).isZero();

        EmbeddedChannel chunked = open();
        chunked.writeInbound(head(HttpMethod.POST, "/post", -1), chunk(MAX));
        assertThat(budget.used()).isEqualTo(MAX);
        chunked.writeInbound(chunk(1)); // over maxRequestSize: the aggregator answers 413
        Object answer = chunked.readOutbound();
        assertThat(answer).isInstanceOf(FullHttpResponse.class);
        ReferenceCountUtil.release(answer);
        assertThat(budget.used()).as("given back with the 413 (and the close)").isZero();
    }

    @Test
    void aWholeHttp2RequestPassesAndIsCounted() {
        EmbeddedChannel ch = open();
        ch.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/get"));
        FullHttpRequest r = ch.readInbound();
        r.release();
        ch.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        ReferenceCountUtil.release(ch.readOutbound());
        respond(ch, new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        assertThat(budget.used()).isZero();
    }

    @Test
    void onlyTheEndpointsThatEchoABodyNeedIt() {
        assertThat(Router.needsBody(head(HttpMethod.POST, "/post", 1))).isTrue();
        assertThat(Router.needsBody(head(HttpMethod.POST, "//post/?a=1", 1))).isTrue();
        assertThat(Router.needsBody(head(HttpMethod.PATCH, "/anything/deep/path", 1))).isTrue();
        assertThat(Router.needsBody(head(HttpMethod.PUT, "/delay/1", 1))).isTrue();
        assertThat(Router.needsBody(head(HttpMethod.GET, "/post", 1))).as("405: no body needed").isFalse();
        assertThat(Router.needsBody(head(HttpMethod.POST, "/get", 1))).isFalse();
        assertThat(Router.needsBody(head(HttpMethod.POST, "/", 1))).isFalse();
        assertThat(Router.needsBody(head(HttpMethod.POST, "/status/200", 1))).isFalse();
        assertThat(Router.needsBody(head(HttpMethod.POST, "/postal", 1))).as("404").isFalse();
        assertThat(Router.needsBody(head(HttpMethod.POST, "/post%zz", 1))).as("400: a bad escape").isFalse();
    }

    @Test
    void theBudgetNeverGoesOverItsLimit() {
        BodyBudget b = TestInitializers.budget(10);
        assertThat(b.tryReserve(6)).isTrue();
        assertThat(b.tryReserve(5)).isFalse();
        assertThat(b.used()).isEqualTo(6);
        assertThat(b.tryReserve(4)).isTrue();
        assertThat(b.tryReserve(0)).isTrue();
        assertThat(b.tryReserve(1)).isFalse();
        b.release(10);
        assertThat(b.used()).isZero();
        assertThatThrownBy(() -> b.tryReserve(-1)).hasMessage("bytes must be >= 0: -1");
        assertThatThrownBy(() -> TestInitializers.budget(-1)).hasMessage("limit must be >= 0: -1");
    }
}
