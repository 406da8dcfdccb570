package io.inetkit.common.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoggingTest {

    @AfterEach
    void backToTheConsole() {
        Logging.configureConsole(Level.INFO);
    }

    private static LoggerContext context() {
        return (LoggerContext) LoggerFactory.getILoggerFactory();
    }

    @Test
    void aLogFileRollsDailyAndBySizeAndTakesJsonLines(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("logs").resolve("server.log");
        Logging.configure(Level.INFO, Logging.Format.JSON, file);
        LoggerFactory.getLogger("io.inetkit.test").info("hello {}", "file");
        LoggerFactory.getLogger("io.inetkit.test").debug("not at info");

        var appender = (RollingFileAppender<?>) context().getLogger("ROOT").getAppender("file");
        var policy = (SizeAndTimeBasedRollingPolicy<?>) appender.getRollingPolicy();
        assertThat(policy.getFileNamePattern()).isEqualTo(dir.resolve("logs") + "/server.%d{yyyy-MM-dd}.%i.log.gz");
        assertThat(policy.getMaxHistory()).isEqualTo(Logging.KEEP_DAYS);
        assertThat(Files.readAllLines(file)).singleElement().satisfies(line -> assertThat(line)
                .startsWith("{").endsWith("}")
                .contains("\"level\":\"INFO\"", "\"loggerName\":\"io.inetkit.test\"", "\"formattedMessage\":\"hello file\""));
    }

    @Test
    void formatsParseAndAnUnknownOneNamesTheChoices() {
        assertThat(Logging.Format.parse(" JSON ")).isEqualTo(Logging.Format.JSON);
        assertThat(Logging.Format.parse("text")).isEqualTo(Logging.Format.TEXT);
        assertThatThrownBy(() -> Logging.Format.parse("xml")).hasMessage("unknown log format 'xml'; expected text or json");
    }

    @Test
    void anUnwritableLogFileIsOneClearError(@TempDir Path dir) throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        assertThatThrownBy(() -> Logging.configure(Level.INFO, Logging.Format.TEXT, notADirectory.resolve("server.log")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot write log file ");
    }
}
