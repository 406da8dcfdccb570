package io.inetkit.server.tcp;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.inetkit.server.RateLimitedLog;
import io.inetkit.server.stream.GracefulClose;
import io.inetkit.server.stream.HalfClosableChannel;
import io.inetkit.server.stream.ProxyHeaderHandler;
import io.inetkit.server.stream.StreamMeters;
import io.inetkit.server.stream.StreamMeters.FrameError;
import io.inetkit.server.stream.TestMeters;

import io.inetkit.common.framing.Framing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Each kind of frame error: its log line, its ERR frame (in the connection's framing), its count, its close. */
class FrameErrorHandlerTest {

    private final Logger logger = (Logger) FrameErrorHandler.log;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final StreamMeters meters = TestMeters.of("tcp/5005");
    private HalfClosableChannel ch;

    @BeforeEach
    void attach() {
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.DEBUG);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(appender);
        logger.setLevel(null);
        if (ch != null) {
            ch.finishAndReleaseAll();
        }
    }

    private HalfClosableChannel connection(String framing) {
        ch = new HalfClosableChannel(new TcpEchoInitializer(Framing.parse(framing), meters, Duration.ZERO,
                new RateLimitedLog(logger, 5), ProxyHeaderHandler.Requirement.NONE));
        return ch;
    }

    private void send(byte[] bytes) {
        ch.writeInbound(Unpooled.wrappedBuffer(bytes));
        ch.runPendingTasks();
    }

    private byte[] outbound() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuf b; (b = ch.readOutbound()) != null; b.release()) {
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    private List<String> lines(Level level) {
        return appender.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    private long count(FrameError kind) {
        return (long) meters.frameErrors(kind).count();
    }

    private void assertLingering() {
        assertThat(GracefulClose.isClosing(ch)).isTrue();
        assertThat(ch.isOutputShutdown()).as("FIN after the ERR").isTrue();
        assertThat(ch.isOpen()).as("lingers for the peer's close").isTrue();
    }

    @Test
    void aLineOverMaxIsOneWarnLineAnErrLineACountAndALingeringClose() {
        connection("line:8");
        send("ok\n0123456789abcdef\n".getBytes(StandardCharsets.US_ASCII));
        String out = new String(outbound(), StandardCharsets.US_ASCII);
        assertThat(out).startsWith("ok\nERR frame rejected: ").endsWith("\n");
        assertThat(out.substring(3).indexOf('\n')).as("the ERR is one line").isEqualTo(out.length() - 4);
        assertThat(lines(Level.WARN)).singleElement().asString().startsWith("tcp/5005 embedded: ")
                .contains("(8)").endsWith("; closing");
        assertThat(count(FrameError.TOO_LONG)).isEqualTo(1);
        assertLingering();
    }

    @Test
    void aDelimitedFrameOverMaxGetsAnErrFrameEndingWithTheDelimiter() {
        connection("delimiter:END:8");
        send("0123456789abcdefEND".getBytes(StandardCharsets.US_ASCII));
        String out = new String(outbound(), StandardCharsets.US_ASCII);
        assertThat(out).startsWith("ERR frame rejected: ").endsWith("END");
        assertThat(count(FrameError.TOO_LONG)).isEqualTo(1);
        assertLingering();
    }

    @Test
    void aLengthFieldOverMaxGetsALengthPrefixedErr() {
        connection("length:2:16");
        send(new byte[] {0x00, 0x20, 'x'});
        byte[] out = outbound();
        int announced = ((out[0] & 0xff) << 8) | (out[1] & 0xff);
        assertThat(announced).isEqualTo(out.length - 2);
        assertThat(new String(out, 2, out.length - 2, StandardCharsets.US_ASCII)).startsWith("ERR frame rejected: ");
        assertThat(count(FrameError.TOO_LONG)).isEqualTo(1);
        assertThat(lines(Level.WARN)).singleElement().asString().endsWith("; closing");
        assertLingering();
    }

    @Test
    void aNegativeLengthFieldIsCorrupt() {
        connection("length:8");
        send(new byte[] {(byte) 0x80, 0, 0, 0, 0, 0, 0, 0});
        byte[] out = outbound();
        assertThat(new String(out, 8, out.length - 8, StandardCharsets.US_ASCII))
                .startsWith("ERR frame rejected: negative length field");
        assertThat(count(FrameError.CORRUPT)).isEqualTo(1);
        assertThat(count(FrameError.TOO_LONG)).isZero();
        assertLingering();
    }

    @Test
    void anUnfinishedFrameAtEofIsOneWarnLineAndTheConnectionFinishesAsUsual() {
        connection("fixed:4");
        send("abcdef".getBytes(StandardCharsets.US_ASCII));
        ch.peerShutdown();
        assertThat(new String(outbound(), StandardCharsets.US_ASCII)).isEqualTo("abcd");
        assertThat(count(FrameError.INCOMPLETE)).isEqualTo(1);
        assertThat(meters.discardedBytes.count()).isEqualTo(2);
        assertThat(lines(Level.WARN)).singleElement().asString().contains("2 bytes");
        assertThat(GracefulClose.isClosing(ch)).as("not an error close").isFalse();
        assertThat(ch.isOpen()).as("closed after the echoes, as at any EOF").isFalse();
    }

    @Test
    void aFramingThatCannotCarryTextGetsNoErrFrame() {
        connection("fixed:4");
        ch.pipeline().fireExceptionCaught(new DecoderException(new IllegalStateException("boom")));
        ch.runPendingTasks();
        assertThat(outbound()).isEmpty();
        assertThat(count(FrameError.OTHER)).isEqualTo(1);
        assertThat(lines(Level.WARN)).singleElement().asString()
                .as("the decoder's own error, not its wrapper").isEqualTo("tcp/5005 embedded: boom; closing");
        assertLingering();
    }

    @Test
    void aBadFrameOfAClosingConnectionIsOnlyDebug() {
        connection("line:8");
        GracefulClose.close(ch, null, Duration.ofSeconds(2));
        ch.runPendingTasks();
        send("0123456789abcdef\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(outbound()).isEmpty();
        assertThat(lines(Level.WARN)).isEmpty();
        assertThat(lines(Level.DEBUG)).anySatisfy(l -> assertThat(l).contains("while closing"));
        assertThat(meters.frameErrorCount()).isZero();
    }

    @Test
    void aResetIsDebugAndCloses() {
        connection("line");
        ch.pipeline().fireExceptionCaught(new IOException("Connection reset by peer"));
        assertThat(lines(Level.WARN)).isEmpty();
        assertThat(lines(Level.DEBUG)).singleElement().asString().contains("Connection reset by peer");
        assertThat(meters.frameErrorCount()).isZero();
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void anUnexpectedErrorIsAWarnLineAndCloses() {
        connection("line");
        ch.pipeline().fireExceptionCaught(new IllegalStateException("bug"));
        assertThat(lines(Level.WARN)).singleElement().asString()
                .isEqualTo("tcp/5005 embedded: unexpected IllegalStateException: bug; closing");
        assertThat(ch.isOpen()).isFalse();
    }
}
