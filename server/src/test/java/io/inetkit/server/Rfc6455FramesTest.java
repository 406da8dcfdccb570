package io.inetkit.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The WebSocket listener against raw frames, table-driven over the families of the Autobahn test suite
 * (RFC 6455 §5 and §7): what each sequence of client frames must get back, to the byte and to the close code.
 *
 * <pre>
 *   FIN RSV OPCODE | MASK LEN | [EXT LEN] | MASK KEY | PAYLOAD (xor key)
 *   0x81           | 0x85     |           | 37 fa 21 3d | 7f 9f 4d 51 58     masked text "Hello"
 * </pre>
 */
class Rfc6455FramesTest {

    static final int MAX_MESSAGE = 1024;
    /** What a case expects when the server closes the TCP connection without a close frame. */
    static final String DROPPED = "dropped";
    private static EchoServer server;
    private static int port;

    @BeforeAll
    static void start() {
        server = new EchoServer(ServerSettings.builder().ioThreads(1).drainTimeout(Duration.ofSeconds(1))
                .ws(new ServerSettings.WsListener(0, "/echo", MAX_MESSAGE, false, false)).build()).start();
        port = server.wsAddresses().get(0).getPort();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    /** A frame as the client sends it: masked unless {@code masked} is false. */
    record Frame(int firstByte, byte[] payload, boolean masked) {
        static Frame of(int firstByte, byte[] payload) {
            return new Frame(firstByte, payload, true);
        }

        static Frame text(String s) {
            return of(0x81, s.getBytes(StandardCharsets.UTF_8));
        }

        static Frame close(int code) {
            return of(0x88, new byte[] {(byte) (code >> 8), (byte) code});
        }
    }

    /** What came back: a data or control frame (opcode and payload), or a close with its code. */
    record Got(int opcode, byte[] payload) {
        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }

        @Override
        public String toString() {
            return opcode == 8 ? "close " + closeCode() : "opcode " + opcode + " " + new String(payload, StandardCharsets.UTF_8);
        }
    }

    static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    static byte[] repeat(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) 'a');
        return b;
    }

    /** Each case: its name, the frames sent, what must come back (the last one a close, when one is due). */
    static Stream<Arguments> cases() {
        List<Arguments> c = new ArrayList<>();
        // echo, and the length encodings: 7 bits, 16 bits (126), fragmentation
        c.add(Arguments.of("text echoed", List.of(Frame.text("Hello")), List.of("opcode 1 Hello")));
        c.add(Arguments.of("binary of 200 bytes (16-bit length) echoed", List.of(Frame.of(0x82, repeat(200))),
                List.of("opcode 2 " + "a".repeat(200))));
        c.add(Arguments.of("empty text echoed", List.of(Frame.text("")), List.of("opcode 1 ")));
        c.add(Arguments.of("fragments reassembled, a ping between them answered first",
                List.of(Frame.of(0x01, "Hel".getBytes()), Frame.of(0x89, "p".getBytes()), Frame.of(0x80, "lo".getBytes())),
                List.of("opcode 10 p", "opcode 1 Hello")));
        c.add(Arguments.of("ping answered with a pong of its payload", List.of(Frame.of(0x89, repeat(125))),
                List.of("opcode 10 " + "a".repeat(125))));
        c.add(Arguments.of("an unsolicited pong is ignored", List.of(Frame.of(0x8a, "x".getBytes()), Frame.text("after")),
                List.of("opcode 1 after")));
        // masking
        c.add(Arguments.of("unmasked client frame", List.of(new Frame(0x81, "Hello".getBytes(), false)), List.of("close 1002")));
        // control frames
        c.add(Arguments.of("ping of 126 bytes", List.of(Frame.of(0x89, repeat(126))), List.of("close 1002")));
        c.add(Arguments.of("fragmented ping", List.of(Frame.of(0x09, "p".getBytes())), List.of("close 1002")));
        c.add(Arguments.of("close with 1 byte of payload", List.of(Frame.of(0x88, bytes(0x03))), List.of("close 1002")));
        // reserved bits and opcodes
        for (int rsv : new int[] {0x40, 0x20, 0x10}) {
            c.add(Arguments.of("reserved bit " + Integer.toHexString(rsv) + " without an extension",
                    List.of(Frame.of(0x81 | rsv, "x".getBytes())), List.of("close 1002")));
        }
        for (int op : new int[] {3, 4, 5, 6, 7, 0xb, 0xc, 0xd, 0xe, 0xf}) {
            c.add(Arguments.of("reserved opcode " + op, List.of(Frame.of(0x80 | op, new byte[0])), List.of("close 1002")));
        }
        // close codes: valid ones answered with themselves, invalid ones a protocol error
        for (int code : new int[] {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999}) {
            c.add(Arguments.of("close " + code + " answered", List.of(Frame.close(code)), List.of("close " + code)));
        }
        c.add(Arguments.of("close without a code answered without one", List.of(Frame.of(0x88, new byte[0])), List.of("close 1005")));
        // Codes below 3000 that are not assigned: Netty's decoder fails the connection without a close frame of
        // its own, since the peer has already closed (RFC 6455 §7.1.7 allows either; Autobahn accepts both).
        // Codes from 5000 up pass Netty's check, and the echo handler answers them with 1002.
        for (int code : new int[] {0, 999, 1004, 1005, 1006, 1015, 1016, 2999}) {
            c.add(Arguments.of("invalid close code " + code, List.of(Frame.close(code)), List.of(DROPPED)));
        }
        for (int code : new int[] {5000, 65535}) {
            c.add(Arguments.of("invalid close code " + code, List.of(Frame.close(code)), List.of("close 1002")));
        }
        // fragmentation
        c.add(Arguments.of("continuation with no message started", List.of(Frame.of(0x80, "x".getBytes())), List.of("close 1002")));
        c.add(Arguments.of("a new message inside a fragmented one",
                List.of(Frame.of(0x01, "a".getBytes()), Frame.text("b")), List.of("close 1002")));
        // UTF-8
        c.add(Arguments.of("invalid UTF-8", List.of(Frame.of(0x81, bytes(0xce, 0xba, 0xe1, 0xbd, 0xb9, 0xcf, 0x83, 0xce,
                0xbc, 0xce, 0xb5, 0xed, 0xa0, 0x80, 0x65, 0x64, 0x69, 0x74, 0x65, 0x64))), List.of("close 1007")));
        c.add(Arguments.of("invalid UTF-8 split across fragments",
                List.of(Frame.of(0x01, bytes(0x61, 0xe2, 0x82)), Frame.of(0x80, bytes(0x28))), List.of("close 1007")));
        c.add(Arguments.of("valid UTF-8 split inside a character echoed",
                List.of(Frame.of(0x01, bytes(0xe2, 0x82)), Frame.of(0x80, bytes(0xac))), List.of("opcode 1 \u20ac")));
        // sizes
        c.add(Arguments.of("one frame over --ws-max-message", List.of(Frame.of(0x82, repeat(MAX_MESSAGE + 1))), List.of("close 1009")));
        c.add(Arguments.of("fragments adding up to over --ws-max-message",
                List.of(Frame.of(0x02, repeat(MAX_MESSAGE / 2 + 1)), Frame.of(0x80, repeat(MAX_MESSAGE / 2 + 1))),
                List.of("close 1009")));
        c.add(Arguments.of("a message of exactly --ws-max-message echoed", List.of(Frame.of(0x82, repeat(MAX_MESSAGE))),
                List.of("opcode 2 " + "a".repeat(MAX_MESSAGE))));
        return c.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void framesGetWhatRfc6455Says(String name, List<Frame> frames, List<String> expected) throws IOException {
        try (Socket s = upgrade(port, "/echo", null)) {
            OutputStream out = s.getOutputStream();
            Random random = new Random(name.hashCode());
            for (Frame f : frames) {
                out.write(encode(f, random));
            }
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            if (expected.equals(List.of(DROPPED))) {
                assertClosed(in); // without a frame
                return;
            }
            List<String> got = new ArrayList<>();
            for (int i = 0; i < expected.size(); i++) {
                Got g = read(in);
                got.add(g.toString());
                if (g.opcode() == 8) {
                    break;
                }
            }
            assertThat(got).isEqualTo(expected);
            if (expected.get(expected.size() - 1).startsWith("close")) {
                // after its close frame the server closes the TCP connection: nothing more comes
                assertClosed(in);
            }
        }
    }

    /**
     * The server has closed the connection: an end of stream, or a reset where it closed with some of our
     * frame still unread (a frame refused from its header on: the kernel answers the rest with RST).
     */
    static void assertClosed(InputStream in) throws IOException {
        try {
            assertThat(in.read()).as("nothing after the close").isEqualTo(-1);
        } catch (java.net.SocketException e) {
            assertThat(e.getMessage()).containsIgnoringCase("reset");
        }
    }

    /** Opens a connection and does the opening handshake on {@code path}; fails unless the answer is 101. */
    static Socket upgrade(int port, String path, String extensions) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return upgrade(s, port, path, extensions);
    }

    /** The opening handshake on a connected socket (a TLS one for wss). */
    static Socket upgrade(Socket s, int port, String path, String extensions) throws IOException {
        s.setSoTimeout(5000);
        String key = Base64.getEncoder().encodeToString("the sample nonce".getBytes(StandardCharsets.US_ASCII));
        String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
                + (extensions == null ? "" : "Sec-WebSocket-Extensions: " + extensions + "\r\n") + "\r\n";
        s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        String head = readHead(s.getInputStream());
        assertThat(head).startsWith("HTTP/1.1 101 ");
        // RFC 6455 §1.3: the accept value of the RFC's own sample nonce
        assertThat(head).containsIgnoringCase("sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        lastHead = head;
        return s;
    }

    /** The response head of the last {@link #upgrade}. */
    static String lastHead;

    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                break;
            }
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    static byte[] encode(Frame f, Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(f.firstByte());
        int len = f.payload().length;
        int mask = f.masked() ? 0x80 : 0;
        if (len <= 125) {
            out.write(mask | len);
        } else if (len <= 0xffff) {
            out.write(mask | 126);
            out.write(len >> 8);
            out.write(len);
        } else {
            out.write(mask | 127);
            for (int i = 7; i >= 0; i--) {
                out.write((int) ((long) len >> (8 * i)));
            }
        }
        byte[] key = new byte[4];
        random.nextBytes(key);
        if (f.masked()) {
            out.writeBytes(key);
        }
        for (int i = 0; i < len; i++) {
            out.write(f.masked() ? f.payload()[i] ^ key[i % 4] : f.payload()[i]);
        }
        return out.toByteArray();
    }

    /** One server frame; a server's frames are never masked (RFC 6455 §5.1). */
    static Got read(DataInputStream in) throws IOException {
        int b0;
        int b1;
        try {
            b0 = in.readUnsignedByte();
            b1 = in.readUnsignedByte();
        } catch (EOFException | SocketTimeoutException e) {
            throw new AssertionError("no frame came back: " + e);
        }
        assertThat(b1 & 0x80).as("a server frame is not masked").isZero();
        long len = b1 & 0x7f;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
        return new Got(b0 & 0x0f, payload);
    }
}
