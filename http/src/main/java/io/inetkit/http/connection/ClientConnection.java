package io.inetkit.http.connection;

import io.inetkit.http.CurlException;
import io.inetkit.http.Failures;
import io.inetkit.http.RequestBody;
import io.inetkit.http.pipeline.Exchange;
import io.inetkit.http.pipeline.HttpClientInitializer;
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

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * One connection to an origin, HTTP/1.1 or HTTP/2, carrying one exchange at a time. HTTP/1.1 requests go
 * on the connection itself; each HTTP/2 request opens a stream (a child channel of its own). Made by
 * {@link Connector} once the connection's pipeline is in place and its protocol known.
 */
public final class ClientConnection {

    /** The request body read from a file ({@code --data-binary @FILE}) goes out in chunks of this size. */
    private static final int FILE_CHUNK = 64 * 1024;

    private final int number;
    private final Channel channel;
    private final String protocol;
    private final HttpClientInitializer pipeline;

    /**
     * @param protocol {@link HttpClientInitializer#PROTOCOL_HTTP_1_1} or {@link HttpClientInitializer#PROTOCOL_HTTP_2}
     * @param pipeline the initializer that set the channel up: its state and its request streams
     */
    ClientConnection(int number, Channel channel, String protocol, HttpClientInitializer pipeline) {
        this.number = number;
        this.channel = channel;
        this.protocol = protocol;
        this.pipeline = pipeline;
    }

    public int number() {
        return number;
    }

    public boolean isActive() {
        return channel.isActive();
    }

    public String protocol() {
        return protocol;
    }

    public boolean isHttp2() {
        return HttpClientInitializer.PROTOCOL_HTTP_2.equals(protocol);
    }

    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) channel.remoteAddress();
    }

    /** True when the connection can take the next request: open, and the last exchange ended cleanly. */
    public boolean reusable(Exchange last) {
        if (!channel.isActive() || pipeline.state().goneAway() || !last.endedCleanly()) {
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
    public void send(Exchange ex) {
        pipeline.state().current(ex);
        ex.protocol(protocol);
        Channel ch = channel;
        ch.eventLoop().execute(() -> {
            if (isHttp2()) {
                new Http2StreamChannelBootstrap(ch).handler(pipeline.streamInitializer(ex)).open()
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
                last = ch.writeAndFlush(new HttpChunkedInput(new ChunkedNioFile(fc, 0, file.length(), FILE_CHUNK)));
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
    public void close() {
        close(channel);
    }

    /** Closes a channel and waits (briefly) until its handlers have seen the close. */
    static void close(Channel channel) {
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
}
