package io.inetkit.server.udp;

import io.inetkit.server.RateLimitedLog;
import io.inetkit.server.ServerSettings;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The UDP echo pipeline on random datagrams from random sources: each one allowed by the guard comes back
 * to its sender unchanged (never larger), each one below the minimum source port, and each empty one, gets
 * nothing.
 */
class UdpEchoPipelineProperties {

    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 5005);
    private static final int MIN_SOURCE_PORT = 1024;

    @Property(tries = 300)
    void everyAllowedDatagramComesBackUnchangedToItsSender(
            @ForAll @Size(max = 20) List<@Size(max = 1500) byte[]> payloads,
            @ForAll @IntRange(min = 1, max = 65535) int sourcePort) {
        DatagramMeters meters = new DatagramMeters(new SimpleMeterRegistry(), "udp/5005");
        ServerSettings.UdpGuard guard = new ServerSettings.UdpGuard(MIN_SOURCE_PORT, 0, 16);
        EmbeddedChannel ch = new EmbeddedChannel(new UdpEchoInitializer(
                new UdpGuardHandler(guard, new SourceRateLimiter(guard.ratePerSource(), guard.maxSources()), meters,
                        new RateLimitedLog(LoggerFactory.getLogger("property"), 5)),
                new UdpEchoHandler(meters)));
        InetSocketAddress sender = new InetSocketAddress("192.0.2.7", sourcePort);
        try {
            for (byte[] payload : payloads) {
                ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(payload), SERVER, sender));
                DatagramPacket reply = ch.readOutbound();
                if (sourcePort < MIN_SOURCE_PORT) {
                    assertThat(reply).as("no reply to a privileged source port").isNull();
                    continue;
                }
                if (payload.length == 0) {
                    assertThat(reply).as("no reply to an empty datagram, on any transport").isNull();
                    continue;
                }
                try {
                    assertThat(reply).isNotNull();
                    assertThat(reply.recipient()).isEqualTo(sender);
                    ByteBuf content = reply.content();
                    byte[] echoed = new byte[content.readableBytes()];
                    content.getBytes(content.readerIndex(), echoed);
                    assertThat(echoed).isEqualTo(payload);
                } finally {
                    reply.release();
                }
            }
            long empty = payloads.stream().filter(p -> p.length == 0).count();
            assertThat(meters.datagramsIn.count()).isEqualTo(payloads.size());
            assertThat(meters.datagramsOut.count()).as("a reply counted is a reply sent")
                    .isEqualTo(sourcePort < MIN_SOURCE_PORT ? 0 : payloads.size() - empty);
        } finally {
            ch.finishAndReleaseAll();
        }
    }
}
