package io.inetkit.server.udp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.DefaultMaxMessagesRecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * The receive buffer of one UDP socket: one buffer of the largest datagram, reused for every read.
 *
 * <pre>
 *   read ──► [ 64 KiB buffer: | 64 bytes | ...unused... ] ──► echo copies the 64 bytes, lets go ──► next read
 * </pre>
 *
 * A datagram must be read whole, so each read needs room for the largest one (64 KiB), however small the
 * datagram. Netty's allocators do not keep buffers that size at hand: allocating one per datagram costs a
 * fresh, zeroed 64 KiB of memory each time, more than the rest of the echo. So the socket reads into this
 * one buffer, and whoever takes a datagram copies its bytes (a buffer of their own size) and releases it,
 * which makes the buffer free for the next read. When a datagram is still held at the next read, that read
 * gets a new buffer, which this one keeps from then on: nothing is ever overwritten while in use.
 *
 * <p>One instance per socket, used on its event loop only; {@link #release()} once the socket is closed.
 */
final class DatagramReceiveBuffer extends DefaultMaxMessagesRecvByteBufAllocator {

    private final int capacity;
    private final boolean batched;
    private ByteBuf buffer;

    /**
     * @param capacity       bytes of the buffer: the largest datagram that is read whole
     * @param datagramsPerRead datagrams read per readiness event, until the socket is empty
     */
    DatagramReceiveBuffer(int capacity, int datagramsPerRead, boolean batched) {
        super(datagramsPerRead);
        // One datagram per read (NIO, io_uring): read until the socket is empty, not "until a read did not fill
        // its buffer", which a datagram never does. A batch per read (epoll's recvmmsg into slots): a batch
        // that did not fill every slot emptied the socket, so stop there; the level-triggered epoll reports the
        // socket again when more has come, and no system call is spent on finding it empty.
        respectMaybeMoreData(batched);
        this.capacity = capacity;
        this.batched = batched;
    }

    @Override
    public Handle newHandle() {
        return new MaxMessageHandle() {
            /** A batch filled every slot: the socket may hold more. Netty's datagram read asks "always". */
            private final UncheckedBooleanSupplier filledEverySlot = () -> lastBytesRead() == attemptedBytesRead();

            @Override
            public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
                return super.continueReading(batched ? filledEverySlot : maybeMoreDataSupplier);
            }

            @Override
            public ByteBuf allocate(ByteBufAllocator alloc) {
                return take(alloc);
            }

            @Override
            public int guess() {
                return capacity;
            }
        };
    }

    /** The buffer for the next read, with one reference for the reader; this object keeps its own. */
    private ByteBuf take(ByteBufAllocator alloc) {
        if (buffer == null || buffer.refCnt() != 1) {
            if (buffer != null) {
                buffer.release(); // still held by whoever took the last datagram: theirs now
            }
            buffer = alloc.directBuffer(capacity, capacity);
        }
        buffer.clear();
        return buffer.retain();
    }

    /** Lets go of the buffer; call once the socket is closed (no more reads). */
    void release() {
        if (buffer != null) {
            buffer.release();
            buffer = null;
        }
    }
}
