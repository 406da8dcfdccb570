package io.inetkit.common.tls;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Full and resumed handshakes over loopback, for both providers and both protocol versions, told apart on both
 * ends: the second connection of a client that keeps its session cache resumes, a client with a fresh context
 * every time never does.
 */
class ResumptionTest {

    private static EventLoopGroup group;
    private static SelfSignedCertificate cert;

    @BeforeAll
    static void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        cert = new SelfSignedCertificate("localhost");
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        cert.delete();
    }

    static Stream<Arguments> cases() {
        return Stream.of(SslProvider.JDK, SslProvider.OPENSSL).flatMap(p ->
                Stream.of("TLSv1.2", "TLSv1.3").map(v -> Arguments.of(p, v)));
    }

    /** Each handshake's result on one end: true when resumed. */
    private static final class Observer extends ChannelInboundHandlerAdapter {
        final CompletableFuture<Boolean> resumed = new CompletableFuture<>();
        private long started;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            started = System.currentTimeMillis();
            ctx.fireChannelActive();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent e) {
                if (e.isSuccess()) {
                    resumed.complete(Resumption.resumed(ctx.pipeline().get(SslHandler.class).engine(), started));
                } else {
                    resumed.completeExceptionally(e.cause());
                }
            }
            ctx.fireUserEventTriggered(evt);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void aSecondConnectionWithTheSessionCacheResumesAndAFreshClientDoesNot(SslProvider provider, String version)
            throws Exception {
        SslContext server = SslContextBuilder.forServer(cert.key(), cert.cert()).sslProvider(provider)
                .protocols(version).build();
        LinkedBlockingQueue<Observer> serverSide = new LinkedBlockingQueue<>();
        Channel listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        Observer o = new Observer();
                        serverSide.add(o);
                        ch.pipeline().addLast(server.newHandler(ch.alloc()), o, new Echo());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
        int port = ((InetSocketAddress) listener.localAddress()).getPort();
        try {
            SslContext kept = client(provider, version);
            assertEquals(false, connect(kept, port), "first connection: a full handshake (client)");
            assertEquals(false, next(serverSide), "first connection: a full handshake (server)");
            assertEquals(true, connect(kept, port), "second connection, same client context: resumed (client)");
            assertEquals(true, next(serverSide), "second connection, same client context: resumed (server)");
            assertEquals(false, connect(client(provider, version), port), "a fresh client context: full (client)");
            assertEquals(false, next(serverSide), "a fresh client context: full (server)");
        } finally {
            listener.close().sync();
        }
    }

    private static SslContext client(SslProvider provider, String version) throws Exception {
        return SslContextBuilder.forClient().sslProvider(provider).protocols(version)
                .trustManager(InsecureTrustManagerFactory.INSTANCE).build();
    }

    private static boolean next(LinkedBlockingQueue<Observer> q) throws Exception {
        Observer o = q.poll(10, TimeUnit.SECONDS);
        assertNotNull(o, "the server saw no connection");
        return o.resumed.get(10, TimeUnit.SECONDS);
    }

    /**
     * One connection: handshake, one echoed message (so that a TLS 1.3 ticket, sent after the handshake, has
     * arrived), close. The session cache is keyed by host and port, hence the engine's peer address.
     */
    private static boolean connect(SslContext ctx, int port) throws Exception {
        Observer o = new Observer();
        CompletableFuture<String> echoed = new CompletableFuture<>();
        Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        c.pipeline().addLast(ctx.newHandler(c.alloc(), "localhost", port), o,
                                new ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void channelRead(ChannelHandlerContext x, Object msg) {
                                        echoed.complete(((ByteBuf) msg).toString(StandardCharsets.US_ASCII));
                                        ReferenceCountUtil.release(msg);
                                    }
                                });
                    }
                }).connect("127.0.0.1", port).sync().channel();
        try {
            boolean resumed = o.resumed.get(10, TimeUnit.SECONDS);
            ch.writeAndFlush(Unpooled.copiedBuffer("ping", StandardCharsets.US_ASCII));
            assertEquals("ping", echoed.get(10, TimeUnit.SECONDS));
            // a resumed session's creation time must be strictly before the next handshake's start
            long now = System.currentTimeMillis();
            while (System.currentTimeMillis() == now) {
                Thread.onSpinWait();
            }
            return resumed;
        } finally {
            ch.close().sync();
        }
    }

    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
        }
    }
}
