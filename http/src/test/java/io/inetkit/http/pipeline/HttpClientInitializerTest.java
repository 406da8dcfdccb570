package io.inetkit.http.pipeline;

import io.inetkit.http.ClientOptions;
import io.inetkit.http.Target;
import io.inetkit.http.output.BodySink;
import io.inetkit.http.output.Trace;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static io.inetkit.http.pipeline.HttpClientInitializer.ALPN;
import static io.inetkit.http.pipeline.HttpClientInitializer.CHUNKED_WRITER;
import static io.inetkit.http.pipeline.HttpClientInitializer.DECOMPRESSOR;
import static io.inetkit.http.pipeline.HttpClientInitializer.EXCHANGE;
import static io.inetkit.http.pipeline.HttpClientInitializer.GO_AWAY;
import static io.inetkit.http.pipeline.HttpClientInitializer.HTTP2_FRAME_CODEC;
import static io.inetkit.http.pipeline.HttpClientInitializer.HTTP2_MULTIPLEXER;
import static io.inetkit.http.pipeline.HttpClientInitializer.HTTP2_TO_HTTP;
import static io.inetkit.http.pipeline.HttpClientInitializer.HTTP_CODEC;
import static io.inetkit.http.pipeline.HttpClientInitializer.RAW;
import static io.inetkit.http.pipeline.HttpClientInitializer.RESPONSE_OBSERVER;
import static io.inetkit.http.pipeline.HttpClientInitializer.TLS;
import static org.assertj.core.api.Assertions.assertThat;

/** Pins each route of {@link HttpClientInitializer} by handler name, as its javadoc draws them. */
class HttpClientInitializerTest {

    private static final Target HTTP = new Target("http", "127.0.0.1", 8080, "/");
    private static final Target HTTPS = new Target("https", "127.0.0.1", 8443, "/");

    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void releaseEverything() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    @Test
    void http11() {
        HttpClientInitializer init = initializer(ClientOptions.builder().build(), HTTP);
        assertThat(init.route()).isEqualTo(HttpClientInitializer.Route.HTTP_1_1);
        assertThat(names(open(init))).containsExactly(HTTP_CODEC, RESPONSE_OBSERVER, CHUNKED_WRITER, EXCHANGE);
        assertThat(init.ready()).isCompletedWithValue(HttpClientInitializer.PROTOCOL_HTTP_1_1);
    }

    @Test
    void http11WithItsOptionalHandlers() {
        assertThat(names(open(initializer(ClientOptions.builder().compressed(true).build(), HTTP))))
                .containsExactly(HTTP_CODEC, RESPONSE_OBSERVER, DECOMPRESSOR, CHUNKED_WRITER, EXCHANGE);
        assertThat(names(open(initializer(ClientOptions.builder().raw(true).compressed(true).build(), HTTP))))
                .as("--raw shows the bytes as sent: nothing decompresses them")
                .containsExactly(RAW, HTTP_CODEC, RESPONSE_OBSERVER, CHUNKED_WRITER, EXCHANGE);
    }

    @Test
    void http2PriorKnowledge() {
        HttpClientInitializer init = initializer(priorKnowledge(), HTTP);
        assertThat(init.route()).isEqualTo(HttpClientInitializer.Route.HTTP_2_PRIOR_KNOWLEDGE);
        assertThat(names(open(init))).containsExactly(HTTP2_FRAME_CODEC, HTTP2_MULTIPLEXER, GO_AWAY, EXCHANGE);
        assertThat(init.ready()).isCompletedWithValue(HttpClientInitializer.PROTOCOL_HTTP_2);
    }

    @Test
    void tlsUntilAlpnThenHttp11() throws SSLException {
        HttpClientInitializer init = tlsInitializer(ClientOptions.builder().build());
        assertThat(init.route()).isEqualTo(HttpClientInitializer.Route.TLS_ALPN);
        EmbeddedChannel ch = open(init);
        assertThat(names(ch)).containsExactly(TLS, ALPN);
        assertThat(init.ready()).isNotDone();
        // a handshake that agreed on no protocol: ALPN's fallback, HTTP/1.1
        ch.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
        assertThat(names(ch)).containsExactly(TLS, HTTP_CODEC, RESPONSE_OBSERVER, CHUNKED_WRITER, EXCHANGE);
        assertThat(init.ready()).isCompletedWithValue(HttpClientInitializer.PROTOCOL_HTTP_1_1);
    }

    @Test
    void tlsUntilAlpnThenHttp2() throws SSLException {
        HttpClientInitializer init = tlsInitializer(priorKnowledge());
        EmbeddedChannel ch = open(init);
        ch.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
        assertThat(names(ch)).containsExactly(TLS, HTTP2_FRAME_CODEC, HTTP2_MULTIPLEXER, GO_AWAY, EXCHANGE);
        assertThat(init.ready()).isCompletedWithValue(HttpClientInitializer.PROTOCOL_HTTP_2);
        HttpClientInitializer byAlpn = tlsInitializer(ClientOptions.builder().build());
        assertThat(byAlpn.http2After("h2")).isTrue();
        assertThat(byAlpn.http2After("http/1.1")).isFalse();
    }

    @Test
    void aFailedHandshakeFailsTheConnection() throws SSLException {
        HttpClientInitializer init = tlsInitializer(ClientOptions.builder().build());
        EmbeddedChannel ch = open(init);
        // SslHandler reports a failed handshake as an exception (the completion event then only repeats it)
        ch.pipeline().fireExceptionCaught(new SSLHandshakeException("bad certificate"));
        assertThat(init.ready()).isCompletedExceptionally();
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void http2RequestStream() {
        ClientOptions options = ClientOptions.builder().compressed(true).build();
        HttpClientInitializer init = initializer(options, HTTP);
        Exchange ex = new Exchange(HTTP, new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"), null,
                options, BodySink.stdout(OutputStream.nullOutputStream()), trace(), null);
        EmbeddedChannel stream = track(new EmbeddedChannel(init.streamInitializer(ex)));
        assertThat(names(stream)).containsExactly(HTTP2_TO_HTTP, RESPONSE_OBSERVER, DECOMPRESSOR, CHUNKED_WRITER,
                EXCHANGE);
    }

    private static ClientOptions priorKnowledge() {
        return ClientOptions.builder().version(ClientOptions.Version.HTTP_2_PRIOR_KNOWLEDGE).build();
    }

    private static HttpClientInitializer initializer(ClientOptions options, Target target) {
        return new HttpClientInitializer(options, null, target, trace());
    }

    private static HttpClientInitializer tlsInitializer(ClientOptions options) throws SSLException {
        SslContext client = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        return new HttpClientInitializer(options, client, HTTPS, trace());
    }

    private static Trace trace() {
        return new Trace(new PrintWriter(new StringWriter()), false);
    }

    private EmbeddedChannel open(HttpClientInitializer init) {
        return track(new EmbeddedChannel(init));
    }

    private EmbeddedChannel track(EmbeddedChannel ch) {
        channels.add(ch);
        return ch;
    }

    /** The handler names in order, without the pipeline's own tail. */
    private static List<String> names(Channel ch) {
        List<String> names = new ArrayList<>(ch.pipeline().names());
        names.removeIf(n -> n.startsWith("DefaultChannelPipeline$"));
        return names;
    }
}
