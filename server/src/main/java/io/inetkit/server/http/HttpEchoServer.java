package io.inetkit.server.http;

import io.inetkit.common.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * An httpbin-style HTTP echo listener on one port: HTTP/1.1 with keep-alive and h2c when cleartext,
 * HTTP/1.1 and HTTP/2 (by ALPN) over TLS. Endpoints: {@code /ip}, {@code /headers}, {@code /get},
 * {@code /post}, {@code /anything}, {@code /status/{code}}, {@code /bytes/{n}}, {@code /stream/{n}},
 * {@code /redirect/{n}}, {@code /delay/{s}}, {@code /gzip}; {@code GET /} lists them.
 *
 * <pre>
 *   $ printf 'GET /ip HTTP/1.1\r\nHost: x\r\n\r\n' | nc 127.0.0.1 8080
 *   HTTP/1.1 200 OK
 *   content-type: application/json
 *   server: inetkit
 *   content-length: 24
 *
 *   {"origin": "127.0.0.1"}
 * </pre>
 *
 * <p>Lifecycle: {@link #start()} returns once bound ({@link #port()} tells the port when the settings asked
 * for 0); {@link #stop()} closes the listener and every connection. Given an event loop group, the server
 * runs on it and leaves it running on stop (the echo server shares its loops this way); without one it makes
 * its own and shuts it down on stop.
 *
 * <pre>{@code
 * HttpEchoServer http = new HttpEchoServer(HttpEchoSettings.of(8080), group, transport).start();
 * HttpEchoServer https = new HttpEchoServer(HttpEchoSettings.of(8443).withTls(Tls.selfSigned()), group, transport)
 *         .start();
 * ...
 * https.stop();
 * http.stop();
 * }</pre>
 */
public final class HttpEchoServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpEchoServer.class);

    /** Outbound bytes queued per connection before a streaming answer waits for the client to read. */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(64 * 1024, 256 * 1024);

    private final HttpEchoSettings settings;
    private final EventLoopGroup sharedGroup;
    private final Transport sharedTransport;
    private final ChannelGroup connections = new DefaultChannelGroup("http-echo", GlobalEventExecutor.INSTANCE);
    private EventLoopGroup ownGroup;
    private Channel listener;
    private boolean stopped;

    /** A server with its own event loop group on the best transport here. */
    public HttpEchoServer(HttpEchoSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.sharedGroup = null;
        this.sharedTransport = null;
    }

    /**
     * A server on the caller's event loops; {@code transport} must be the one {@code group} was made for
     * ({@link Transport#newGroup(int, String)}). {@link #stop()} leaves the group running.
     */
    public HttpEchoServer(HttpEchoSettings settings, EventLoopGroup group, Transport transport) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.sharedGroup = Objects.requireNonNull(group, "group");
        this.sharedTransport = Objects.requireNonNull(transport, "transport");
    }

    /**
     * Reads or makes the certificate (TLS), binds, and returns once the port is bound.
     *
     * @return this
     * @throws IOException with a one-line message fit for a user ("cannot listen on 127.0.0.1:8080: address
     *                     already in use", "cannot load TLS certificate cert.pem / key key.pem: ...");
     *                     nothing stays bound then
     */
    public synchronized HttpEchoServer start() throws IOException {
        if (listener != null || stopped) {
            throw new IllegalStateException(stopped ? "stopped" : "already started");
        }
        SslContext sslContext = settings.isTls() ? sslContext(settings) : null;
        EventLoopGroup group = sharedGroup;
        Transport transport = sharedTransport;
        if (group == null) {
            transport = Transport.select("auto").transport();
            ownGroup = transport.newGroup(0, "inetkit-http-echo");
            group = ownGroup;
        }
        HttpEchoInitializer initializer = new HttpEchoInitializer(settings, sslContext);
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.add(ch);
                        ch.pipeline().addLast(initializer);
                    }
                });
        ChannelFuture bind = b.bind(settings.bindAddress(), settings.port()).awaitUninterruptibly();
        if (!bind.isSuccess()) {
            shutdownOwnGroup();
            throw new IOException("cannot listen on " + endpoint(settings.port()) + ": " + why(bind.cause()),
                    bind.cause());
        }
        listener = bind.channel();
        log.info("listening on {} {} ({})", settings.isTls() ? "https" : "http", endpoint(port()),
                settings.isTls() ? "HTTPS: HTTP/1.1 and HTTP/2 by ALPN" : "HTTP/1.1 and h2c");
        return this;
    }

    /** The bound port (the real one when the settings asked for 0); -1 before {@link #start()}. */
    public int port() {
        Channel l = listener;
        return l == null ? -1 : ((InetSocketAddress) l.localAddress()).getPort();
    }

    /** The bound address; null before {@link #start()}. */
    public InetSocketAddress localAddress() {
        Channel l = listener;
        return l == null ? null : (InetSocketAddress) l.localAddress();
    }

    public HttpEchoSettings settings() {
        return settings;
    }

    /** Open connections. */
    public int activeConnections() {
        return connections.size();
    }

    /** Closes the listener and every connection (at most a second's wait); idempotent. */
    public void stop() {
        Channel l;
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            l = listener;
        }
        if (l != null) {
            l.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
        connections.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        shutdownOwnGroup();
    }

    @Override
    public void close() {
        stop();
    }

    private void shutdownOwnGroup() {
        if (ownGroup != null) {
            ownGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
            ownGroup = null;
        }
    }

    private String endpoint(int port) {
        return NetUtil.toSocketAddressString(new InetSocketAddress(settings.bindAddress(), port));
    }

    private static String why(Throwable cause) {
        String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (why.contains("Address already in use")) {
            return "address already in use";
        }
        if (why.toLowerCase(java.util.Locale.ROOT).contains("permission denied")) {
            return "permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)";
        }
        if (why.contains("Cannot assign requested address")) {
            return "no such local address";
        }
        return why;
    }

    /** The TLS context: the JDK's provider, ALPN offering {@code h2} then {@code http/1.1}. */
    static SslContext sslContext(HttpEchoSettings settings) throws IOException {
        SslContextBuilder builder;
        if (settings.tls() instanceof HttpEchoSettings.Tls.PemFiles files) {
            for (var path : new java.nio.file.Path[] {files.certificateChain(), files.privateKey()}) {
                if (!Files.isReadable(path)) {
                    throw new IOException("cannot read TLS " + (path == files.privateKey() ? "key" : "certificate")
                            + " file " + path);
                }
            }
            try {
                builder = SslContextBuilder.forServer(files.certificateChain().toFile(), files.privateKey().toFile());
            } catch (IllegalArgumentException e) {
                throw new IOException("cannot load TLS certificate " + files.certificateChain() + " / key "
                        + files.privateKey() + ": " + rootMessage(e), e);
            }
        } else {
            try {
                SelfSignedCertificates.KeyAndCertificate made = SelfSignedCertificates.generate(settings.bindAddress());
                builder = SslContextBuilder.forServer(made.key(), made.certificate());
                log.info("self-signed certificate for localhost, 127.0.0.1, ::1; SHA-256 fingerprint {}",
                        fingerprint(made.certificate()));
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot make a self-signed certificate: " + rootMessage(e), e);
            }
        }
        try {
            return builder
                    .sslProvider(SslProvider.JDK)
                    .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(
                            ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                    .build();
        } catch (javax.net.ssl.SSLException | IllegalArgumentException e) {
            String what = settings.tls() instanceof HttpEchoSettings.Tls.PemFiles files
                    ? "TLS certificate " + files.certificateChain() + " / key " + files.privateKey()
                    : "the self-signed certificate";
            throw new IOException("cannot load " + what + ": " + rootMessage(e), e);
        }
    }

    private static String fingerprint(java.security.cert.X509Certificate certificate)
            throws GeneralSecurityException {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
        StringBuilder sb = new StringBuilder();
        for (byte b : digest) {
            if (sb.length() > 0) {
                sb.append(':');
            }
            sb.append(String.format("%02X", b));
        }
        return sb.toString();
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return m == null ? root.getClass().getSimpleName() : m;
    }
}
