package io.inetkit.server.udp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.UncheckedBooleanSupplier;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** When the read loop of a UDP socket goes on, and that no read overwrites a datagram still held. */
class DatagramReceiveBufferTest {

    private static final int SLOT = 2048;

    private static RecvByteBufAllocator.ExtendedHandle handle(DatagramReceiveBuffer buffer, EmbeddedChannel ch) {
        RecvByteBufAllocator.ExtendedHandle h = (RecvByteBufAllocator.ExtendedHandle) buffer.newHandle();
        h.reset(ch.config());
        return h;
    }

    /** One recvmmsg into {@code slots} slots that returned {@code received} datagrams. */
    private static void batch(RecvByteBufAllocator.ExtendedHandle h, int slots, int received) {
        h.attemptedBytesRead(slots * SLOT);
        h.lastBytesRead(received * SLOT);
        h.incMessagesRead(received);
    }

    @Test
    void aBatchThatFilledEverySlotReadsOnAndAShortOneStops() {
        EmbeddedChannel ch = new EmbeddedChannel();
        DatagramReceiveBuffer buffer = new DatagramReceiveBuffer(16 * SLOT, 64, true);
        RecvByteBufAllocator.ExtendedHandle h = handle(buffer, ch);
        batch(h, 16, 16);
        assertThat(h.continueReading(UncheckedBooleanSupplier.TRUE_SUPPLIER)).isTrue();
        batch(h, 16, 5); // the socket was emptied: no empty recvmmsg to find that out
        assertThat(h.continueReading(UncheckedBooleanSupplier.TRUE_SUPPLIER)).isFalse();
        buffer.release();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void oneDatagramPerReadGoesOnUntilTheSocketIsEmptyOrTheLimit() {
        EmbeddedChannel ch = new EmbeddedChannel();
        DatagramReceiveBuffer buffer = new DatagramReceiveBuffer(SLOT, 3, false);
        RecvByteBufAllocator.ExtendedHandle h = handle(buffer, ch);
        batch(h, 1, 1); // a 64-byte datagram never fills its buffer, and the loop still goes on
        h.lastBytesRead(64);
        assertThat(h.continueReading(UncheckedBooleanSupplier.TRUE_SUPPLIER)).isTrue();
        batch(h, 1, 1);
        batch(h, 1, 1);
        assertThat(h.continueReading(UncheckedBooleanSupplier.TRUE_SUPPLIER)).isFalse(); // 3 read: the limit
        buffer.release();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aHeldBufferIsNeverReadIntoAgain() {
        DatagramReceiveBuffer buffer = new DatagramReceiveBuffer(SLOT, 8, false);
        EmbeddedChannel ch = new EmbeddedChannel();
        RecvByteBufAllocator.ExtendedHandle h = handle(buffer, ch);
        ByteBuf first = h.allocate(UnpooledByteBufAllocator.DEFAULT);
        first.writeLong(1);
        ByteBuf held = first.retainedSlice(); // a datagram somebody still holds
        first.release();
        ByteBuf second = h.allocate(UnpooledByteBufAllocator.DEFAULT);
        assertThat(second).isNotSameAs(first);
        assertThat(held.readLong()).isEqualTo(1);
        held.release();
        second.release();
        ByteBuf third = h.allocate(UnpooledByteBufAllocator.DEFAULT);
        assertThat(third).isSameAs(second); // free again: reused
        third.release();
        buffer.release();
        assertThat(ch.finish()).isFalse();
    }
}
