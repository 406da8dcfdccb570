package io.inetkit.server.stream;

import io.inetkit.common.transport.Transport;

import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * A receive-buffer allocator whose handle (the read loop's counters and the adaptive size guess) is one per
 * event-loop thread instead of one per connection. Netty asks a channel's allocator for a handle on the
 * channel's first read and keeps it for the channel's life: for {@link io.netty.channel.AdaptiveRecvByteBufAllocator}
 * that is about 110 bytes (the handle, its size calculator and a continue-reading predicate) on every
 * connection that ever read, idle or not.
 *
 * <pre>
 *   event loop thread ──► one handle ◄── connection 1, connection 2, ... (each read loop: reset, read, done)
 * </pre>
 *
 * <p>Sharing is safe where a read loop runs from its {@code reset} to its {@code readComplete} on the event loop
 * without another channel's read in between: epoll and NIO read synchronously when the socket is ready. The
 * size guess then follows the recent reads of the thread's connections rather than of one connection, within
 * the same bounds. io_uring keeps a read in flight between submission and completion, so its connections keep
 * a handle each ({@link #forTransport}).
 */
final class EventLoopRecvByteBufAllocator implements RecvByteBufAllocator {

    private final FastThreadLocal<Handle> handles;

    EventLoopRecvByteBufAllocator(RecvByteBufAllocator perThread) {
        this.handles = new FastThreadLocal<>() {
            @Override
            protected Handle initialValue() {
                return perThread.newHandle();
            }
        };
    }

    /** {@code allocator} shared per event loop where the transport reads synchronously; as it is otherwise. */
    static RecvByteBufAllocator forTransport(Transport transport, RecvByteBufAllocator allocator) {
        return transport == Transport.IO_URING ? allocator : new EventLoopRecvByteBufAllocator(allocator);
    }

    @Override
    public Handle newHandle() {
        return handles.get();
    }
}
