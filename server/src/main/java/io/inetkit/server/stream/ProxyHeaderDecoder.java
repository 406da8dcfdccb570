package io.inetkit.server.stream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolException;

import java.util.List;

/**
 * Netty's {@link HAProxyMessageDecoder}, which does all the parsing, plus what it leaves unsaid: a peer that sent
 * bytes and then ended the connection (FIN, or a close) before they made a header. The decoder waits for 13 bytes,
 * or for a v1 header's CRLF, so {@code hello\n} and a FIN would close the connection without a word; this reports
 * it as the decoder reports a malformed header, with an {@link HAProxyProtocolException}. A connection that
 * ends without a byte (a balancer's TCP health check) stays silent.
 */
final class ProxyHeaderDecoder extends HAProxyMessageDecoder {

    ProxyHeaderDecoder(int maxTlvBytes) {
        super(maxTlvBytes);
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        if (out.isEmpty() && in.isReadable()) {
            int n = in.readableBytes();
            in.skipBytes(n);
            throw new HAProxyProtocolException("the connection ended after " + n + " bytes without a whole PROXY header");
        }
    }
}
