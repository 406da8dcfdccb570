package io.inetkit.client.load;

import io.inetkit.client.ProxyHeaderSender;
import io.inetkit.client.TlsOptions;
import io.inetkit.client.ws.WsClientInitializer;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Settings;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;

/**
 * The pipeline of one load connection, TCP or UDP: the connection itself, alone. Its echo is the same
 * frame byte for byte, so the received stream is checked against the sent one as it comes, with no
 * decoder and no copy, and what it sends is built whole, framing included, by {@link MessagePattern}.
 *
 * <pre>
 *  socket ──► [proxy-encoder ──► proxy-header] ──► [tls] ──► load (TcpLoadConnection / UdpLoadConnection)
 *                                                           ├ ws:// — the handlers of {@link WsClientInitializer}, the
 *                                                           │ upgrade and the frame codec, then load (WsLoadConnection)
 *                                                           └ http:// — http (HttpResponseDecoder, or HTTP/2's
 *                                                             Http2FrameCodec), then load (Http1/Http2LoadConnection)
 *              │                                  └ writes the batches, verifies every echoed byte, records the latency
 *              └ --proxy-protocol: the PROXY header with this connection's synthetic source, then both leave
 *                ({@link ProxyHeaderSender}): the messages pass no handler but the connection's (and TLS's)
 *  tls: with --tls, Netty's SslHandler; the connection counts as up once its handshake is done
 * </pre>
 */
final class LoadInitializer extends ChannelInitializer<Channel> {

    /** The one handler: the {@link LoadConnection}. */
    static final String LOAD = "load";

    /** WebSocket: the handlers of {@link WsClientInitializer}, with the connection as its last. */
    static final String WS = "ws-init";
    /** HTTP: the response decoder (HTTP/1.1) or the frame codec (HTTP/2), before {@link #LOAD}. */
    static final String HTTP = "http";
    /** HTTP/2: what makes the connection's streams ({@link Http2LoadConnection.Streams}). */
    static final String STREAMS = "h2-streams";
    /** HTTP/2: each stream's receive window (the connection's grows with it, by window updates). */
    static final int H2_WINDOW = 1 << 20;

    /** WebSocket: the smallest limit on an echoed message. */
    static final int MIN_WS_MESSAGE = 64 * 1024;

    /** The TLS handler, before {@link #LOAD}. */
    static final String TLS = "tls";

    private final LoadConnection connection;
    private final ProxyHeaderSender proxy;
    private final LoadSettings settings;

    /**
     * @param proxy the PROXY header to send first, or null for none
     * @param settings the run's: {@link LoadSettings#tls()} makes the TLS handler, {@link LoadSettings#webSocket()}
     *                 the WebSocket handlers; null for neither
     */
    LoadInitializer(LoadConnection connection, ProxyHeaderSender proxy, LoadSettings settings) {
        this.connection = connection;
        this.proxy = proxy;
        this.settings = settings;
    }

    @Override
    protected void initChannel(Channel ch) {
        if (proxy != null) {
            proxy.addTo(ch.pipeline()); // ProxyHeaderSender.ENCODER, ProxyHeaderSender.HEADER
        }
        LoadSettings s = settings;
        if (s != null && s.tls() != null) {
            ch.pipeline().addLast(TLS, TlsOptions.newHandler(s.tls(), ch.alloc(), s.serverName(),
                    s.target().getHostString(), s.target().getPort(), s.tlsResume()));
        }
        if (s != null && s.http() != null) {
            // HTTP/1.1: the response decoder alone (requests go out as bytes); HTTP/2: Netty's frame codec
            if (s.http().version() == HttpLoad.Version.HTTP_2) {
                ch.pipeline().addLast(HTTP, Http2FrameCodecBuilder.forClient()
                        .initialSettings(Http2Settings.defaultSettings().initialWindowSize(H2_WINDOW)).build());
                ch.pipeline().addLast(STREAMS, new Http2LoadConnection.Streams());
            } else {
                ch.pipeline().addLast(HTTP, Http1LoadConnection.newDecoder(s.http()));
            }
            ch.pipeline().addLast(LOAD, connection);
            return;
        }
        if (s != null && s.webSocket() != null) {
            // the HTTP upgrade, then frames (TLS is above, after the PROXY header, as for every connection); an
            // echo larger than the message is read whole, to be counted as the mismatch it is
            LoadSettings.WebSocket ws = s.webSocket();
            ch.pipeline().addLast(WS, new WsClientInitializer(ws.url(), null, null, false, ws.deflate(),
                    Math.max(MIN_WS_MESSAGE, s.message() != null ? s.message().length : s.size()),
                    s.connectTimeout().toMillis(), connection));
            return;
        }
        ch.pipeline().addLast(LOAD, connection);
    }
}
