package io.inetkit.client;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.NetUtil;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * Sends a PROXY protocol header first on a connection, as a load balancer would, naming {@code source} as the
 * client: {@code inetkit client --proxy-source} and {@code inetkit load --proxy-sources}. The address exists only
 * inside the header; nothing is sent to it.
 *
 * <pre>
 *   socket ──► proxy-encoder ──► proxy-header ──► (the connection's own handlers)
 *              │                 └ on connect: writes the header, then removes both and passes the connect on
 *              └ Netty's {@link HAProxyMessageEncoder}: v1 text or v2 binary
 *
 *   v1: "PROXY TCP4 10.0.3.7 127.0.0.1 1031 5005\r\n"     v2: the 12-byte signature, 0x21, 0x11, 12, addresses
 * </pre>
 *
 * Both handlers leave once the header is written, so the connection's messages pay nothing for them. The
 * header is written when the connection becomes active, which is before anything of the connection's own:
 * those start after the connect (the echo client once its connect returned, the load generator once every
 * connection is up).
 */
public final class ProxyHeaderSender extends ChannelInboundHandlerAdapter {

    public static final String ENCODER = "proxy-encoder";
    public static final String HEADER = "proxy-header";

    private final HAProxyProtocolVersion version;
    private final InetSocketAddress source;

    public ProxyHeaderSender(HAProxyProtocolVersion version, InetSocketAddress source) {
        this.version = version;
        this.source = source;
    }

    /** {@code v1} or {@code v2}, as {@code --proxy-protocol} takes it. */
    public static HAProxyProtocolVersion parseVersion(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "v1", "1" -> HAProxyProtocolVersion.V1;
            case "v2", "2" -> HAProxyProtocolVersion.V2;
            default -> throw new IllegalArgumentException("bad --proxy-protocol '" + text + "': expected v1 or v2");
        };
    }

    /**
     * {@code --proxy-source ADDR:PORT}: {@code 203.0.113.7:40000}, {@code [2001:db8::7]:40000}. Only address
     * literals: the name of a synthetic client is never looked up.
     */
    public static InetSocketAddress parseSource(String text) {
        String t = text.trim();
        int colon = t.lastIndexOf(':');
        String host = colon < 0 ? "" : t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("bad --proxy-source '" + text + "': write IPv6 as [ADDR]:PORT");
        }
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(host);
        int port;
        try {
            port = colon < 0 ? -1 : Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (address == null || port < 0 || port > 65535) {
            throw new IllegalArgumentException("bad --proxy-source '" + text + "': expected ADDR:PORT, e.g."
                    + " 203.0.113.7:40000 or [2001:db8::7]:40000");
        }
        return new InetSocketAddress(address, port);
    }

    /** Adds {@value #ENCODER} and {@value #HEADER} last in {@code p}: an initializer's first handlers. */
    public void addTo(ChannelPipeline p) {
        p.addLast(ENCODER, HAProxyMessageEncoder.INSTANCE);
        p.addLast(HEADER, this);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetSocketAddress target = (InetSocketAddress) ctx.channel().remoteAddress();
        boolean v4 = source.getAddress() instanceof Inet4Address;
        if (v4 != target.getAddress() instanceof Inet4Address) {
            // the header has one family for both ends; the settings check it, this is the last line of defence
            ctx.fireExceptionCaught(new IllegalArgumentException("the PROXY source " + source
                    + " and the server " + target + " are not of one address family"));
            ctx.close();
            return;
        }
        ctx.writeAndFlush(new HAProxyMessage(version, HAProxyCommand.PROXY,
                v4 ? HAProxyProxiedProtocol.TCP4 : HAProxyProxiedProtocol.TCP6,
                NetUtil.toAddressString(source.getAddress()), NetUtil.toAddressString(target.getAddress()),
                source.getPort(), target.getPort()));
        ctx.pipeline().remove(ENCODER); // the header is encoded: writes are synchronous on the event loop
        ctx.pipeline().remove(this);
        ctx.fireChannelActive();
    }
}
