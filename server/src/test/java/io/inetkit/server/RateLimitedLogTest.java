package io.inetkit.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitedLogTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger("rate-limited-test");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

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
    }

    private long warnings() {
        return appender.list.stream().filter(e -> e.getLevel() == Level.WARN).count();
    }

    @Test
    void aFloodGetsAFewWarnLinesASecondAndOneSummary() {
        RateLimitedLog log = new RateLimitedLog(logger, 5, now::get);
        for (int i = 0; i < 1000; i++) {
            log.warn("refused {}", i);
        }
        assertThat(warnings()).isEqualTo(5);
        assertThat(appender.list).filteredOn(e -> e.getLevel() == Level.DEBUG).hasSize(995);

        now.addAndGet(1_000_000_000L);
        log.flush();
        assertThat(warnings()).isEqualTo(6);
        assertThat(appender.list.get(appender.list.size() - 1).getFormattedMessage())
                .isEqualTo("995 more like these in the last 1000 ms not logged (counted in /metrics)");

        log.warn("refused again");
        assertThat(warnings()).as("a new second, a new allowance").isEqualTo(7);
    }

    @Test
    void aQuietSecondHasNoSummary() {
        RateLimitedLog log = new RateLimitedLog(logger, 5, now::get);
        log.warn("one");
        now.addAndGet(2_000_000_000L);
        log.flush();
        assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly("one");
    }
}
