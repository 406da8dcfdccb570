package io.inetkit.server.stream;

import io.inetkit.common.transport.Transport;

import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** One receive handle per thread on the transports that read synchronously, one per connection on io_uring. */
class EventLoopRecvByteBufAllocatorTest {

    private final RecvByteBufAllocator adaptive = new AdaptiveRecvByteBufAllocator(64, 2048, 32 * 1024);

    @Test
    void theConnectionsOfOneThreadShareOneHandle() throws Exception {
        RecvByteBufAllocator shared = EventLoopRecvByteBufAllocator.forTransport(Transport.EPOLL, adaptive);
        RecvByteBufAllocator.Handle first = shared.newHandle();
        assertThat(shared.newHandle()).isSameAs(first);
        assertThat(first).isInstanceOf(RecvByteBufAllocator.ExtendedHandle.class); // what epoll casts it to
        RecvByteBufAllocator.Handle other = CompletableFuture.supplyAsync(shared::newHandle).get(10, TimeUnit.SECONDS);
        assertThat(other).isNotSameAs(first);
    }

    @Test
    void nioSharesToo() {
        RecvByteBufAllocator shared = EventLoopRecvByteBufAllocator.forTransport(Transport.NIO, adaptive);
        assertThat(shared.newHandle()).isSameAs(shared.newHandle());
    }

    @Test
    void ioUringKeepsAHandlePerConnection() {
        RecvByteBufAllocator perConnection = EventLoopRecvByteBufAllocator.forTransport(Transport.IO_URING, adaptive);
        assertThat(perConnection).isSameAs(adaptive);
        assertThat(perConnection.newHandle()).isNotSameAs(perConnection.newHandle());
    }
}
