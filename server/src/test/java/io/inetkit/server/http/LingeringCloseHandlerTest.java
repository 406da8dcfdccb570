package io.inetkit.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The lingering close behind a real codec, on an embedded channel that can shut its output down. */
class LingeringCloseHandlerTest {

    /** An {@link EmbeddedChannel} that is a {@link DuplexChannel}: it records an output shutdown. */
    static final class DuplexEmbeddedChannel extends EmbeddedChannel implements DuplexChannel {
        boolean outputShut;

        @Override
        public boolean isInputShutdown() {
            return false;
        }

        @Override
        public ChannelFuture shutdownInput() {
            return newSucceededFuture();
        }

        @Override
        public ChannelFuture shutdownInput(ChannelPromise promise) {
            return promise.setSuccess();
        }

        @Override
        public boolean isOutputShutdown() {
            return outputShut;
        }

        @Override
        public ChannelFuture shutdownOutput() {
            return shutdownOutput(newPromise());
        }

        @Override
        public ChannelFuture shutdownOutput(ChannelPromise promise) {
            outputShut = true;
            return promise.setSuccess();
        }

        @Override
        public boolean isShutdown() {
            return outputShut;
        }

        @Override
        public ChannelFuture shutdown() {
            return shutdownOutput();
        }

        @Override
        public ChannelFuture shutdown(ChannelPromise promise) {
            return shutdownOutput(promise);
        }
    }

    private final DuplexEmbeddedChannel ch = new DuplexEmbeddedChannel();

    LingeringCloseHandlerTest() {
        ch.freezeTime();
        ch.pipeline().addLast(new HttpServerCodec(), new LingeringCloseHandler());
    }

    @AfterEach
    void release() {
        ch.finishAndReleaseAll();
    }

    /** Sends bytes in; returns how many decoded messages passed the handler (released here). */
    private int send(String text) {
        ch.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
        int passed = 0;
        for (Object msg; (msg = ch.readInbound()) != null; passed++) {
            ReferenceCountUtil.release(msg);
        }
        return passed;
    }

    private void releaseOutbound() {
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            b.release();
        }
    }

    @Test
    void aCloseBetweenRequestsIsAtOnce() {
        send("POST /post HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
        ch.pipeline().close(); // as a handler asks: EmbeddedChannel.close() would cancel the scheduled tasks
        assertThat(ch.isOpen()).isFalse();
        assertThat(ch.outputShut).isFalse();
    }

    @Test
    void aCloseDuringABodyShutsTheOutputAndReadsTheRestUntilItsEnd() {
        send("POST /post HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
        ch.pipeline().close(); // as a handler asks: EmbeddedChannel.close() would cancel the scheduled tasks
        assertThat(ch.isOpen()).as("lingering").isTrue();
        assertThat(ch.outputShut).isTrue();
        assertThat(send("defg")).as("the rest of the body is dropped, not passed on").isZero();
        assertThat(ch.isOpen()).isTrue();
        send("hij");
        assertThat(ch.isOpen()).as("the body is whole: the client reads the answer now").isFalse();
        releaseOutbound();
    }

    @Test
    void aQuietClientIsClosedAfterFiveSeconds() {
        send("POST /post HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\nabc");
        ch.pipeline().close(); // as a handler asks: EmbeddedChannel.close() would cancel the scheduled tasks
        ch.advanceTimeBy(4, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isTrue();
        send("more"); // restarts the quiet clock
        ch.advanceTimeBy(4, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isTrue();
        ch.advanceTimeBy(2, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isFalse();
        releaseOutbound();
    }

    @Test
    void aClientThatKeepsSendingIsClosedAfterThirtySeconds() {
        send("POST /post HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\nabc");
        ch.pipeline().close(); // as a handler asks: EmbeddedChannel.close() would cancel the scheduled tasks
        for (int s = 0; s < 29; s++) {
            send("x".repeat(100));
            ch.advanceTimeBy(1, TimeUnit.SECONDS);
            ch.runScheduledPendingTasks();
        }
        assertThat(ch.isOpen()).isTrue();
        send("x".repeat(100));
        ch.advanceTimeBy(2, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).as("30 s in all").isFalse();
        releaseOutbound();
    }
}
