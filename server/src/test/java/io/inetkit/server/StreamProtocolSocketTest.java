package io.inetkit.server;

import io.inetkit.server.stream.ConnectionLimiter;
import io.inetkit.server.stream.IdleCloseHandler;
import io.inetkit.server.stream.StreamListener;
import io.inetkit.server.stream.StreamMeters;
import io.inetkit.server.stream.StreamProtocol;

import io.inetkit.common.framing.Framing;
import io.inetkit.common.transport.Transport;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A {@link StreamListener} serving a protocol of a test's own: what every protocol gets from the listener
 * (admission by the limits, its own initializer as the whole pipeline, the drain through its
 * {@link StreamProtocol#drain}), as the HTTP listener will.
 */
class StreamProtocolSocketTest {

    /** Says hello, and on drain says bye and closes. */
    private static final class Hello implements StreamProtocol {
        final List<Channel> drained = new CopyOnWriteArrayList<>();
        volatile List<String> names;

        @Override
        public String name() {
            return "hello";
        }

        @Override
        public String description() {
            return "greets";
        }

        @Override
        public ChannelHandler newInitializer(StreamMeters meters, ServerContext context) {
            long idle = context.settings.limits().idleTimeout().toNanos();
            return new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(StreamListener.IDLE, new IdleCloseHandler(meters, idle));
                    ch.pipeline().addLast("hello", new ChannelInboundHandlerAdapter() {
                        @Override
                        public void handlerAdded(ChannelHandlerContext ctx) {
                            ctx.writeAndFlush(Unpooled.copiedBuffer("hello\n", StandardCharsets.US_ASCII));
                        }
                    });
                    names = ch.pipeline().names();
                }
            };
        }

        @Override
        public void drain(Channel ch, Duration linger) {
            drained.add(ch);
            ch.writeAndFlush(Unpooled.copiedBuffer("bye\n", StandardCharsets.US_ASCII)).addListener(f -> ch.close());
        }
    }

    private EventLoopGroup group;
    private ServerMetrics metrics;

    @AfterEach
    void stop() {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (metrics != null) {
            metrics.close();
        }
    }

    private ServerContext context(int maxConnections, Set<Channel> connections) throws Exception {
        ServerSettings settings = ServerSettings.builder().tcp(0, Framing.parse("raw"))
                .limits(new ServerSettings.Limits(maxConnections, 100, Duration.ofMinutes(5), List.of(),
                        List.of()))
                .build();
        group = Transport.NIO.newGroup(1, "test-io");
        metrics = new ServerMetrics(() -> true);
        return new ServerContext(settings, Transport.NIO, group, InetAddress.getLoopbackAddress(), metrics,
                new ConnectionLimiter(settings.limits()), connections);
    }

    private static String readLine(InputStream in) throws Exception {
        StringBuilder s = new StringBuilder();
        for (int c; (c = in.read()) != -1 && c != '\n'; ) {
            s.append((char) c);
        }
        return s.toString();
    }

    @Test
    void anyProtocolGetsTheAdmissionItsWholePipelineAndItsOwnDrain() throws Exception {
        Set<Channel> connections = ConcurrentHashMap.newKeySet();
        ServerContext context = context(1, connections);
        Hello hello = new Hello();
        StreamListener listener = new StreamListener(0, hello);
        listener.start(context);
        InetSocketAddress address = listener.localAddress();
        assertThat(listener.name()).isEqualTo("hello/" + address.getPort());

        try (Socket first = new Socket(address.getAddress(), address.getPort());
             Socket second = new Socket(address.getAddress(), address.getPort())) {
            first.setSoTimeout(5000);
            second.setSoTimeout(5000);
            assertThat(readLine(first.getInputStream())).isEqualTo("hello");
            assertThat(second.getInputStream().read()).as("refused by --max-connections 1").isEqualTo(-1);
            assertThat(hello.names).containsSubsequence(StreamListener.IDLE, "hello");
            await().until(() -> connections.size() == 1);

            listener.close();
            listener.drain(Duration.ofSeconds(1));
            assertThat(readLine(first.getInputStream())).isEqualTo("bye");
            assertThat(first.getInputStream().read()).isEqualTo(-1);
            assertThat(hello.drained).hasSize(1);
            await().until(connections::isEmpty);
        }
        assertThat(listener.meters().rejected(StreamMeters.Rejection.MAX_CONNECTIONS).count()).isEqualTo(1);
        assertThat(listener.meters().accepted.count()).isEqualTo(1);
    }
}
