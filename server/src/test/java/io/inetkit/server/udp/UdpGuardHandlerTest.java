package io.inetkit.server.udp;

import io.inetkit.server.RateLimitedLog;
import io.inetkit.server.ServerSettings;

import io.inetkit.server.udp.DatagramMeters.Drop;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The UDP guard and echo as one pipeline, without sockets. */
class UdpGuardHandlerTest {

    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 5005);

    private final DatagramMeters meters = new DatagramMeters(new SimpleMeterRegistry(), "udp/5005");

    private EmbeddedChannel channel(ServerSettings.UdpGuard guard) {
        SourceRateLimiter buckets = new SourceRateLimiter(guard.ratePerSource(), guard.maxSources());
        return new EmbeddedChannel(
                new UdpGuardHandler(guard, buckets, meters, new RateLimitedLog(LoggerFactory.getLogger("test"), 5)),
                new UdpEchoHandler(meters));
    }

    private static DatagramPacket datagram(byte[] payload, String host, int port) {
        return new DatagramPacket(Unpooled.wrappedBuffer(payload), SERVER, new InetSocketAddress(host, port));
    }

    @Test
    void noReplyToEchoChargenOrAnyPortBelowTheMinimum() {
        EmbeddedChannel ch = channel(ServerSettings.UdpGuard.DEFAULT);
        for (int port : new int[] {7, 19, 13, 17, 1023}) {
            ch.writeInbound(datagram(new byte[] {1, 2, 3}, "127.0.0.1", port));
        }
        assertThat(ch.outboundMessages()).isEmpty();
        assertThat(meters.dropped(Drop.SOURCE_PORT).count()).isEqualTo(5);
        assertThat(meters.datagramsIn.count()).isEqualTo(5);
        assertThat(meters.datagramsOut.count()).isZero();

        ch.writeInbound(datagram(new byte[] {1, 2, 3}, "127.0.0.1", 1024));
        DatagramPacket reply = ch.readOutbound();
        assertThat(reply.recipient()).isEqualTo(new InetSocketAddress("127.0.0.1", 1024));
        reply.release();
        assertFalse(ch.finish());
    }

    @Test
    void anEmptyDatagramGetsNoReplyAndIsCounted() {
        EmbeddedChannel ch = channel(ServerSettings.UdpGuard.DEFAULT);
        ch.writeInbound(datagram(new byte[0], "127.0.0.1", 40000));
        ch.writeInbound(datagram(new byte[] {'x'}, "127.0.0.1", 40000));
        DatagramPacket reply = ch.readOutbound();
        assertThat(reply.content().readableBytes()).isEqualTo(1);
        reply.release();
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(meters.dropped(Drop.EMPTY).count()).isEqualTo(1);
        assertThat(meters.datagramsIn.count()).isEqualTo(2);
        assertThat(meters.datagramsOut.count()).isEqualTo(1);
        assertFalse(ch.finish());
    }

    @Test
    void aMinimumOfZeroRepliesToEveryPort() {
        EmbeddedChannel ch = channel(new ServerSettings.UdpGuard(0, 0, 10));
        ch.writeInbound(datagram(new byte[] {42}, "127.0.0.1", 7));
        DatagramPacket reply = ch.readOutbound();
        assertThat(reply.content().readByte()).isEqualTo((byte) 42);
        reply.release();
        assertFalse(ch.finish());
    }

    @Test
    void aSourceOverItsRateGetsAtMostItsBucket() {
        EmbeddedChannel ch = channel(new ServerSettings.UdpGuard(1024, 20, 100));
        for (int i = 0; i < 200; i++) {
            ch.writeInbound(datagram(new byte[] {(byte) i}, "127.0.0.7", 40000 + i % 3));
        }
        int replies = 0;
        for (DatagramPacket p; (p = ch.readOutbound()) != null; ) {
            replies++;
            p.release();
        }
        // the bucket holds 20; refill while this loop ran is at most 20/s of its few milliseconds
        assertThat(replies).isBetween(20, 21);
        assertThat(meters.dropped(Drop.RATE).count()).isEqualTo(200 - replies);
        assertThat(meters.datagramsOut.count()).isEqualTo(replies);

        ch.writeInbound(datagram(new byte[] {1}, "127.0.0.8", 40000));
        DatagramPacket other = ch.readOutbound();
        assertThat(other).as("another source has its own bucket").isNotNull();
        other.release();
        assertFalse(ch.finish());
    }

    @Test
    void aReplyIsTheRequestByteForByteNeverLarger() {
        EmbeddedChannel ch = channel(new ServerSettings.UdpGuard(1024, 0, 10));
        Random random = new Random(7);
        for (int size : new int[] {1, 2, 100, 1472, 2048, 9000, 65_507}) { // 0: anEmptyDatagramGetsNoReply...
            byte[] payload = new byte[size];
            random.nextBytes(payload);
            ch.writeInbound(datagram(payload, "127.0.0.1", 50000));
            DatagramPacket reply = ch.readOutbound();
            ByteBuf content = reply.content();
            byte[] echoed = new byte[content.readableBytes()];
            content.readBytes(echoed);
            reply.release();
            assertThat(echoed).isEqualTo(payload);
        }
        assertThat(meters.bytesOut.count()).isEqualTo(meters.bytesIn.count());
        assertFalse(ch.finish());
    }
}
