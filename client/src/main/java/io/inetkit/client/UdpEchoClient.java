package io.inetkit.client;

import io.inetkit.client.EventQueueHandler.Event;
import io.inetkit.client.EventQueueHandler.Failed;
import io.inetkit.client.EventQueueHandler.Received;
import io.inetkit.common.cli.Cli;
import io.inetkit.common.cli.UserException;
import io.inetkit.common.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.PortUnreachableException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The UDP side of {@code inetkit client}: a connected datagram socket; each message is one datagram and
 * its echo is the datagram that comes back. A datagram without an echo within the timeout is sent again,
 * up to {@code --retries} times, and counts as lost when none comes back.
 */
final class UdpEchoClient extends EchoClient {

    UdpEchoClient(ClientSettings settings, OutputStream stdout, PrintWriter out, PrintWriter err) {
        super(settings, stdout, out, err);
    }

    @Override
    int oneShot() {
        byte[] message = settings.message();
        if (message.length > 65507) {
            throw new UserException("a UDP datagram carries at most 65507 bytes: the message has " + message.length,
                    Cli.EXIT_USAGE);
        }
        EventQueueHandler events = new EventQueueHandler();
        EventLoopGroup group = ClientLoop.newGroup(settings.transport());
        Channel ch = null;
        try {
            ch = connect(group, events);
            long timeout = settings.timeout().toNanos();
            int total = settings.count();
            int echoed = 0;
            int datagrams = 0;
            int unreachable = 0;
            int late = 0;
            RoundTrips rtts = new RoundTrips();
            int attempted = 0;
            boolean interrupted = false;
            try {
                for (int i = 1; i <= total; i++) {
                    pause(i);
                    attempted = i;
                    Event stale;
                    while ((stale = events.next(0)) != null) {
                        if (stale instanceof Received) {
                            late++; // the echo of an earlier attempt, after its timeout
                        }
                    }
                    boolean matched = false;
                    for (int attempt = 1; attempt <= settings.retries() + 1 && !matched; attempt++) {
                        long start = System.nanoTime();
                        ch.writeAndFlush(Unpooled.wrappedBuffer(message));
                        datagrams++;
                        long deadline = start + timeout;
                        while (true) {
                            Event e = events.next(deadline);
                            if (e == null) {
                                break;
                            }
                            if (e instanceof Failed f) {
                                if (f.cause() instanceof PortUnreachableException) {
                                    unreachable++;
                                    break;
                                }
                                throw new UserException("udp " + where() + ": " + Cli.describe(f.cause()),
                                        ClientCommand.EXIT_CLOSED);
                            }
                            if (e instanceof Received r) {
                                int at = firstDifference(message, r.data());
                                if (at >= 0) {
                                    throw new UserException("echo " + i + " differs from the datagram sent: "
                                            + (at < Math.min(message.length, r.data().length) ? "first difference at byte "
                                            + at : "sent " + message.length + " bytes, got " + r.data().length),
                                            ClientCommand.EXIT_MISMATCH);
                                }
                                long rtt = r.nanoTime() - start;
                                rtts.add(rtt);
                                echoed++;
                                matched = true;
                                if (echoed == 1) {
                                    printEcho(r.data());
                                }
                                out.printf("echo %d/%d from %s: %d bytes, matched, rtt %.3f ms%s%n", i, total, where(),
                                        message.length, rtt / 1e6, attempt > 1 ? " (attempt " + attempt + ")" : "");
                                break;
                            }
                        }
                    }
                    if (!matched) {
                        out.printf("echo %d/%d from %s: no reply after %d attempt(s)%n", i, total, where(),
                                settings.retries() + 1);
                    }
                    out.flush();
                }
            } catch (InterruptedException e) {
                interrupted = true; // Ctrl-C: the summary of what was sent so far, as ping prints it
            }
            int lostDatagrams = datagrams - echoed;
            out.printf("%sudp %s: %d/%d messages echoed; %d datagrams sent, %d lost (%.1f%% loss)%s%s%n",
                    interrupted ? "interrupted: " : "", where(), echoed, interrupted ? attempted : total, datagrams,
                    lostDatagrams, datagrams == 0 ? 0.0 : 100.0 * lostDatagrams / datagrams,
                    late > 0 ? ", " + late + " late" : "",
                    echoed > 0 ? "; " + rtts.summary() : "");
            out.flush();
            if (interrupted) {
                return ClientCommand.EXIT_INTERRUPTED;
            }
            if (echoed == total) {
                return Cli.EXIT_OK;
            }
            if (echoed == 0 && unreachable > 0) {
                throw new UserException("udp " + where() + ": port unreachable (nothing listening there?)",
                        ClientCommand.EXIT_UNREACHABLE);
            }
            throw new UserException("timeout: " + (total - echoed) + " of " + total + " datagrams got no echo within "
                    + settings.timeout().toMillis() + " ms after " + (settings.retries() + 1) + " attempt(s)",
                    ClientCommand.EXIT_TIMEOUT);
        } finally {
            ClientLoop.close(group, ch);
        }
    }

    /**
     * Interactive: each stdin line is one datagram (without its line end); each echo is written to stdout as
     * its bytes and a {@code \n} (datagrams may be lost or reordered, so an echo is not matched to its line).
     */
    @Override
    int interactive(InputStream stdin) throws InterruptedException {
        AtomicInteger received = new AtomicInteger();
        Semaphore echoes = new Semaphore(0);
        EventLoopGroup group = ClientLoop.newGroup(settings.transport());
        Channel ch = null;
        try {
            ch = connect(group, new DatagramPrintingHandler(where(), stdout, err, () -> {
                received.incrementAndGet();
                echoes.release();
            }));
            err.println("sending datagrams to " + where() + "; type lines, end with Ctrl-D");
            err.flush();
            int sent = 0;
            LineReader lines = new LineReader(stdin);
            LineReader.Line line;
            while ((line = lines.next()) != null) {
                ch.writeAndFlush(Unpooled.wrappedBuffer(line.text()));
                sent++;
            }
            echoes.tryAcquire(sent, settings.timeout().toNanos(), TimeUnit.NANOSECONDS); // the last echoes
            int lost = Math.max(0, sent - received.get());
            err.printf("udp %s: %d datagrams sent, %d echoed, %d lost%n", where(), sent, received.get(), lost);
            err.flush();
            return Cli.EXIT_OK;
        } catch (IOException e) {
            throw new UserException("cannot read stdin: " + e.getMessage(), Cli.EXIT_RUNTIME);
        } finally {
            ClientLoop.close(group, ch);
        }
    }

    private Channel connect(EventLoopGroup group, ChannelHandler handler) {
        Transport transport = ClientLoop.transport(settings.transport());
        Bootstrap b = new Bootstrap().group(group).channel(transport.datagramChannelClass())
                .handler(new UdpEchoClientInitializer(handler))
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT);
        ChannelFuture f = b.connect(settings.host(), settings.port()).awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new UserException("cannot reach udp " + where() + ": " + Failures.connectReason(f.cause()),
                    ClientCommand.EXIT_UNREACHABLE);
        }
        return f.channel();
    }
}
