package io.inetkit.server.admin;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.ReadTimeoutHandler;

import java.util.concurrent.TimeUnit;

/**
 * The whole pipeline of one admin connection ({@code /metrics}, {@code /health}).
 *
 * <pre>
 *   socket ──► read-timeout ──► http ──► keep-alive ──► aggregator ──► admin
 *              │                │        │              │              └ answers the request ({@link AdminHandler})
 *              │                │        │              └ whole requests, {@value #MAX_REQUEST} bytes at most
 *              │                │        └ Connection: keep-alive / close as HTTP/1.1 says
 *              │                └ HTTP/1.1 request decoder and response encoder
 *              └ {@value #READ_TIMEOUT_SECONDS} s without a request: close
 * </pre>
 */
final class AdminInitializer extends ChannelInitializer<Channel> {

    static final String READ_TIMEOUT = "read-timeout";
    static final String HTTP = "http";
    static final String KEEP_ALIVE = "keep-alive";
    static final String AGGREGATOR = "aggregator";
    static final String ADMIN = "admin";
    static final int READ_TIMEOUT_SECONDS = 30;
    static final int MAX_REQUEST = 8192;

    private final ChannelHandler admin;

    AdminInitializer(AdminHandler admin) {
        this.admin = admin;
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast(READ_TIMEOUT, new ReadTimeoutHandler(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        p.addLast(HTTP, new HttpServerCodec());
        p.addLast(KEEP_ALIVE, new HttpServerKeepAliveHandler());
        p.addLast(AGGREGATOR, new HttpObjectAggregator(MAX_REQUEST));
        p.addLast(ADMIN, admin);
    }
}
