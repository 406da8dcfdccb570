package io.inetkit.common.bench;

import io.inetkit.common.framing.FrameRun;
import io.inetkit.common.framing.Framing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DelimiterBasedFrameDecoder;
import io.netty.handler.codec.FixedLengthFrameDecoder;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.util.ReferenceCountUtil;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * ns per decoded frame of inetkit's framing decoders next to Netty's stock ones (framing bytes kept in the
 * frame). Each invocation decodes a batch of {@value #FRAMES} frames of 64-byte payloads that arrive in one
 * buffer, the common case on a busy connection. {@code inetkit} is {@code newDecoder(true)} (one message per
 * frame), {@code inetkit-echo} is {@code newEchoDecoder()}, what the echo server uses (one
 * {@link FrameRun} per read for {@code line} and {@code fixed}), {@code netty} the stock decoder.
 *
 * <p>Run with {@code bench/jmh-framing.sh}; it is not part of the test suite.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled"})
public class FramingDecoderBenchmark {

    static final int FRAMES = 1024;
    static final int PAYLOAD = 64;

    @Param({"fixed:64", "line", "delimiter:\\0", "length:4"})
    public String framing;

    @Param({"inetkit", "inetkit-echo", "netty"})
    public String decoder;

    private EmbeddedChannel channel;
    private Sink sink;
    private ByteBuf wire;

    @Setup(Level.Trial)
    public void setUp() {
        Framing f = Framing.parse(framing);
        ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
        wire = Unpooled.directBuffer();
        for (int i = 0; i < FRAMES; i++) {
            ByteBuf payload = alloc.buffer(PAYLOAD);
            for (int j = 0; j < PAYLOAD; j++) {
                payload.writeByte('a' + (i + j) % 26);
            }
            ByteBuf frame = f.frame(alloc, payload);
            wire.writeBytes(frame);
            frame.release();
        }
        ChannelHandler d = switch (decoder) {
            case "inetkit" -> f.newDecoder(true);
            case "inetkit-echo" -> f.newEchoDecoder();
            default -> stock(f);
        };
        sink = new Sink();
        channel = new EmbeddedChannel(d, sink);
    }

    private static ChannelHandler stock(Framing f) {
        if (f instanceof Framing.Fixed fixed) {
            return new FixedLengthFrameDecoder(fixed.size());
        } else if (f instanceof Framing.Line line) {
            return new LineBasedFrameDecoder(line.maxLength(), false, true);
        } else if (f instanceof Framing.Delimiter d) {
            return new DelimiterBasedFrameDecoder(d.maxLength(), false, true, Unpooled.wrappedBuffer(d.delimiter()));
        } else if (f instanceof Framing.Length l) {
            return new LengthFieldBasedFrameDecoder(l.maxLength() + l.width(), 0, l.width(), 0, 0);
        }
        throw new IllegalArgumentException(f.spec() + " has no decoder");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        channel.finishAndReleaseAll();
        wire.release();
        if (sink.frames % FRAMES != 0) {
            throw new IllegalStateException(decoder + " " + framing + ": " + sink.frames + " frames, not whole batches");
        }
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public void decode() {
        channel.writeInbound(wire.retainedDuplicate());
    }

    /** Consumes frames as the echo handler would: takes them (or a run of them) and lets go. */
    static final class Sink extends ChannelInboundHandlerAdapter {
        long frames;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            frames += msg instanceof FrameRun run ? run.frames() : 1;
            ReferenceCountUtil.release(msg);
        }
    }
}
