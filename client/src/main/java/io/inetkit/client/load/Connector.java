package io.inetkit.client.load;

import io.inetkit.client.Failures;
import io.inetkit.client.TlsOptions;
import io.netty.handler.ssl.SslHandler;
import io.inetkit.common.transport.Transport;
import io.inetkit.common.tls.Resumption;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.epoll.EpollChannelOption;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;

/**
 * The connect phase of a load run: {@code --connections} connects spread over the workers round-robin,
 * at most {@link #MAX_CONNECTS_IN_FLIGHT} at a time, paced by {@code --connect-rate}, with a progress
 * line once a second. A connection that is up joins its worker's list (on that worker's loop); a failed
 * connect is counted by kind.
 */
final class Connector {

    static final int MAX_CONNECTS_IN_FLIGHT = 256;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final LoadSettings s;
    private final ProgressLine progress;
    private final ErrorCounts errors;
    private final AtomicInteger connected = new AtomicInteger();
    private volatile String firstFailure;
    private final BooleanSupplier stop;

    /** @param stop true once the run is to end (Ctrl-C): no more connects are begun */
    Connector(LoadSettings settings, ProgressLine progress, ErrorCounts errors, BooleanSupplier stop) {
        this.stop = stop;
        this.s = settings;
        this.progress = progress;
        this.errors = errors;
    }

    /**
     * The first failed connect in inetkit's words ({@code connect to 127.0.0.1:20399: connection refused}),
     * or null; Netty's own text ({@code finishConnect(..) failed with error(-111)}) names no address.
     */
    String firstFailure() {
        return firstFailure;
    }

    /** Connections up so far. */
    int connected() {
        return connected.get();
    }

    /** Makes every connection; returns once each is up or failed (or the connect timeout passed). */
    void connectAll(Transport transport, List<Worker> workers) throws InterruptedException {
        List<Bootstrap> bootstraps = new ArrayList<>();
        for (Worker w : workers) {
            Bootstrap b = bootstrap(transport, w);
            bootstraps.add(b);
            w.reconnectWith(this, b);
        }
        Semaphore inFlight = new Semaphore(MAX_CONNECTS_IN_FLIGHT);
        long start = System.nanoTime();
        long nextProgress = start + SECOND;
        List<InetAddress> sources = s.sourceIps();
        for (int i = 0; i < s.connections() && !stop.getAsBoolean(); i++) {
            if (s.connectRate() > 0) {
                long due = start + (long) (i * 1e9 / s.connectRate());
                for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
                    LockSupport.parkNanos(Math.min(due - now, SECOND / 10)); // pacing, not synchronisation
                }
            }
            while (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                nextProgress = progress(nextProgress, start);
            }
            nextProgress = progress(nextProgress, start);
            Worker w = workers.get(i % workers.size());
            LoadConnection c = w.newConnection(i);
            Worker worker = w;
            connect(bootstraps.get(i % workers.size()), c, i, sources, (ok, connectNanos) -> {
                inFlight.release();
                if (ok) {
                    worker.connected(c, connectNanos); // on the connection's own event loop
                    connected.incrementAndGet();
                }
            });
        }
        long deadline = System.nanoTime() + s.connectTimeout().toNanos() + SECOND;
        while (!inFlight.tryAcquire(MAX_CONNECTS_IN_FLIGHT, 100, TimeUnit.MILLISECONDS)) {
            nextProgress = progress(nextProgress, start);
            if (System.nanoTime() > deadline || stop.getAsBoolean()) {
                break;
            }
        }
        // every worker's connection list is complete once its loop ran the listeners queued before this
        for (Worker w : workers) {
            w.loop().submit(() -> { }).awaitUninterruptibly();
        }
    }

    /** What becomes of one connect (with TLS: of its handshake too), on the connection's event loop. */
    interface Outcome {
        /** @param connectNanos from the connect's start until up (with TLS: until the handshake is done) */
        void done(boolean ok, long connectNanos);
    }

    /**
     * Connects {@code c} (number {@code index}) with {@code b}; with TLS, up means the handshake is done, and its
     * time goes to the worker's handshake histogram. A failure is counted by kind and the first one kept.
     */
    void connect(Bootstrap b, LoadConnection c, int index, List<InetAddress> sources, Outcome outcome) {
        Bootstrap each = b.clone().handler(new LoadInitializer(c, s.proxyHeader(index), s));
        long t0 = System.nanoTime();
        ChannelFuture f = sources.isEmpty() ? each.connect(s.target())
                : each.connect(s.target(), new InetSocketAddress(sources.get(index % sources.size()), 0));
        f.addListener(done -> {
            if (!done.isSuccess()) {
                count(c, classifyConnectFailure(done.cause()));
                firstFailure(done.cause());
                outcome.done(false, 0);
                return;
            }
            SslHandler ssl = f.channel().pipeline().get(SslHandler.class);
            if (ssl == null) {
                upgrade(c, t0, outcome);
                return;
            }
            long t1 = System.nanoTime();
            long t1Millis = System.currentTimeMillis(); // what a JDK session's creation time is compared with
            ssl.handshakeFuture().addListener(hs -> {
                long now = System.nanoTime();
                if (hs.isSuccess() && s.http() != null && s.http().version() == HttpLoad.Version.HTTP_2
                        && !"h2".equals(ssl.applicationProtocol())) {
                    // ALPN offered h2 alone: a server that chose none would get HTTP/2 frames it cannot read
                    count(c, ErrorKind.HTTP_PROTOCOL);
                    firstAlpnFailure(ssl.applicationProtocol());
                    c.retire();
                    f.channel().close();
                    outcome.done(false, 0);
                } else if (hs.isSuccess()) {
                    c.worker.handshake(now - t1, now, Resumption.resumed(ssl.engine(), t1Millis));
                    upgrade(c, t0, outcome);
                } else {
                    count(c, ErrorKind.TLS_HANDSHAKE);
                    firstTlsFailure(hs.cause());
                    c.retire(); // not a connection of the run: its close is no further error
                    f.channel().close();
                    outcome.done(false, 0);
                }
            });
        });
    }

    /**
     * The last step of a connect: with WebSocket, the upgrade (its time to the worker's upgrade histogram; a
     * refusal counted as {@link ErrorKind#WS_UPGRADE}); then the connection is up, {@code t0} its connect's start.
     */
    private void upgrade(LoadConnection c, long t0, Outcome outcome) {
        if (!(c instanceof WsLoadConnection ws)) {
            outcome.done(true, System.nanoTime() - t0);
            return;
        }
        long t1 = System.nanoTime();
        ws.upgraded().addListener(up -> {
            long now = System.nanoTime();
            if (up.isSuccess()) {
                c.worker.upgrade(now - t1, io.inetkit.client.ws.WsClientInitializer.deflating(c.channel.pipeline()));
                outcome.done(true, now - t0);
            } else {
                count(c, ErrorKind.WS_UPGRADE);
                firstUpgradeFailure(up.cause());
                c.retire(); // not a connection of the run: its close is no further error
                c.channel.close();
                outcome.done(false, 0);
            }
        });
    }

    private synchronized void firstAlpnFailure(String chosen) {
        if (firstFailure != null) {
            return;
        }
        firstFailure = "the server " + LoadGenerator.where(s) + " did not negotiate HTTP/2 (ALPN "
                + (chosen == null ? "chose no protocol" : "chose " + chosen) + "); without --http2 the load speaks HTTP/1.1";
        if (s.progress()) {
            progress.println(firstFailure);
        }
    }

    private synchronized void firstUpgradeFailure(Throwable cause) {
        if (firstFailure != null) {
            return;
        }
        String why = cause instanceof io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException e
                && e.response() != null ? "HTTP " + e.response().status()
                : cause instanceof java.nio.channels.ClosedChannelException ? "the server closed the connection"
                : io.inetkit.common.cli.Cli.describe(cause);
        firstFailure = "WebSocket upgrade to " + s.webSocket().url() + " failed: " + why;
        if (s.progress()) {
            progress.println(firstFailure);
        }
    }

    /**
     * Counts a failed connect (or handshake, or upgrade) of {@code c}, unless the run has ended on its worker: a
     * --reconnect successor closed at the end fails its handshake, and that is no error of the run.
     */
    private void count(LoadConnection c, ErrorKind kind) {
        if (!c.worker.isStopped()) {
            errors.add(kind);
        }
    }

    /** The bootstrap of {@code w}'s connections. */
    Bootstrap bootstrap(Transport transport, Worker w) {
        Bootstrap b = new Bootstrap()
                .group(w.loop())
                .channel(s.udp() ? transport.datagramChannelClass() : transport.socketChannelClass())
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        s.connectTimeout().toMillis()));
        if (!s.udp()) {
            b.option(ChannelOption.TCP_NODELAY, true);
            if (transport == Transport.EPOLL && !s.sourceIps().isEmpty()) {
                // the local port is chosen at connect, per destination, not at bind
                b.option(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
            }
        }
        return b;
    }

    /**
     * The kind of a failed connect, by the exception's type. Netty's native transports report every
     * connect errno but a few as a plain {@link java.net.ConnectException}, whose errno is only in its
     * text: that counts as refused, by far the most common, and the first failure is printed in full.
     */
    static ErrorKind classifyConnectFailure(Throwable cause) {
        if (cause instanceof ConnectTimeoutException) {
            return ErrorKind.CONNECT_TIMEOUT;
        }
        if (Failures.isRefused(cause)) {
            return ErrorKind.CONNECT_REFUSED;
        }
        return ErrorKind.CONNECT_FAILED;
    }

    private synchronized void firstTlsFailure(Throwable cause) {
        if (firstFailure != null) {
            return;
        }
        firstFailure = "TLS handshake with " + LoadGenerator.where(s) + " failed: "
                + TlsOptions.classify(cause, s.serverName() != null ? s.serverName() : s.target().getHostString()).reason();
        if (s.progress()) {
            progress.println(firstFailure);
        }
    }

    private synchronized void firstFailure(Throwable cause) {
        if (firstFailure != null) {
            return;
        }
        firstFailure = "connect to " + LoadGenerator.where(s) + ": " + Failures.connectReason(cause);
        if (s.progress()) {
            progress.println(firstFailure);
        }
    }

    private long progress(long nextProgress, long start) {
        long now = System.nanoTime();
        if (now < nextProgress) {
            return nextProgress;
        }
        if (s.progress()) {
            progress.update(String.format(Locale.ROOT, "t=%.1fs connecting: %d/%d up%s", (now - start) / 1e9,
                    connected.get(), s.connections(), errors.total() > 0 ? ", " + errors.describe() : ""));
        }
        return nextProgress + SECOND;
    }
}
