package io.inetkit.server.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.util.internal.OutOfDirectMemoryError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.reflect.Constructor;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionErrorHandlerTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger(ConnectionErrorHandler.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Counter failures = new SimpleMeterRegistry().counter("allocation-failures");
    private final ConnectionErrorHandler handler = new ConnectionErrorHandler(failures,
            TestInitializers.log(ConnectionErrorHandler.class));

    @BeforeEach
    void attach() {
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(appender);
    }

    private long warnings() {
        return appender.list.stream().filter(e -> e.getLevel() == Level.WARN).count();
    }

    /** Netty's own error, as its allocator throws it (its constructor is not public). */
    private static OutOfDirectMemoryError outOfDirectMemory() throws Exception {
        Constructor<OutOfDirectMemoryError> c = OutOfDirectMemoryError.class.getDeclaredConstructor(String.class);
        c.setAccessible(true);
        return c.newInstance("failed to allocate 16777216 byte(s) of direct memory (used: 260046848, max: 268435456)");
    }

    @Test
    void anAllocationFailureClosesTheConnectionAndIsCountedAndLogged() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel(handler);
        ch.pipeline().fireExceptionCaught(new DecoderException(outOfDirectMemory()));
        assertThat(ch.isOpen()).isFalse();
        assertThat(failures.count()).isEqualTo(1);
        assertThat(warnings()).isEqualTo(1);
        assertThat(appender.list.get(0).getFormattedMessage()).contains("out of memory: failed to allocate 16777216");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aHeapOutOfMemoryErrorToo() {
        EmbeddedChannel ch = new EmbeddedChannel(handler);
        ch.pipeline().fireExceptionCaught(new OutOfMemoryError("Java heap space"));
        assertThat(ch.isOpen()).isFalse();
        assertThat(failures.count()).isEqualTo(1);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aFloodOfThemIsLoggedAFewTimesButCountedEachTime() {
        for (int i = 0; i < 50; i++) {
            EmbeddedChannel ch = new EmbeddedChannel(handler);
            ch.pipeline().fireExceptionCaught(new OutOfMemoryError("Direct buffer memory"));
            assertThat(ch.isOpen()).isFalse();
            ch.finish();
        }
        assertThat(failures.count()).isEqualTo(50);
        assertThat(warnings()).isBetween(1L, 10L); // five a second; a slow run may span two seconds
    }

    @Test
    void anyOtherErrorClosesQuietly() {
        EmbeddedChannel ch = new EmbeddedChannel(handler);
        ch.pipeline().fireExceptionCaught(new IOException("Connection reset by peer"));
        assertThat(ch.isOpen()).isFalse();
        assertThat(failures.count()).isZero();
        assertThat(warnings()).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void anHttp2ConnectionErrorLetsTheCodecSendItsGoAwayFirst() {
        EmbeddedChannel ch = new EmbeddedChannel(handler);
        ch.pipeline().fireExceptionCaught(new DecoderException(
                Http2Exception.connectionError(Http2Error.FRAME_SIZE_ERROR, "PING of 7")));
        assertThat(ch.isOpen()).as("not closed at once: the codec sends GOAWAY with the code first").isTrue();
        ch.runPendingTasks();
        assertThat(ch.isOpen()).as("closed after it").isFalse();
        assertThat(failures.count()).isZero();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void findsTheErrorAmongTheCauses() {
        OutOfMemoryError oom = new OutOfMemoryError("x");
        assertThat(ConnectionErrorHandler.outOfMemory(new RuntimeException(new DecoderException(oom)))).isSameAs(oom);
        assertThat(ConnectionErrorHandler.outOfMemory(new RuntimeException("no"))).isNull();
    }
}
