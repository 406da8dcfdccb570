package io.inetkit.server.http;

import io.inetkit.server.tls.Tls;
import io.inetkit.server.tls.TlsSettings;

import io.inetkit.server.EchoServer;
import io.inetkit.server.ServerSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Raw HTTP/2 frames over h2c, in the style of h2spec: each error is answered with the code RFC 9113 names
 * for it, a connection error by a GOAWAY that carries it, a stream error by a RST_STREAM that does.
 *
 * <pre>
 *  client: PRI * HTTP/2.0 ... | SETTINGS {} | the bad frame
 *  server: SETTINGS | SETTINGS ACK | ... | GOAWAY(last-stream-id, code)   or   RST_STREAM(stream, code)
 * </pre>
 */
class Http2ErrorCodesTest {

    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int DATA = 0;
    private static final int HEADERS = 1;
    private static final int PRIORITY = 2;
    private static final int RST_STREAM = 3;
    private static final int SETTINGS = 4;
    private static final int PING = 6;
    private static final int GOAWAY = 7;
    private static final int WINDOW_UPDATE = 8;
    private static final int CONTINUATION = 9;
    private static final int END_STREAM = 0x1;
    private static final int END_HEADERS = 0x4;
    private static final int PADDED = 0x8;
    private static final int PROTOCOL_ERROR = 0x1;
    private static final int FLOW_CONTROL_ERROR = 0x3;
    private static final int FRAME_SIZE_ERROR = 0x6;
    private static final int STREAM_CLOSED = 0x5;
    private static final int REFUSED_STREAM = 0x7;
    private static final int COMPRESSION_ERROR = 0x9;

    private static EchoServer server;
    private static int port;

    @BeforeAll
    static void start() {
        server = new EchoServer(ServerSettings.builder().http(0, Tls.none()).admin(null)
                .drainTimeout(Duration.ofSeconds(1)).build()).start();
        port = server.httpAddresses().get(0).getPort();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    /** A GET of / on {@code stream}, headers in one block: :method GET, :scheme http, :path /, :authority x. */
    private static byte[] get() {
        return new byte[] {(byte) 0x82, (byte) 0x86, (byte) 0x84, 0x41, 0x01, 'x'};
    }

    static Stream<Arguments> connectionErrors() {
        return Stream.of(
                Arguments.of("PING of length 7", frame(PING, 0, 0, new byte[7]), FRAME_SIZE_ERROR),
                Arguments.of("SETTINGS ACK with a payload", frame(SETTINGS, 0x1, 0, new byte[6]), FRAME_SIZE_ERROR),
                Arguments.of("SETTINGS_ENABLE_PUSH 2", frame(SETTINGS, 0, 0, setting(0x2, 2)), PROTOCOL_ERROR),
                Arguments.of("SETTINGS_MAX_FRAME_SIZE 16383", frame(SETTINGS, 0, 0, setting(0x5, 16383)), PROTOCOL_ERROR),
                Arguments.of("SETTINGS_INITIAL_WINDOW_SIZE 2^31", frame(SETTINGS, 0, 0, setting(0x4, 1L << 31)),
                        FLOW_CONTROL_ERROR),
                Arguments.of("SETTINGS on a stream", frame(SETTINGS, 0, 1, new byte[0]), PROTOCOL_ERROR),
                Arguments.of("WINDOW_UPDATE of 0 on the connection", frame(WINDOW_UPDATE, 0, 0, new byte[4]),
                        PROTOCOL_ERROR),
                Arguments.of("WINDOW_UPDATE of length 3", frame(WINDOW_UPDATE, 0, 0, new byte[3]), FRAME_SIZE_ERROR),
                Arguments.of("DATA on stream 0", frame(DATA, 0, 0, new byte[1]), PROTOCOL_ERROR),
                Arguments.of("HEADERS on stream 0", frame(HEADERS, END_HEADERS | END_STREAM, 0, get()), PROTOCOL_ERROR),
                Arguments.of("HEADERS on an even stream", frame(HEADERS, END_HEADERS | END_STREAM, 2, get()),
                        PROTOCOL_ERROR),
                // §5.1.1: a new stream's id exceeds every earlier one's
                Arguments.of("HEADERS on a stream id lower than a previous one", concat(
                        frame(HEADERS, END_HEADERS | END_STREAM, 5, get()),
                        frame(HEADERS, END_HEADERS | END_STREAM, 3, get())), PROTOCOL_ERROR),
                Arguments.of("CONTINUATION without HEADERS", frame(CONTINUATION, END_HEADERS, 1, get()), PROTOCOL_ERROR),
                Arguments.of("a garbage header block", frame(HEADERS, END_HEADERS | END_STREAM, 1,
                        new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}), COMPRESSION_ERROR),
                Arguments.of("GOAWAY on a stream", frame(GOAWAY, 0, 1, new byte[8]), PROTOCOL_ERROR),
                Arguments.of("RST_STREAM on stream 0", frame(RST_STREAM, 0, 0, new byte[4]), PROTOCOL_ERROR),
                Arguments.of("PRIORITY on stream 0", frame(PRIORITY, 0, 0, new byte[5]), PROTOCOL_ERROR),
                // §4.2: a frame over SETTINGS_MAX_FRAME_SIZE (16,384 by default)
                Arguments.of("DATA of 16,385 bytes", concat(frame(HEADERS, END_HEADERS, 1, post()),
                        frame(DATA, 0, 1, new byte[16_385])), FRAME_SIZE_ERROR),
                // §5.1: frames on an idle stream
                Arguments.of("DATA on an idle stream", frame(DATA, 0, 1, new byte[1]), PROTOCOL_ERROR),
                Arguments.of("WINDOW_UPDATE on an idle stream", frame(WINDOW_UPDATE, 0, 1, windowUpdate(1)),
                        PROTOCOL_ERROR),
                Arguments.of("RST_STREAM on an idle stream", frame(RST_STREAM, 0, 1, new byte[4]), PROTOCOL_ERROR),
                // §6.1, §6.2: padding as long as the payload or longer
                Arguments.of("DATA whose padding fills it", concat(frame(HEADERS, END_HEADERS, 1, post()),
                        frame(DATA, PADDED, 1, new byte[] {4, 0, 0, 0})), PROTOCOL_ERROR),
                Arguments.of("HEADERS whose padding fills it", frame(HEADERS, END_HEADERS | END_STREAM | PADDED, 1,
                        concat(new byte[] {(byte) (get().length + 1)}, get())), PROTOCOL_ERROR),
                // §6.4, §6.5, §6.7: wrong lengths and streams
                Arguments.of("RST_STREAM of length 3", concat(frame(HEADERS, END_HEADERS, 1, post()),
                        frame(RST_STREAM, 0, 1, new byte[3])), FRAME_SIZE_ERROR),
                Arguments.of("SETTINGS of length 5", frame(SETTINGS, 0, 0, new byte[5]), FRAME_SIZE_ERROR),
                Arguments.of("PING on a stream", frame(PING, 0, 1, new byte[8]), PROTOCOL_ERROR),
                // §6.9: the connection window past 2^31-1
                Arguments.of("a connection window over 2^31-1", concat(frame(WINDOW_UPDATE, 0, 0, windowUpdate(0x7fffffff)),
                        frame(WINDOW_UPDATE, 0, 0, windowUpdate(0x7fffffff))), FLOW_CONTROL_ERROR),
                // §6.10: a header block interrupted by another frame
                Arguments.of("HEADERS, then a frame other than CONTINUATION", concat(
                        frame(HEADERS, END_STREAM, 1, get()), frame(PING, 0, 0, new byte[8])), PROTOCOL_ERROR),
                Arguments.of("CONTINUATION on another stream", concat(frame(HEADERS, END_STREAM, 1, get()),
                        frame(CONTINUATION, END_HEADERS, 3, new byte[0])), PROTOCOL_ERROR));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("connectionErrors")
    void aConnectionErrorIsAGoAwayWithItsCode(String what, byte[] bad, int code) throws IOException {
        try (Socket s = open()) {
            s.getOutputStream().write(bad);
            int[] answer = awaitFrame(s, GOAWAY);
            assertThat(answer).as("%s: a GOAWAY", what).isNotNull();
            assertThat(answer[1]).as("%s: the GOAWAY's error code", what).isEqualTo(code);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streamErrors")
    void aStreamErrorIsARstStreamWithItsCode(String what, byte[] bad, int code) throws IOException {
        try (Socket s = open()) {
            s.getOutputStream().write(bad);
            int[] answer = awaitFrame(s, RST_STREAM);
            assertThat(answer).as("%s: a RST_STREAM", what).isNotNull();
            assertThat(answer[1]).as("%s: the RST_STREAM's error code", what).isEqualTo(code);
        }
    }

    static Stream<Arguments> streamErrors() {
        byte[] noPath = {(byte) 0x82, (byte) 0x86, 0x41, 0x01, 'x'};
        // content-length 3, then 5 bytes of DATA, or 1, that end the stream
        byte[] contradicted = concat(frame(HEADERS, END_HEADERS, 1, post()), frame(DATA, END_STREAM, 1, new byte[5]));
        byte[] shortBody = concat(frame(HEADERS, END_HEADERS, 1, post()), frame(DATA, END_STREAM, 1, new byte[1]));
        return Stream.of(
                Arguments.of("DATA beyond the content-length", contradicted, PROTOCOL_ERROR),
                Arguments.of("DATA short of the content-length", shortBody, PROTOCOL_ERROR),
                Arguments.of("a request without :path", frame(HEADERS, END_HEADERS | END_STREAM, 1, noPath),
                        PROTOCOL_ERROR),
                // §8.2.1, §8.2.2, §8.3: malformed header sections
                Arguments.of("an upper-case header name", headers(concat(get(), literal("Foo", "1"))), PROTOCOL_ERROR),
                Arguments.of("a pseudo-header after a regular one", headers(concat(
                        new byte[] {(byte) 0x82, (byte) 0x86}, concat(literal("foo", "1"),
                                new byte[] {(byte) 0x84, 0x41, 0x01, 'x'}))), PROTOCOL_ERROR),
                Arguments.of("an unknown pseudo-header", headers(concat(get(), literal(":foo", "1"))), PROTOCOL_ERROR),
                Arguments.of("a connection-specific header", headers(concat(get(), literal("connection", "keep-alive"))),
                        PROTOCOL_ERROR),
                Arguments.of("TE other than trailers", headers(concat(get(), literal("te", "gzip"))), PROTOCOL_ERROR),
                Arguments.of("a response pseudo-header in a request", headers(concat(get(), new byte[] {(byte) 0x88})),
                        PROTOCOL_ERROR),
                Arguments.of("a trailer with a pseudo-header", concat(frame(HEADERS, END_HEADERS, 1, post()),
                        frame(HEADERS, END_HEADERS | END_STREAM, 1, new byte[] {(byte) 0x84})), PROTOCOL_ERROR),
                // §6.9: a stream window past 2^31-1
                Arguments.of("a stream window over 2^31-1", concat(frame(HEADERS, END_HEADERS, 1, post()),
                        frame(WINDOW_UPDATE, 0, 1, windowUpdate(0x7fffffff))), FLOW_CONTROL_ERROR),
                Arguments.of("WINDOW_UPDATE of 0 on a stream", concat(frame(HEADERS, END_HEADERS, 1, post()),
                        frame(WINDOW_UPDATE, 0, 1, windowUpdate(0))), PROTOCOL_ERROR),
                Arguments.of("PRIORITY of length 4", concat(frame(HEADERS, END_HEADERS, 1, post()),
                        frame(PRIORITY, 0, 1, new byte[4])), FRAME_SIZE_ERROR),
                Arguments.of("a stream that depends on itself",
                        frame(PRIORITY, 0, 1, new byte[] {0, 0, 0, 1, 16}), PROTOCOL_ERROR));
    }

    /** §5.1: HEADERS on a stream both ends have closed is a connection error STREAM_CLOSED. */
    @Test
    void headersOnAClosedStreamIsAConnectionError() throws IOException {
        try (Socket s = open()) {
            s.getOutputStream().write(frame(HEADERS, END_HEADERS | END_STREAM, 1, get()));
            awaitEndOfStream(s, 1);
            s.getOutputStream().write(frame(HEADERS, END_HEADERS | END_STREAM, 1, get()));
            int[] goAway = awaitFrame(s, GOAWAY);
            assertThat(goAway).as("a GOAWAY").isNotNull();
            assertThat(goAway[1]).isEqualTo(STREAM_CLOSED);
        }
    }

    /**
     * §5.4.2: frames the client sent before the server's RST_STREAM reached it are expected: trailers on a stream
     * the server reset get a RST_STREAM again, and the connection lives on.
     */
    @Test
    void trailersOnAStreamTheServerResetKeepTheConnection() throws IOException {
        try (Socket s = open()) {
            // content-length 3 and 5 bytes of DATA: the server resets stream 1 (PROTOCOL_ERROR)
            s.getOutputStream().write(concat(frame(HEADERS, END_HEADERS, 1, post()), frame(DATA, 0, 1, new byte[5])));
            assertThat(awaitFrame(s, RST_STREAM)).isNotNull();
            s.getOutputStream().write(frame(HEADERS, END_HEADERS | END_STREAM, 1, literal("x-trailer", "1")));
            s.getOutputStream().write(frame(HEADERS, END_HEADERS | END_STREAM, 3, get()));
            int[] answer = awaitFrame(s, HEADERS);
            assertThat(answer).as("stream 3 answered: no GOAWAY").isNotNull();
            assertThat(answer[0]).isEqualTo(3);
        }
    }

    /** Reads frames until one on {@code stream} with END_STREAM. */
    private static void awaitEndOfStream(Socket s, int stream) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        while (true) {
            int length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
            int type = in.readUnsignedByte();
            int flags = in.readUnsignedByte();
            int id = in.readInt() & 0x7fffffff;
            in.readFully(new byte[length]);
            if (id == stream && (type == HEADERS || type == DATA) && (flags & END_STREAM) != 0) {
                return;
            }
        }
    }

    /**
     * §6.8: a GOAWAY's last-stream-id covers every stream the server may have acted on: here stream 1,
     * answered before the error. After an error in a frame or a header block Netty names 2^31-1, on purpose
     * (netty#10670: the error may come before the stream count is updated); §6.8 allows it ("might have taken
     * some action on"), and it only makes a client retry less. A choice we keep, and say in server/README.
     */
    @Test
    void theGoAwayCoversTheStreamsTakenUp() throws IOException {
        try (Socket s = open()) {
            s.getOutputStream().write(frame(HEADERS, END_HEADERS | END_STREAM, 1, get()));
            assertThat(awaitFrame(s, HEADERS)).as("stream 1 answered").isNotNull();
            s.getOutputStream().write(frame(PING, 0, 0, new byte[7]));
            int[] goAway = awaitFrame(s, GOAWAY);
            assertThat(goAway[1]).isEqualTo(FRAME_SIZE_ERROR);
            assertThat(goAway[0]).as("last-stream-id").isGreaterThanOrEqualTo(1);
        }
    }

    /**
     * Streams that open and never finish are bounded by SETTINGS_MAX_CONCURRENT_STREAMS (100): the 101st and
     * later are refused (§5.1.2, RST_STREAM REFUSED_STREAM), and the connection stays up for the others.
     */
    @Test
    void openStreamsPastTheLimitAreRefused() throws IOException {
        try (Socket s = open()) {
            ByteArrayOutputStream streams = new ByteArrayOutputStream();
            for (int i = 0; i < 120; i++) {
                streams.writeBytes(frame(HEADERS, END_HEADERS, 1 + 2 * i, post())); // a body announced, never sent
            }
            s.getOutputStream().write(streams.toByteArray());
            int[] refused = awaitFrame(s, RST_STREAM);
            assertThat(refused).as("a RST_STREAM").isNotNull();
            assertThat(refused[0]).as("the first refused stream").isEqualTo(1 + 2 * 100);
            assertThat(refused[1]).as("its code").isEqualTo(REFUSED_STREAM);
            byte[] ping = {8, 7, 6, 5, 4, 3, 2, 1};
            s.getOutputStream().write(frame(PING, 0, 0, ping));
            assertThat(awaitFrame(s, PING)).as("the connection still answers").isNotNull();
        }
    }

    /** §4.1, §5.5, §6.5.2: what a receiver must ignore leaves the connection as it was. */
    static Stream<Arguments> ignored() {
        return Stream.of(
                Arguments.of("a frame of an unknown type", frame(0xfa, 0, 0, new byte[3])),
                Arguments.of("an unknown setting", frame(SETTINGS, 0, 0, setting(0xfe, 7))),
                Arguments.of("unknown flags on a PING", frame(PING, 0xf0, 0, new byte[8])),
                Arguments.of("PRIORITY on an idle stream", frame(PRIORITY, 0, 9, new byte[] {0, 0, 0, 0, 16})));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ignored")
    void whatMustBeIgnoredIsIgnored(String what, byte[] frame) throws IOException {
        try (Socket s = open()) {
            byte[] ping = {1, 2, 3, 4, 5, 6, 7, 8};
            s.getOutputStream().write(concat(frame, frame(PING, 0, 0, ping)));
            int[] ack = awaitFrame(s, PING);
            assertThat(ack).as("%s: the PING after it is answered, and no GOAWAY came first", what).isNotNull();
        }
    }

    private static Socket open() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(10_000);
        s.getOutputStream().write(PREFACE);
        s.getOutputStream().write(frame(SETTINGS, 0, 0, new byte[0]));
        return s;
    }

    /**
     * Reads frames until one of {@code type}: {stream id, error code}, for a GOAWAY {last-stream-id, error
     * code}; or null at the end of the connection.
     */
    private static int[] awaitFrame(Socket s, int type) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        try {
            while (true) {
                int length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
                int t = in.readUnsignedByte();
                in.readUnsignedByte();
                int stream = in.readInt() & 0x7fffffff;
                byte[] payload = new byte[length];
                in.readFully(payload);
                if (t == type) {
                    ByteBuffer p = ByteBuffer.wrap(payload);
                    return type == GOAWAY ? new int[] {p.getInt(0) & 0x7fffffff, p.getInt(4)}
                            : new int[] {stream, payload.length >= 4 ? p.getInt(0) : 0};
                }
            }
        } catch (EOFException e) {
            return null;
        }
    }

    /** POST / with content-length: 3 (literal, indexed name 28), the stream left open. */
    private static byte[] post() {
        return new byte[] {(byte) 0x83, (byte) 0x86, (byte) 0x84, 0x41, 0x01, 'x', 0x5c, 0x01, '3'};
    }

    /** A whole request in one HEADERS frame on stream 1. */
    private static byte[] headers(byte[] block) {
        return frame(HEADERS, END_HEADERS | END_STREAM, 1, block);
    }

    /** A header field as a literal with a new name, not indexed (RFC 7541 §6.2.2), without Huffman coding. */
    private static byte[] literal(String name, String value) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x00);
        b.write(name.length());
        b.writeBytes(name.getBytes(StandardCharsets.US_ASCII));
        b.write(value.length());
        b.writeBytes(value.getBytes(StandardCharsets.US_ASCII));
        return b.toByteArray();
    }

    private static byte[] windowUpdate(int increment) {
        return ByteBuffer.allocate(4).putInt(increment).array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static byte[] setting(int id, long value) {
        return ByteBuffer.allocate(6).putShort((short) id).putInt((int) value).array();
    }

    private static byte[] frame(int type, int flags, int stream, byte[] payload) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(payload.length >>> 16);
        b.write(payload.length >>> 8);
        b.write(payload.length);
        b.write(type);
        b.write(flags);
        b.writeBytes(ByteBuffer.allocate(4).putInt(stream).array());
        b.writeBytes(payload);
        return b.toByteArray();
    }
}
