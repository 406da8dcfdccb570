package io.inetkit.server.stream;

import io.inetkit.server.RateLimitedLog;
import io.inetkit.server.ServerSettings;
import io.inetkit.server.stream.StreamMeters.Rejection;
import io.inetkit.testing.InetEmbeddedChannel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PROXY pair on random chunkings of valid headers (v1, v2) followed by data, of the same headers with bytes
 * flipped or cut short, and of random bytes: nothing escapes the pipeline, nothing leaks (leak detection is
 * paranoid), and each connection ends exactly one way: admitted with every byte after the header passed on
 * unchanged, or closed and counted once.
 */
class ProxyHeaderProperties {

    private static final InetSocketAddress BALANCER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);

    private enum Kind { VALID, FLIPPED, TRUNCATED, RANDOM }

    private static byte[] header(boolean v2, String source, Random random) {
        if (!v2) {
            return ("PROXY TCP4 " + source + " 127.0.0.1 " + (1 + random.nextInt(65535)) + " 5005\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
        }
        EmbeddedChannel encoder = new EmbeddedChannel(HAProxyMessageEncoder.INSTANCE);
        encoder.writeOutbound(new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.PROXY,
                HAProxyProxiedProtocol.TCP4, source, "127.0.0.1", 1 + random.nextInt(65535), 5005));
        ByteBuf wire = encoder.readOutbound();
        encoder.finish();
        try {
            return ByteBufUtil.getBytes(wire);
        } finally {
            wire.release();
        }
    }

    @Property(tries = 500)
    void everyConnectionEndsOneWayAndNothingEscapes(@ForAll Kind kind, @ForAll boolean v2, @ForAll long seed)
            throws Exception {
        Random random = new Random(seed);
        String source = "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256);
        byte[] head = header(v2, source, random);
        byte[] data = new byte[random.nextInt(200)];
        random.nextBytes(data);
        byte[] wire = switch (kind) {
            case VALID -> concat(head, data);
            case FLIPPED -> {
                byte[] w = concat(head, data);
                int at = random.nextInt(head.length);
                w[at] ^= (byte) (1 + random.nextInt(255));
                yield w;
            }
            case TRUNCATED -> Arrays.copyOf(head, random.nextInt(head.length));
            case RANDOM -> data;
        };

        StreamMeters meters = TestMeters.proxied("tcp/5005");
        ServerSettings.Limits limits = ServerSettings.Limits.DEFAULT;
        ConnectionLimiter limiter = new ConnectionLimiter(limits);
        EmbeddedChannel ch = new InetEmbeddedChannel(BALANCER);
        ch.freezeTime();
        new ProxyHeaderHandler.Requirement(true, meters, limiter,
                new RateLimitedLog(LoggerFactory.getLogger("property"), 5), limits, TimeUnit.SECONDS.toNanos(5))
                .addTo(ch.pipeline());
        ByteArrayOutputStream passed = new ByteArrayOutputStream();
        try {
            for (int i = 0; i < wire.length && ch.isOpen(); ) {
                int n = Math.min(wire.length - i, 1 + random.nextInt(random.nextBoolean() ? 4 : 64));
                ch.writeInbound(Unpooled.wrappedBuffer(wire, i, n));
                i += n;
                drain(ch, passed);
            }
            ch.checkException();
            if (ch.isOpen()) {
                ch.advanceTimeBy(5, TimeUnit.SECONDS); // whatever has not made a header by now times out
                ch.runScheduledPendingTasks();
            }
            ch.close();
            drain(ch, passed);
            ch.checkException();
        } finally {
            ch.finishAndReleaseAll();
        }

        long refused = 0;
        for (Rejection r : new Rejection[] {Rejection.PROXY_HEADER_MALFORMED, Rejection.PROXY_HEADER_TIMEOUT,
                Rejection.DENIED, Rejection.MAX_CONNECTIONS_PER_IP}) {
            refused += (long) meters.rejected(r).count();
        }
        long accepted = (long) meters.accepted.count();
        // even a connection that sent nothing is counted here: it stayed open past the header timeout
        assertThat(accepted + refused).as("one end per connection").isEqualTo(1);
        if (kind == Kind.VALID) {
            assertThat(accepted).isEqualTo(1);
            assertThat(passed.toByteArray()).isEqualTo(data);
            assertThat(limiter.open(InetAddress.getByName(source))).as("the slot went back at the close").isZero();
        }
        if (accepted == 0) {
            assertThat(passed.size()).as("nothing passes a refused header").isZero();
        }
        assertThat(limiter.open(InetAddress.getLoopbackAddress())).as("the balancer holds no slot").isZero();
    }

    private static void drain(EmbeddedChannel ch, ByteArrayOutputStream sink) {
        for (ByteBuf b; (b = ch.readInbound()) != null; ) {
            sink.writeBytes(ByteBufUtil.getBytes(b));
            b.release();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
