package io.inetkit.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * The end of an HTTP pipeline (HTTP/1.1 connection or HTTP/2 stream): answers each aggregated request like
 * httpbin, in request order ({@link PipelinedRequests}), through the route table ({@link Router}) and its
 * endpoints. One flush per read batch. What goes wrong goes on to {@code errors}, which closes the connection.
 *
 * <pre>
 *   GET /ip HTTP/1.1                      HTTP/1.1 200 OK
 *   Host: 127.0.0.1:8080          ==&gt;     content-type: application/json
 *                                         server: inetkit
 *                                         access-control-allow-origin: *
 *                                         access-control-allow-credentials: true
 *                                         content-length: 24
 *
 *                                         {"origin": "127.0.0.1"}
 * </pre>
 */
final class HttpEchoHandler extends ChannelInboundHandlerAdapter {

    private final Router router;
    private final PipelinedRequests order = new PipelinedRequests(this::serve);

    /** @param scheme {@code http} or {@code https} */
    HttpEchoHandler(HttpEchoSettings settings, String scheme) {
        this.router = new Router(settings, scheme);
    }

    private void serve(ChannelHandlerContext ctx, FullHttpRequest request) {
        router.serve(ctx, request, order);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest request) {
            order.offer(ctx, request);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        order.close();
        ctx.fireChannelInactive();
    }
}
