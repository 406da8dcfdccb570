package io.inetkit.http.connection;

import io.inetkit.http.ClientOptions;
import io.inetkit.http.CurlException;
import io.inetkit.http.Failures;
import io.inetkit.http.Target;
import io.inetkit.http.output.Trace;
import io.inetkit.http.output.TransferTiming;
import io.inetkit.http.pipeline.HttpClientInitializer;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Opens connections: name lookup (on a helper thread, so the deadline holds even when the resolver
 * hangs), TCP connect to each address in turn, then the TLS handshake and ALPN. Each step is bounded by
 * the connect deadline ({@code --connect-timeout}) and the transfer's ({@code -m}).
 */
public final class Connector {

    /** Looks a host name up. The default asks the system's resolver; tests give their own. */
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;

        Resolver SYSTEM = InetAddress::getAllByName;
    }

    private final ClientOptions options;
    private final EventLoopGroup group;
    private final Class<? extends Channel> channelClass;
    private final Resolver resolver;
    private final ExecutorService lookups;
    private final TlsContexts tls;
    private final Trace trace;
    private int connections;

    public Connector(ClientOptions options, EventLoopGroup group, Class<? extends Channel> channelClass,
                     Resolver resolver, ExecutorService lookups, Trace trace) {
        this.options = options;
        this.group = group;
        this.channelClass = channelClass;
        this.resolver = resolver;
        this.lookups = lookups;
        this.tls = new TlsContexts(options);
        this.trace = trace;
    }

    /** Connections opened so far. */
    public int connections() {
        return connections;
    }

    /**
     * A ready connection to {@code target}'s origin.
     *
     * @param timing     gets the name lookup, connect and TLS times
     * @param deadline   System.nanoTime by which the whole transfer must be over (-m)
     */
    public ClientConnection connect(Target target, TransferTiming timing, long deadline) throws CurlException {
        long start = System.nanoTime();
        long connectDeadline = Math.min(deadline, saturatedAdd(start, options.connectTimeout().toNanos()));
        InetAddress[] addresses = resolve(target, timing, connectDeadline, deadline);
        SslContext ssl = target.tls() ? tls.context() : null;
        CurlException last = null;
        for (InetAddress address : addresses) {
            InetSocketAddress remote = new InetSocketAddress(address, target.port());
            trace.info("  Trying " + NetUtil.toSocketAddressString(remote) + "...");
            long remaining = connectDeadline - System.nanoTime();
            if (remaining <= 0) {
                throw timeout(target, start, connectDeadline, deadline);
            }
            HttpClientInitializer initializer = new HttpClientInitializer(options, ssl, target, trace);
            int number = ++connections;
            Bootstrap b = new Bootstrap()
                    .group(group)
                    .channel(channelClass)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                            (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(remaining))))
                    .handler(initializer);
            ChannelFuture connect = b.connect(remote);
            if (!connect.awaitUninterruptibly(TimeUnit.NANOSECONDS.toMillis(remaining) + 1000)) {
                connect.channel().close();
                throw timeout(target, start, connectDeadline, deadline);
            }
            if (!connect.isSuccess()) {
                Throwable cause = connect.cause();
                if (cause instanceof ConnectTimeoutException) {
                    throw timeout(target, start, connectDeadline, deadline);
                }
                last = new CurlException(CurlException.COULD_NOT_CONNECT, "Failed to connect to " + target.host()
                        + " port " + target.port() + " after " + millisSince(start) + " ms: "
                        + Failures.connectFailure(cause));
                continue;
            }
            Channel channel = connect.channel();
            timing.connected();
            trace.info("Connected to " + target.host() + " (" + NetUtil.toAddressString(address) + ") port "
                    + target.port() + " (#" + number + ")");
            try {
                String protocol = initializer.ready().get(Math.max(0, connectDeadline - System.nanoTime()),
                        TimeUnit.NANOSECONDS);
                if (target.tls()) {
                    timing.tlsDone();
                }
                if (protocol.equals(HttpClientInitializer.PROTOCOL_HTTP_2)) {
                    trace.info("using HTTP/2");
                }
                return new ClientConnection(number, channel, protocol, initializer);
            } catch (TimeoutException e) {
                ClientConnection.close(channel);
                throw timeout(target, start, connectDeadline, deadline);
            } catch (ExecutionException e) {
                ClientConnection.close(channel);
                throw target.tls() ? Failures.tls(e.getCause(), target) : Failures.receive(e.getCause(), target);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ClientConnection.close(channel);
                throw new CurlException(CurlException.OPERATION_TIMEDOUT, "Interrupted");
            }
        }
        throw last;
    }

    private InetAddress[] resolve(Target target, TransferTiming timing, long connectDeadline, long deadline)
            throws CurlException {
        String host = target.host();
        byte[] literal = NetUtil.createByteArrayFromIpAddressString(host);
        if (literal != null) {
            try {
                timing.resolved();
                return new InetAddress[] {InetAddress.getByAddress(host, literal)};
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e); // a literal always makes an address
            }
        }
        long start = System.nanoTime();
        CompletableFuture<InetAddress[]> lookup = CompletableFuture.supplyAsync(() -> {
            try {
                return resolver.resolve(host);
            } catch (UnknownHostException e) {
                throw new CompletionException(e);
            }
        }, lookups);
        try {
            InetAddress[] addresses = lookup.get(Math.max(0, connectDeadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            timing.resolved();
            if (addresses == null || addresses.length == 0) {
                throw new CurlException(CurlException.COULD_NOT_RESOLVE_HOST, "Could not resolve host: " + host);
            }
            return addresses;
        } catch (TimeoutException e) {
            lookup.cancel(true);
            throw connectDeadline < deadline
                    ? new CurlException(CurlException.OPERATION_TIMEDOUT, "Resolving timed out after "
                    + millisSince(start) + " milliseconds")
                    : new CurlException(CurlException.OPERATION_TIMEDOUT, "Operation timed out after "
                    + millisSince(start) + " milliseconds with 0 bytes received (resolving " + host + ")");
        } catch (ExecutionException e) {
            throw new CurlException(CurlException.COULD_NOT_RESOLVE_HOST, "Could not resolve host: " + host);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CurlException(CurlException.OPERATION_TIMEDOUT, "Interrupted while resolving " + host);
        }
    }

    private static CurlException timeout(Target target, long start, long connectDeadline, long deadline) {
        if (connectDeadline < deadline) {
            return new CurlException(CurlException.OPERATION_TIMEDOUT, "Failed to connect to " + target.host()
                    + " port " + target.port() + " after " + millisSince(start)
                    + " ms: Connection timed out (--connect-timeout)");
        }
        return new CurlException(CurlException.OPERATION_TIMEDOUT, "Operation timed out after " + millisSince(start)
                + " milliseconds with 0 bytes received (while connecting to " + target.host() + " port "
                + target.port() + ")");
    }

    static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    public static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}
