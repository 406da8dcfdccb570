package io.inetkit.common.framing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.LengthFieldPrepender;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Where one message ends and the next begins on a TCP stream: the five answers of the lecture, as a
 * parsed, immutable spec ({@code raw}, {@code fixed:N}, {@code line[:MAX]}, {@code delimiter:SEQ[:MAX]},
 * {@code length:W[:MAX]}).
 *
 * <p>A framing makes the two halves of a codec: a decoder that cuts the inbound stream into frames and an
 * encoder that turns a payload into a frame. The decoder can keep the framing bytes in each frame
 * ({@code keepFraming}): an echo server then writes the frame back as it came, byte for byte, with no
 * re-encoding. Clients strip them and see payloads.
 *
 * <pre>
 * raw            | any bytes ... until EOF |                       (no boundaries: RFC 862 echo)
 * fixed:5        | H e l l o | , _ W o r | l d ! 0 0 |             (every frame N bytes)
 * line           | H i \n | t h e r e \r \n |                      (\n or \r\n ends a frame)
 * delimiter:\0   | H i \0 | t h e r e \0 |                         (SEQ ends a frame)
 * length:2       | 00 02 H i | 00 05 t h e r e |                  (W-byte big-endian payload length)
 * </pre>
 *
 * MAX bounds the payload of one frame (default {@value #DEFAULT_MAX_FRAME} bytes); a longer one is an
 * error, raised as soon as the limit is passed rather than after buffering the whole frame.
 */
public sealed interface Framing permits PayloadIsFrame, Framing.Line, Framing.Delimiter, Framing.Length {

    /** The default MAX of {@code line}, {@code delimiter} and {@code length}. */
    int DEFAULT_MAX_FRAME = 8192;

    /** The canonical spec, such that {@code parse(f.spec()).equals(f)}. */
    String spec();

    /**
     * A new decoder for one connection, or {@code null} for {@code raw} (no decoding at all).
     *
     * @param keepFraming true to keep delimiters and length headers in each frame
     */
    ChannelHandler newDecoder(boolean keepFraming);

    /**
     * A new decoder for an echo of this framing, or {@code null} for {@code raw}: like
     * {@code newDecoder(true)} (framing bytes kept, the same checks and errors), but it may pass on the whole
     * frames that arrived together as one {@link FrameRun}, so the echo writes them back in one write.
     * {@code line} and {@code fixed} do; the others pass on one frame ({@link ByteBuf}) at a time.
     */
    default ChannelHandler newEchoDecoder() {
        return newDecoder(true);
    }

    /**
     * A new encoder turning each outbound {@link ByteBuf} payload into a frame, or {@code null} where the
     * payload is the frame ({@code raw}; {@code fixed}, whose payloads must already be N bytes).
     */
    ChannelHandler newEncoder();

    /** Wraps {@code payload} (released) into one frame; for framings without an encoder, returns it. */
    ByteBuf frame(ByteBufAllocator alloc, ByteBuf payload);

    /** True when a frame can carry a short error text to the peer ({@code ERR ...}). */
    default boolean canCarryText() {
        return true;
    }

    /** The frame that tells the peer "ERR text", where the framing can carry one. */
    default Optional<ByteBuf> errorFrame(ByteBufAllocator alloc, String text) {
        if (!canCarryText()) {
            return Optional.empty();
        }
        ByteBuf payload = alloc.buffer().writeBytes(("ERR " + text).getBytes(StandardCharsets.US_ASCII));
        return Optional.of(frame(alloc, payload));
    }

    /**
     * Parses a framing spec.
     *
     * @throws IllegalArgumentException naming what is wrong with {@code spec}
     */
    static Framing parse(String spec) {
        return FramingParser.parse(spec);
    }

    /** No framing: bytes are echoed as they arrive, until EOF. */
    record Raw() implements PayloadIsFrame {
        @Override
        public String spec() {
            return "raw";
        }

        @Override
        public ChannelHandler newDecoder(boolean keepFraming) {
            return null;
        }
    }

    /** Every frame is exactly {@code size} bytes ({@code fixed:N}). */
    record Fixed(int size) implements PayloadIsFrame {
        public Fixed {
            if (size <= 0) {
                throw new IllegalArgumentException("fixed frame size must be > 0: " + size);
            }
        }

        @Override
        public String spec() {
            return "fixed:" + size;
        }

        @Override
        public ChannelHandler newDecoder(boolean keepFraming) {
            return new ReportingFixedLengthFrameDecoder(size);
        }

        @Override
        public ChannelHandler newEchoDecoder() {
            return new FixedRunDecoder(size);
        }
    }

    /** Lines ended by {@code \n} or {@code \r\n} ({@code line[:MAX]}); the encoder appends {@code \n}. */
    record Line(int maxLength) implements Framing {
        public Line {
            FramingParser.checkMax(maxLength);
        }

        @Override
        public String spec() {
            return "line:" + maxLength;
        }

        @Override
        public ChannelHandler newDecoder(boolean keepFraming) {
            return new ReportingLineBasedFrameDecoder(maxLength, !keepFraming);
        }

        @Override
        public ChannelHandler newEchoDecoder() {
            return new LineRunDecoder(maxLength);
        }

        @Override
        public ChannelHandler newEncoder() {
            return new DelimiterAppender(Unpooled.wrappedBuffer(new byte[] {'\n'}));
        }

        @Override
        public ByteBuf frame(ByteBufAllocator alloc, ByteBuf payload) {
            return DelimiterAppender.append(alloc, payload, new byte[] {'\n'});
        }
    }

    /** Frames ended by a byte sequence ({@code delimiter:SEQ[:MAX]}), e.g. {@code \0} or {@code \r\n}. */
    record Delimiter(byte[] delimiter, int maxLength) implements Framing {
        public Delimiter {
            if (delimiter == null || delimiter.length == 0) {
                throw new IllegalArgumentException("delimiter must not be empty");
            }
            delimiter = delimiter.clone();
            FramingParser.checkMax(maxLength);
        }

        @Override
        public byte[] delimiter() {
            return delimiter.clone();
        }

        @Override
        public String spec() {
            return "delimiter:" + FramingParser.escape(delimiter) + ":" + maxLength;
        }

        @Override
        public ChannelHandler newDecoder(boolean keepFraming) {
            return new ReportingDelimiterBasedFrameDecoder(maxLength, !keepFraming, delimiter);
        }

        @Override
        public ChannelHandler newEncoder() {
            return new DelimiterAppender(Unpooled.wrappedBuffer(delimiter.clone()));
        }

        @Override
        public ByteBuf frame(ByteBufAllocator alloc, ByteBuf payload) {
            return DelimiterAppender.append(alloc, payload, delimiter);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Delimiter d && d.maxLength == maxLength
                    && Arrays.equals(d.delimiter, delimiter);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(delimiter) + maxLength;
        }

        @Override
        public String toString() {
            return spec();
        }
    }

    /**
     * A big-endian length header of {@code width} bytes (1, 2, 4 or 8) before each payload
     * ({@code length:W[:MAX]}). The header counts the payload only.
     *
     * <pre>
     * length:4   +----------------+------------------+
     *            | 00 00 00 0D    | Hello, World!    |
     *            +----------------+------------------+
     *              header (W=4)     payload (13 bytes)
     * </pre>
     */
    record Length(int width, int maxLength) implements Framing {
        public Length {
            if (width != 1 && width != 2 && width != 4 && width != 8) {
                throw new IllegalArgumentException("length header width must be 1, 2, 4 or 8: " + width);
            }
            FramingParser.checkMax(maxLength);
            long widest = width == 8 ? Long.MAX_VALUE : (1L << (8 * width)) - 1;
            if (maxLength > widest) {
                throw new IllegalArgumentException("max frame " + maxLength + " does not fit a " + width
                        + "-byte length header (at most " + widest + ")");
            }
        }

        @Override
        public String spec() {
            return "length:" + width + ":" + maxLength;
        }

        @Override
        public ChannelHandler newDecoder(boolean keepFraming) {
            return new ReportingLengthFieldBasedFrameDecoder(width, maxLength, keepFraming);
        }

        @Override
        public ChannelHandler newEncoder() {
            return new LengthFieldPrepender(width);
        }

        @Override
        public ByteBuf frame(ByteBufAllocator alloc, ByteBuf payload) {
            int length = payload.readableBytes();
            ByteBuf header = alloc.buffer(width);
            switch (width) {
                case 1 -> header.writeByte(length);
                case 2 -> header.writeShort(length);
                case 4 -> header.writeInt(length);
                default -> header.writeLong(length);
            }
            return alloc.compositeBuffer(2).addComponents(true, header, payload);
        }
    }
}
