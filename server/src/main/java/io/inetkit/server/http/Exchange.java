package io.inetkit.server.http;

import io.inetkit.server.stream.ClientAddress;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.stream.ChunkedInput;
import io.netty.util.NetUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

/**
 * One request being answered: the request, its parsed path and query, its connection, and the ways to answer
 * (a whole response, a streamed one, or one held back by {@code /delay}). Each answer is access-logged at DEBUG.
 * {@code segments} are the path's segments after the endpoint's name ({@code [418]} of {@code /status/418});
 * {@code origin} is the client's address as httpbin's {@code origin} gives it ({@link #origin(ChannelHandlerContext)}).
 */
record Exchange(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder query, List<String> segments,
                String origin, HttpEchoSettings settings, String scheme, PipelinedRequests order) {

    /** The access log: under the handler's name, as the operators know it. */
    private static final Logger log = LoggerFactory.getLogger(HttpEchoHandler.class);

    /** The path's second segment ({@code 418} of {@code /status/418}), or null. */
    String argument() {
        return segment(0);
    }

    /** The {@code i}th segment after the endpoint's name, or null. */
    String segment(int i) {
        return i < segments.size() ? segments.get(i) : null;
    }

    /** The first value of query parameter {@code name}, or {@code otherwise}. */
    String param(String name, String otherwise) {
        List<String> values = query.parameters().get(name);
        return values == null || values.isEmpty() ? otherwise : values.get(0);
    }

    HttpMethod method() {
        return request.method();
    }

    void respond(FullHttpResponse response) {
        Responses.finish(request, response);
        access(response.status());
        ctx.write(response);
    }

    /** {@code head}, then {@code body} as the client reads it (only the head for HEAD). */
    void stream(HttpResponse head, ChunkedInput<ByteBuf> body) {
        head.headers().set(HttpHeaderNames.SERVER, Responses.SERVER);
        Responses.cors(request, head.headers());
        Responses.keepAlive(request, head);
        access(head.status());
        if (request.method().equals(HttpMethod.HEAD)) {
            ctx.write(new DefaultFullHttpResponse(head.protocolVersion(), head.status(), Unpooled.EMPTY_BUFFER,
                    head.headers(), EmptyHttpHeaders.INSTANCE));
            return;
        }
        ctx.write(head);
        ctx.write(new HttpChunkedInput(body));
    }

    /** Answers after {@code nanos}; the requests behind this one wait ({@link PipelinedRequests}). */
    void respondLater(FullHttpResponse response, long nanos) {
        Responses.finish(request, response);
        access(response.status());
        order.hold(ctx, response, nanos);
    }

    /** The client's address, as httpbin's {@code origin}: see {@link #origin()}. */
    static String origin(ChannelHandlerContext ctx) {
        SocketAddress remote = ClientAddress.of(ctx.channel()); // a PROXY header's client, else the socket's peer
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return NetUtil.toAddressString(inet.getAddress());
        }
        return String.valueOf(remote);
    }

    /** The URL the client asked for: {@code http://HOST/PATH?QUERY}. */
    String url() {
        return base() + request.uri();
    }

    /** {@code http://HOST}: the scheme, and the host the client named (else the listener's address). */
    String base() {
        String host = request.headers().get(HttpHeaderNames.HOST);
        if (host == null && ctx.channel().localAddress() instanceof InetSocketAddress local) {
            host = NetUtil.toSocketAddressString(local);
        }
        return scheme + "://" + host;
    }

    private void access(HttpResponseStatus status) {
        if (log.isDebugEnabled()) {
            String protocol = ctx.channel() instanceof Http2StreamChannel ? "HTTP/2" : request.protocolVersion().text();
            log.debug("{} {} {} {} {}", origin(), request.method(), request.uri(), protocol, status.code());
        }
    }
}
