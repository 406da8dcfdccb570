package io.inetkit.server.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The lingering close: last words, FIN, read and drop until the peer closes or the linger runs out. */
class GracefulCloseTest {

    private static final Duration LINGER = Duration.ofSeconds(2);

    private HalfClosableChannel ch;

    @AfterEach
    void release() {
        if (ch != null) {
            ch.finishAndReleaseAll();
        }
    }

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    @Test
    void flushesWhatIsOwedThenTheLastWordsThenHalfClosesAndKeepsReading() {
        ch = new HalfClosableChannel();
        ch.write(text("echo "));
        GracefulClose.close(ch, text("ERR bye"), LINGER);
        ch.runPendingTasks();

        assertThat(GracefulClose.isClosing(ch)).isTrue();
        ByteBuf owed = ch.readOutbound();
        ByteBuf last = ch.readOutbound();
        assertThat(owed.toString(StandardCharsets.US_ASCII)).isEqualTo("echo ");
        assertThat(last.toString(StandardCharsets.US_ASCII)).isEqualTo("ERR bye");
        owed.release();
        last.release();
        assertThat(ch.isOutputShutdown()).as("FIN sent").isTrue();
        assertThat(ch.isOpen()).as("open until the peer closes").isTrue();
        assertThat(ch.config().isAutoRead()).as("drains the peer's input, so the close is not an RST").isTrue();
    }

    @Test
    void closesWhenTheLingerRunsOut() {
        ch = new HalfClosableChannel();
        ch.freezeTime(); // the channel's clock moves only when the test says: a loaded machine must not move it
        GracefulClose.close(ch, null, LINGER);
        ch.runPendingTasks();
        ch.advanceTimeBy(LINGER.toMillis() - 1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isTrue();
        ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void closesAtOnceWhenThePeerHasAlreadyHalfClosed() {
        ch = new HalfClosableChannel();
        ch.shutdownInput();
        GracefulClose.close(ch, null, LINGER);
        ch.runPendingTasks();
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void isIdempotentAndReleasesTheLastWordsItDoesNotSend() {
        ch = new HalfClosableChannel();
        GracefulClose.close(ch, null, LINGER);
        ByteBuf late = text("ERR again");
        GracefulClose.close(ch, late, LINGER);
        assertThat(late.refCnt()).isZero();
        ch.runPendingTasks();
        StringBuilder out = new StringBuilder();
        for (ByteBuf b; (b = ch.readOutbound()) != null; b.release()) {
            out.append(b.toString(StandardCharsets.US_ASCII));
        }
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void anInactiveConnectionIsClosedAndItsLastWordsReleased() {
        ch = new HalfClosableChannel();
        ch.close();
        ByteBuf words = text("ERR late");
        GracefulClose.close(ch, words, LINGER);
        assertThat(words.refCnt()).isZero();
        assertThat(GracefulClose.isClosing(ch)).isFalse();
    }

    @Test
    void aChannelThatCannotHalfCloseIsClosedOnceTheLastWordsAreOut() {
        EmbeddedChannel plain = new EmbeddedChannel();
        GracefulClose.close(plain, text("ERR bye"), LINGER);
        plain.runPendingTasks();
        ByteBuf last = plain.readOutbound();
        assertThat(last.toString(StandardCharsets.US_ASCII)).isEqualTo("ERR bye");
        last.release();
        assertThat(plain.isOpen()).isFalse();
        plain.finishAndReleaseAll();
    }

    @Test
    void readingHandlersSeeTheClosingMark() {
        boolean[] seen = new boolean[1];
        ch = new HalfClosableChannel(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                seen[0] = GracefulClose.isClosing(ctx.channel());
                ((ByteBuf) msg).release();
            }
        });
        assertThat(GracefulClose.isClosing(ch)).isFalse();
        assertThat(ch.hasAttr(GracefulClose.CLOSING)).as("no attribute on a connection that is not closing").isFalse();
        GracefulClose.close(ch, null, LINGER);
        ch.writeInbound(text("late"));
        assertThat(seen[0]).isTrue();
    }
}
