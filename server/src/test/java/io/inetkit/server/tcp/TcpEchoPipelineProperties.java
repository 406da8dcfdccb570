package io.inetkit.server.tcp;

import io.inetkit.server.RateLimitedLog;
import io.inetkit.server.stream.HalfClosableChannel;
import io.inetkit.server.stream.ProxyHeaderHandler;
import io.inetkit.server.stream.StreamMeters;
import io.inetkit.server.stream.StreamMeters.FrameError;
import io.inetkit.server.stream.TestMeters;

import io.inetkit.common.framing.Framing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every TCP echo pipeline (every framing) on random chunkings of random and hostile input: split delimiters
 * and headers, lines over MAX, huge and negative length fields, a partial frame at EOF. What is echoed is
 * exactly the frames sent, nothing lost or altered; after a bad frame, the frames before it and one ERR
 * frame of the same framing (where it can carry text); the errors counted are the ones the framing says.
 */
class TcpEchoPipelineProperties {

    private static final int MAX = 64;

    @Provide
    Arbitrary<String> framings() {
        return Arbitraries.of("raw", "fixed:5", "line:" + MAX, "delimiter:\\0:" + MAX, "delimiter:END:" + MAX,
                "delimiter:\\r\\n:" + MAX, "length:1:" + MAX, "length:2:" + MAX, "length:4:" + MAX, "length:8:" + MAX);
    }

    /** What the test sent: the wire bytes, the frames the server must echo, and the hostile part, if any. */
    private record Input(byte[] wire, byte[] goodFrames, Hostile hostile, int partial) {
    }

    private enum Hostile { NONE, TOO_LONG, CORRUPT }

    @Property(tries = 400)
    void echoesExactlyTheFramesSent(@ForAll("framings") String spec, @ForAll long seed) {
        Framing framing = Framing.parse(spec);
        Random random = new Random(seed);
        Input in = input(framing, random);
        StreamMeters meters = TestMeters.of("tcp/5005");
        HalfClosableChannel ch = new HalfClosableChannel(new TcpEchoInitializer(framing, meters, Duration.ZERO,
                new RateLimitedLog(LoggerFactory.getLogger("property"), 5), ProxyHeaderHandler.Requirement.NONE));
        ByteArrayOutputStream echoed = new ByteArrayOutputStream();
        try {
            for (int i = 0; i < in.wire.length; ) {
                int n = Math.min(in.wire.length - i, 1 + random.nextInt(random.nextBoolean() ? 4 : 3 * MAX));
                ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(in.wire, i, i + n)));
                i += n;
                drain(ch, echoed);
            }
            ch.peerShutdown();
            drain(ch, echoed);
        } finally {
            ch.finishAndReleaseAll();
        }
        byte[] out = echoed.toByteArray();
        switch (in.hostile) {
            case NONE -> {
                assertThat(out).as("echo of %s", spec).isEqualTo(in.goodFrames);
                boolean incomplete = in.partial > 0 && !(framing instanceof Framing.Raw);
                assertThat(meters.frameErrorCount()).isEqualTo(incomplete ? 1 : 0);
                assertThat((long) meters.frameErrors(FrameError.INCOMPLETE).count()).isEqualTo(incomplete ? 1 : 0);
                assertThat((long) meters.discardedBytes.count()).isEqualTo(incomplete ? in.partial : 0);
                assertThat(ch.isOpen()).as("closed after the echoes at EOF").isFalse();
            }
            case TOO_LONG, CORRUPT -> {
                FrameError kind = in.hostile == Hostile.TOO_LONG ? FrameError.TOO_LONG : FrameError.CORRUPT;
                assertThat((long) meters.frameErrors(kind).count()).isEqualTo(1);
                assertThat(Arrays.copyOf(out, Math.min(out.length, in.goodFrames.length)))
                        .as("the frames before the bad one, unchanged").isEqualTo(in.goodFrames);
                byte[] err = Arrays.copyOfRange(out, in.goodFrames.length, out.length);
                assertThat(payloadOfOneFrame(framing, err)).as("one ERR frame of %s", spec)
                        .startsWith("ERR frame rejected: ");
            }
        }
    }

    private static void drain(HalfClosableChannel ch, ByteArrayOutputStream echoed) {
        for (ByteBuf b; (b = ch.readOutbound()) != null; b.release()) {
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            echoed.writeBytes(bytes);
        }
    }

    /** The payload of {@code frame}, which must be exactly one frame of {@code framing}. */
    private static String payloadOfOneFrame(Framing framing, byte[] frame) {
        byte[] payload;
        if (framing instanceof Framing.Length l) {
            long announced = 0;
            for (int i = 0; i < l.width(); i++) {
                announced = announced << 8 | (frame[i] & 0xff);
            }
            assertThat(announced).isEqualTo(frame.length - l.width());
            payload = Arrays.copyOfRange(frame, l.width(), frame.length);
        } else {
            byte[] delimiter = delimiter(framing);
            assertThat(Arrays.copyOfRange(frame, frame.length - delimiter.length, frame.length)).isEqualTo(delimiter);
            payload = Arrays.copyOf(frame, frame.length - delimiter.length);
            assertThat(indexOf(payload, delimiter)).as("one frame").isEqualTo(-1);
        }
        return new String(payload, StandardCharsets.US_ASCII);
    }

    private static byte[] delimiter(Framing framing) {
        return framing instanceof Framing.Delimiter d ? d.delimiter() : new byte[] {'\n'};
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        for (int i = 0; i + needle.length <= hay.length; i++) {
            if (Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    /** Up to 12 good frames; then maybe a bad one (and more frames after it), or maybe a partial frame. */
    private static Input input(Framing framing, Random random) {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ByteArrayOutputStream good = new ByteArrayOutputStream();
        int frames = random.nextInt(13);
        for (int i = 0; i < frames; i++) {
            byte[] f = frame(framing, random, random.nextInt(MAX + 1));
            wire.writeBytes(f);
            good.writeBytes(f);
        }
        if (framing instanceof Framing.Raw) {
            byte[] rest = new byte[random.nextInt(3 * MAX)];
            random.nextBytes(rest);
            wire.writeBytes(rest);
            good.writeBytes(rest);
            return new Input(wire.toByteArray(), good.toByteArray(), Hostile.NONE, rest.length);
        }
        Hostile hostile = framing.canCarryText() && random.nextInt(3) == 0 ? hostile(framing, random) : Hostile.NONE;
        if (hostile != Hostile.NONE) {
            wire.writeBytes(bad(framing, hostile, random));
            for (int i = random.nextInt(3); i > 0; i--) {
                wire.writeBytes(frame(framing, random, random.nextInt(MAX + 1)));
            }
            return new Input(wire.toByteArray(), good.toByteArray(), hostile, 0);
        }
        int partial = 0;
        if (random.nextBoolean()) {
            byte[] f = frame(framing, random, 1 + random.nextInt(MAX));
            // at most MAX bytes: more, and a delimited framing rightly calls it too long before the EOF
            partial = 1 + random.nextInt(Math.min(f.length - 1, MAX));
            wire.write(f, 0, partial);
        }
        return new Input(wire.toByteArray(), good.toByteArray(), Hostile.NONE, partial);
    }

    private static Hostile hostile(Framing framing, Random random) {
        return framing instanceof Framing.Length l && l.width() == 8 && random.nextBoolean()
                ? Hostile.CORRUPT : Hostile.TOO_LONG;
    }

    /** A frame over MAX, a length field announcing more than MAX, or a negative 8-byte length field. */
    private static byte[] bad(Framing framing, Hostile hostile, Random random) {
        if (framing instanceof Framing.Length l) {
            long announced = hostile == Hostile.CORRUPT ? Long.MIN_VALUE | random.nextInt(1000)
                    : MAX + 1 + random.nextInt(l.width() == 1 ? 255 - MAX : l.width() == 2 ? 65_535 - MAX : 1 << 30);
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int i = l.width() - 1; i >= 0; i--) {
                b.write((int) (announced >>> (8 * i)));
            }
            byte[] some = new byte[random.nextInt(MAX)];
            random.nextBytes(some);
            b.writeBytes(some);
            return b.toByteArray();
        }
        return frame(framing, random, MAX + 1 + random.nextInt(2 * MAX));
    }

    /** One frame of {@code framing} carrying {@code size} random bytes (none of them the delimiter's). */
    private static byte[] frame(Framing framing, Random random, int size) {
        if (framing instanceof Framing.Fixed f) {
            byte[] b = new byte[f.size()];
            random.nextBytes(b);
            return b;
        }
        if (framing instanceof Framing.Length l) {
            int n = l.width() == 1 ? Math.min(size, 255) : size;
            byte[] b = new byte[l.width() + n];
            for (int i = 0; i < l.width(); i++) {
                b[l.width() - 1 - i] = (byte) ((long) n >>> (8 * i));
            }
            byte[] payload = new byte[n];
            random.nextBytes(payload);
            System.arraycopy(payload, 0, b, l.width(), n);
            return b;
        }
        byte[] delimiter = framing instanceof Framing.Line && random.nextBoolean() ? new byte[] {'\r', '\n'}
                : delimiter(framing);
        byte[] b = new byte[size + delimiter.length];
        for (int i = 0; i < size; i++) {
            byte x;
            do {
                x = (byte) random.nextInt(256);
            } while (contains(delimiter, x) || x == '\r');
            b[i] = x;
        }
        System.arraycopy(delimiter, 0, b, size, delimiter.length);
        return b;
    }

    private static boolean contains(byte[] bytes, byte x) {
        for (byte b : bytes) {
            if (b == x) {
                return true;
            }
        }
        return false;
    }
}
