package io.inetkit.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class Http2RequestCheckHandlerTest {

    private static Http2Headers head() {
        return new DefaultHttp2Headers().method("GET").scheme("http").path("/get").authority("x");
    }

    @Test
    void aWholeRequestAndItsTrailerPass() {
        EmbeddedChannel ch = new EmbeddedChannel(new Http2RequestCheckHandler());
        ch.writeInbound(new DefaultHttp2HeadersFrame(head().method("POST")));
        ch.writeInbound(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(new byte[] {1})));
        ch.writeInbound(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().add("x-trailer", "1"), true));
        assertThat((Object) ch.readInbound()).isInstanceOf(Http2HeadersFrame.class);
        Http2DataFrame data = ch.readInbound();
        data.release();
        assertThat((Object) ch.readInbound()).isInstanceOf(Http2HeadersFrame.class);
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void connectNeedsNoPathOrScheme() {
        EmbeddedChannel ch = new EmbeddedChannel(new Http2RequestCheckHandler());
        ch.writeInbound(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().method("CONNECT").authority("x:443")));
        assertThat((Object) ch.readInbound()).isInstanceOf(Http2HeadersFrame.class);
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aHeadWithoutPathSchemeOrMethodIsResetWithProtocolErrorAndGoesNoFurther() {
        for (Http2Headers bad : new Http2Headers[] {
                new DefaultHttp2Headers().method("GET").scheme("http").authority("x"),
                new DefaultHttp2Headers().method("GET").path("/").authority("x"),
                new DefaultHttp2Headers(false).method("GET").scheme("http").path(""),
                new DefaultHttp2Headers().scheme("http").path("/")}) {
            EmbeddedChannel ch = new EmbeddedChannel(new Http2RequestCheckHandler());
            ch.writeInbound(new DefaultHttp2HeadersFrame(bad));
            assertThat((Object) ch.readInbound()).as("%s", bad).isNull();
            Http2ResetFrame reset = ch.readOutbound();
            assertThat(reset.errorCode()).as("%s", bad).isEqualTo(Http2Error.PROTOCOL_ERROR.code());
            assertThat(ch.isOpen()).isFalse();
            assertThat(ch.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void aTrailerWithPseudoHeadersIsMalformedToo() {
        EmbeddedChannel ch = new EmbeddedChannel(new Http2RequestCheckHandler());
        ch.writeInbound(new DefaultHttp2HeadersFrame(head().method("POST")));
        ch.writeInbound(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().path("/again"), true));
        assertThat((Object) ch.readInbound()).isInstanceOf(Http2HeadersFrame.class);
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(((Http2ResetFrame) ch.readOutbound()).errorCode()).isEqualTo(Http2Error.PROTOCOL_ERROR.code());
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }
}
