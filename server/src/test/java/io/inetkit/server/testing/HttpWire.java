package io.inetkit.server.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The client's side of an {@link EmbeddedChannel} that runs a server's HTTP pipeline: random-sized writes in,
 * the bytes on the wire out, and those bytes decoded as HTTP/1.1 responses. The HTTP and the admin
 * listeners' property tests share it.
 */
public final class HttpWire {

    /** One decoded response; {@code wellFormed} is false if the decoder found it malformed. */
    public record Answer(int status, String version, boolean wellFormed, boolean close, byte[] body) {

        public int bodyLength() {
            return body.length;
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private HttpWire() {
    }

    /** Writes {@code bytes} in pieces of 1..{@code maxPiece} bytes, stopping once the server has closed. */
    public static void sendInPieces(EmbeddedChannel ch, byte[] bytes, Random random, int maxPiece) {
        for (int i = 0; i < bytes.length && ch.isOpen(); ) {
            int n = Math.min(bytes.length - i, 1 + random.nextInt(random.nextBoolean() ? 8 : maxPiece));
            ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, i, i + n)));
            i += n;
            ch.runPendingTasks();
        }
    }

    /** Every outbound byte so far, the buffers released. */
    public static byte[] drain(EmbeddedChannel ch, ByteArrayOutputStream sink) {
        for (ByteBuf b; (b = ch.readOutbound()) != null; b.release()) {
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            sink.writeBytes(bytes);
        }
        return sink.toByteArray();
    }

    /**
     * {@code wire} decoded as HTTP/1.x responses; the {@code i}-th answers a HEAD request if {@code head[i]}
     * (no body follows its headers). Bytes left over that make no whole response are reported as a last
     * answer that is not well formed.
     */
    public static List<Answer> answers(byte[] wire, List<Boolean> head) {
        int[] index = {-1};
        HttpResponseDecoder decoder = new HttpResponseDecoder() {
            @Override
            protected HttpMessage createMessage(String[] initialLine) {
                index[0]++;
                return super.createMessage(initialLine);
            }

            @Override
            protected boolean isContentAlwaysEmpty(HttpMessage msg) {
                return index[0] < head.size() && head.get(index[0]) || super.isContentAlwaysEmpty(msg);
            }
        };
        EmbeddedChannel client = new EmbeddedChannel(decoder, new HttpObjectAggregator(1 << 24));
        List<Answer> answers = new ArrayList<>();
        try {
            client.writeInbound(Unpooled.wrappedBuffer(wire));
            for (FullHttpResponse r; (r = client.readInbound()) != null; r.release()) {
                answers.add(new Answer(r.status().code(), r.protocolVersion().text(), r.decoderResult().isSuccess(),
                        r.headers().contains("connection", "close", true), bytes(r.content())));
            }
            if (client.pipeline().first() != null && index[0] + 1 > answers.size()) {
                answers.add(new Answer(0, "", false, false, new byte[0])); // a response begun but not finished
            }
        } finally {
            client.finishAndReleaseAll();
        }
        return answers;
    }

    private static byte[] bytes(ByteBuf content) {
        byte[] b = new byte[content.readableBytes()];
        content.getBytes(content.readerIndex(), b);
        return b;
    }
}
