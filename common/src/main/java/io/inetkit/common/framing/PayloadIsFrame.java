package io.inetkit.common.framing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;

/**
 * The framings whose frame is the payload itself, with no bytes added: {@code raw} and {@code fixed:N}.
 * They need no encoder, and they cannot carry an {@code ERR} text: in {@code raw} it would be
 * indistinguishable from echoed data, and a fixed-size stream has no room for an out-of-band message.
 */
sealed interface PayloadIsFrame extends Framing permits Framing.Raw, Framing.Fixed {

    @Override
    default ChannelHandler newEncoder() {
        return null;
    }

    @Override
    default ByteBuf frame(ByteBufAllocator alloc, ByteBuf payload) {
        return payload;
    }

    @Override
    default boolean canCarryText() {
        return false;
    }
}
