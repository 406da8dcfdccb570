package io.inetkit.common.framing;

import io.netty.channel.ChannelHandler;

/**
 * A decoder (a handler, so a pipeline can find it by this type) that keeps the bytes of an unfinished frame between reads, and says how much buffer that takes:
 * what a server's memory budget counts besides the echoes it has queued.
 *
 * <pre>
 * reads:        | H i \0 t h | e r e \0 ...
 * cumulation:           | t h |            held between the reads: cumulatedBytes() = its capacity
 * </pre>
 */
public interface Cumulating extends ChannelHandler {

    /**
     * The capacity of the buffer holding the unfinished frame after the last read (0 when none); written on
     * the channel's event loop, readable from any thread.
     */
    int cumulatedBytes();
}
