package io.inetkit.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.stream.ChunkedNioFile;
import io.netty.util.AttributeKey;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One connection to an origin, HTTP/1.1 or HTTP/2, carrying one exchange at a time. HTTP/1.1 requests go
 * on the connection itself; each HTTP/2 request opens a stream (a child channel of its own).
 */
final class ClientConnection {

    static final AttributeKey<ClientConnection> KEY = AttributeKey.valueOf("inetkit.http.connection");
    /** The exchange of an HTTP/2 stream channel: a stream's late events must not reach the next exchange. */
    static final AttributeKey<Exchange> STREAM_EXCHANGE = AttributeKey.valueOf("inetkit.http.stream-exchange");

    private final int number;
    private final Target origin;
    private final ClientInitializer initializer;
    /** Completes with the protocol once the connection can carry requests (after TLS and ALPN). */
    private final CompletableFuture<String> ready = new CompletableFuture<>();
    private volatile Channel channel;
    private volatile String protocol;
    private volatile Exchange current;
    private volatile boolean goAway;

    ClientConnection(int number, Target origin, ClientInitializer initializer) {
        this.number = number;
        this.origin = origin;
        this.initializer = initializer;
    }

    /** The connection a channel (or an HTTP/2 stream's parent) belongs to. */
    static ClientConnection of(Channel ch) {
        ClientConnection c = ch.attr(KEY).get();
        if (c == null && ch.parent() != null) {
            c = ch.parent().attr(KEY).get();
        }
        return c;
    }

    /** The exchange a channel's events belong to: its stream's, or the connection's current one. */
    static Exchange currentExchange(Channel ch) {
        if (ch.parent() != null) {
            return ch.attr(STREAM_EXCHANGE).get();
        }
        ClientConnection c = of(ch);
        return c == null ? null : c.current;
    }

    int number() {
        return number;
    }

    Target origin() {
        return origin;
    }

    Channel channel() {
        return channel;
    }

    void channel(Channel ch) {
        channel = ch;
        ch.attr(KEY).set(this);
    }

    CompletableFuture<String> ready() {
        return ready;
    }

    /** The pipeline for {@code protocol} is in place: the connection can carry requests. */
    void ready(String protocolName) {
        protocol = protocolName;
        ready.complete(protocolName);
    }

    String protocol() {
        return protocol;
    }

    boolean isHttp2() {
        return "HTTP/2".equals(protocol);
    }

    Exchange current() {
        return current;
    }

    InetSocketAddress remoteAddress() {
        Channel ch = channel;
        return ch == null ? null : (InetSocketAddress) ch.remoteAddress();
    }

    void goAway() {
        goAway = true;
    }

    /** The connection failed: before it was ready, that is the connect's failure; after, the exchange's. */
    void failed(Throwable cause) {
        if (!ready.isDone()) {
            ready.completeExceptionally(cause);
        }
        Exchange ex = current;
        if (ex != null) {
            ex.fail(Failures.receive(cause, ex.target()));
        }
    }

    /** True when the connection can take the next request: open, and the last exchange ended cleanly. */
    boolean reusable(Exchange last) {
        Channel ch = channel;
        if (ch == null || !ch.isActive() || goAway || !last.endedCleanly()) {
            return false;
        }
        if (isHttp2()) {
            return true;
        }
        return HttpUtil.isKeepAlive(last.request()) && last.head() != null && HttpUtil.isKeepAlive(last.head());
    }

    /**
     * Sends the exchange's request; the response flows into the exchange.
     * A failure to send fails the exchange (curl's 55).
     */
    void send(Exchange ex) {
        current = ex;
        ex.protocol(protocol);
        Channel ch = channel;
        ch.eventLoop().execute(() -> {
            if (isHttp2()) {
                new Http2StreamChannelBootstrap(ch).attr(STREAM_EXCHANGE, ex)
                        .handler(initializer.streamInitializer()).open()
                        .addListener(f -> {
                            if (f.isSuccess()) {
                                write((Http2StreamChannel) f.getNow(), ex);
                            } else {
                                ex.fail(new CurlException(CurlException.HTTP2, "cannot open an HTTP/2 stream: "
                                        + Failures.message(f.cause())));
                            }
                        });
            } else {
                write(ch, ex);
            }
        });
    }

    private static void write(Channel ch, Exchange ex) {
        HttpRequest head = ex.request();
        RequestBody body = ex.body();
        ChannelFuture last;
        if (body instanceof RequestBody.FileBody file) {
            FileChannel fc;
            try {
                fc = FileChannel.open(file.path(), StandardOpenOption.READ);
            } catch (IOException e) {
                ex.fail(new CurlException(CurlException.READ_ERROR, "Failed to open/read local data from file "
                        + file.path() + ": " + Failures.message(e)));
                return;
            }
            try {
                ch.write(new DefaultHttpRequest(head.protocolVersion(), head.method(), head.uri(), head.headers()));
                last = ch.writeAndFlush(new HttpChunkedInput(new ChunkedNioFile(fc, 0, file.length(), 64 * 1024)));
            } catch (IOException e) {
                ex.fail(new CurlException(CurlException.READ_ERROR, "Failed to read " + file.path() + ": "
                        + Failures.message(e)));
                return;
            }
        } else {
            byte[] data = body instanceof RequestBody.Bytes bytes ? bytes.data() : new byte[0];
            last = ch.writeAndFlush(new DefaultFullHttpRequest(head.protocolVersion(), head.method(), head.uri(),
                    Unpooled.wrappedBuffer(data), head.headers(), EmptyHttpHeaders.INSTANCE));
        }
        last.addListener(f -> {
            if (!f.isSuccess() && !ex.isComplete()) {
                ex.fail(new CurlException(CurlException.SEND_ERROR, "Failed sending data to the peer: "
                        + Failures.message(f.cause())));
            }
        });
    }

    /** Closes the connection and waits (briefly) until its handlers have seen the close. */
    void close() {
        Channel ch = channel;
        if (ch != null) {
            ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }
}
