package io.inetkit.common.framing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;

import java.util.List;

/**
 * Ends each outbound payload with a delimiter: {@code payload} becomes {@code payload DELIM}.
 * The payload is passed on as it is and followed by a shared read-only copy of the delimiter, so
 * nothing is copied.
 */
@Sharable
final class DelimiterAppender extends MessageToMessageEncoder<ByteBuf> {

    private final ByteBuf delimiter;

    DelimiterAppender(ByteBuf delimiter) {
        super(ByteBuf.class);
        this.delimiter = delimiter.asReadOnly();
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ByteBuf payload, List<Object> out) {
        out.add(payload.retain());
        out.add(delimiter.retainedDuplicate());
    }

    static ByteBuf append(ByteBufAllocator alloc, ByteBuf payload, byte[] delimiter) {
        ByteBuf tail = alloc.buffer(delimiter.length).writeBytes(delimiter);
        return alloc.compositeBuffer(2).addComponents(true, payload, tail);
    }
}
