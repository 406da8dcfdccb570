package io.inetkit.client.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket server that lies, for tests (loopback, port 0): every message comes back as a binary one, and
 * every {@code every}-th message of a connection with its last byte changed.
 */
public final class LyingWsServer implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;

    /** @param every change the last byte of every this many messages; 1: of every message */
    public LyingWsServer(int every) throws InterruptedException {
        channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new WebSocketServerProtocolHandler("/"), new SimpleChannelInboundHandler<WebSocketFrame>() {
                                    private int n;

                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame f) {
                                        ByteBuf copy = f.content().copy();
                                        if (++n % every == 0 && copy.isReadable()) {
                                            int last = copy.writerIndex() - 1;
                                            copy.setByte(last, copy.getByte(last) ^ 0x20);
                                        }
                                        ctx.writeAndFlush(new BinaryWebSocketFrame(copy));
                                    }
                                });
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    /** {@code ws://127.0.0.1:PORT/}. */
    public String url() {
        return "ws://127.0.0.1:" + ((InetSocketAddress) channel.localAddress()).getPort() + "/";
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
