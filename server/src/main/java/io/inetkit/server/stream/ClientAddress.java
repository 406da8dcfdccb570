package io.inetkit.server.stream;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Who a connection serves: the one address that the limits per IP, allow/deny, the logs and the HTTP
 * listener's {@code /ip} (httpbin's {@code origin}) read.
 *
 * <pre>
 *   plain listener:  client ──TCP──► server              client address = the socket's peer
 *   PROXY listener:  client ──► balancer ──TCP──► server  client address = the header's source
 *                                  "PROXY TCP4 203.0.113.7 ..."  (the socket's peer is the balancer)
 * </pre>
 *
 * On a PROXY listener the address is set once, by {@code proxy-header} ({@link ProxyHeaderHandler}), before
 * any handler after it sees a byte; a header that names no address (LOCAL, UNKNOWN) leaves the socket's.
 * Only such connections carry the attribute, so a plain connection pays nothing for it.
 */
public final class ClientAddress {

    static final AttributeKey<InetSocketAddress> KEY = AttributeKey.valueOf(ClientAddress.class, "client");

    private ClientAddress() {
    }

    /**
     * The client of {@code ch}, or of the connection it is a stream of (an HTTP/2 stream's channel has the
     * connection as parent); the socket's peer when no PROXY header named another.
     */
    public static SocketAddress of(Channel ch) {
        for (Channel c = ch; c != null; c = c.parent()) {
            if (c.hasAttr(KEY)) { // hasAttr first: attr() would create the attribute on every connection
                InetSocketAddress client = c.attr(KEY).get();
                if (client != null) {
                    return client;
                }
            }
        }
        return ch.remoteAddress();
    }

    /** Sets the client of a PROXY connection, as its header names it. */
    static void set(Channel ch, InetSocketAddress client) {
        ch.attr(KEY).set(client);
    }
}
