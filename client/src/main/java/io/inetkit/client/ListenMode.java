package io.inetkit.client;

import io.inetkit.common.cli.Cli;
import io.inetkit.common.cli.UserException;
import io.inetkit.common.framing.Framing;
import io.inetkit.common.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code inetkit client -l [HOST] PORT}, as {@code nc -l}: a stand-in server for testing a client. It listens
 * (on loopback unless HOST says otherwise), takes one connection, and writes what arrives to stdout: as it is
 * for {@code raw}, each frame's payload and a {@code \n} for the other framings, a hex dump with {@code --hex}.
 * {@code --echo} also sends each frame back. Without {@code -k} it stops listening once the connection is
 * taken, and ends when it closes; with {@code -k} it takes connection after connection until Ctrl-C. Over
 * UDP ({@code -u}) it prints (and echoes) each datagram, from any sender, until Ctrl-C or {@code -w}.
 *
 * <pre>
 *  tcp connection ──► idle-state ──► idle-timeout ──► framer ──► arrivals
 *                     └ with -w only (see {@link EchoClientInitializer})         └ prints, --echo writes back
 * </pre>
 */
final class ListenMode {

    static final String FRAMER = "framer";
    static final String ARRIVALS = "arrivals";

    private final ClientSettings settings;
    private final OutputStream stdout;
    private final PrintWriter err;

    ListenMode(ClientSettings settings, OutputStream stdout, PrintWriter err) {
        this.settings = settings;
        this.stdout = stdout;
        this.err = err;
    }

    int run() throws InterruptedException {
        Transport transport = ClientLoop.transport(settings.transport());
        EventLoopGroup group = transport.newGroup(1, "inetkit-listen");
        try {
            return settings.udp() ? runUdp(group, transport) : runTcp(group, transport);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }

    private int runTcp(EventLoopGroup group, Transport transport) throws InterruptedException {
        Arrivals arrivals = new Arrivals();
        ServerBootstrap b = new ServerBootstrap().group(group).channel(transport.serverChannelClass())
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ChannelPipeline p = ch.pipeline();
                        addIdleTimeout(p);
                        ChannelHandler framer = settings.framing().newDecoder(false);
                        if (framer != null) {
                            p.addLast(FRAMER, framer);
                        }
                        p.addLast(ARRIVALS, arrivals);
                    }
                });
        Channel server = bind(b.bind(settings.host(), settings.port()), "tcp");
        err.println("inetkit client: listening on tcp " + EchoClient.address(server.localAddress()) + " ("
                + settings.framing().spec() + ")" + (settings.keepOpen() ? ", connection after connection" : ""));
        err.flush();
        if (settings.keepOpen()) {
            server.closeFuture().await();
            return Cli.EXIT_OK;
        }
        Channel first = arrivals.first();
        server.close(); // nc -l takes one connection: no other may connect while it lasts
        first.closeFuture().await();
        return Cli.EXIT_OK;
    }

    private int runUdp(EventLoopGroup group, Transport transport) throws InterruptedException {
        Bootstrap b = new Bootstrap().group(group).channel(transport.datagramChannelClass())
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        addIdleTimeout(ch.pipeline());
                        ch.pipeline().addLast(ARRIVALS, new Arrivals());
                    }
                });
        Channel ch = bind(b.bind(settings.host(), settings.port()), "udp");
        err.println("inetkit client: listening on udp " + EchoClient.address(ch.localAddress()));
        err.flush();
        ch.closeFuture().await();
        return Cli.EXIT_OK;
    }

    /** {@code -w}: a new watch per pipeline (per connection over TCP, the one socket over UDP). */
    private void addIdleTimeout(ChannelPipeline p) {
        if (settings.hasIdleTimeout()) {
            new IdleTimeoutHandler(settings.idleTimeout(), err).addTo(p);
        }
    }

    private Channel bind(ChannelFuture f, String protocol) {
        f.awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new UserException("cannot listen on " + protocol + " " + NetUtil.toSocketAddressString(settings.host(), settings.port())
                    + ": " + Cli.describe(f.cause()), Cli.EXIT_RUNTIME);
        }
        return f.channel();
    }

    /** Writes what arrives to stdout, and with --echo sends it back; one instance for every connection. */
    @ChannelHandler.Sharable
    final class Arrivals extends ChannelInboundHandlerAdapter {

        private final CompletableFuture<Channel> first = new CompletableFuture<>(); // only ever completed

        /** Waits for the first connection. */
        Channel first() {
            return first.join();
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            first.complete(ctx.channel());
            if (settings.verbose()) {
                err.println("inetkit client: connection from " + EchoClient.address(ctx.channel().remoteAddress()));
                err.flush();
            }
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof DatagramPacket packet) {
                    print(packet.content());
                    if (settings.echoBack()) {
                        ctx.writeAndFlush(new DatagramPacket(packet.content().retain(), packet.sender()));
                    }
                } else if (msg instanceof ByteBuf frame) {
                    print(frame);
                    if (settings.echoBack()) {
                        ctx.writeAndFlush(settings.framing().frame(ctx.alloc(), frame.retain()));
                    }
                }
            } catch (IOException e) {
                err.println("inetkit client: cannot write to stdout: " + Cli.describe(e));
                err.flush();
                Channel listening = ctx.channel().parent(); // null for UDP, where the channel is the listener
                if (listening != null) {
                    listening.close();
                }
                ctx.close();
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void print(ByteBuf bytes) throws IOException {
            synchronized (stdout) { // with -k, connections on one event loop, but stdout is the process's
                if (settings.hex()) {
                    stdout.write((ByteBufUtil.prettyHexDump(bytes) + "\n").getBytes(StandardCharsets.UTF_8));
                } else {
                    bytes.getBytes(bytes.readerIndex(), stdout, bytes.readableBytes());
                    if (!(settings.framing() instanceof Framing.Raw) || settings.udp()) {
                        stdout.write('\n');
                    }
                }
                stdout.flush();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Object peer = ctx.channel().remoteAddress() == null ? "udp" : EchoClient.address(ctx.channel().remoteAddress());
            err.println("inetkit client: " + peer + ": " + Cli.describe(cause));
            err.flush();
            ctx.close();
        }
    }
}
