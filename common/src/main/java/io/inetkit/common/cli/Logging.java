package io.inetkit.common.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Logging of the command-line programs: human-readable lines on stderr by default, or JSON lines, or a
 * rolling file.
 *
 * <p>Stack traces are printed only at DEBUG and TRACE; at the other levels a log line carries the
 * exception's message alone, so nothing a user sees on the terminal is a stack trace.
 *
 * <p>A text line: {@code 12:00:01.234 INFO  EchoServer - listening on tcp 127.0.0.1:5005 (raw)}.
 * A JSON line (logback's {@link JsonEncoder}), one object per line:
 * <pre>{@code
 * {"timestamp":1764000000000,"level":"INFO","threadName":"main","loggerName":"io.inetkit.server.EchoServer",
 *  "mdc": {},"formattedMessage":"listening on tcp 127.0.0.1:5005 (raw)"}
 * }</pre>
 *
 * <p>A log file rolls over every day and when it reaches {@value #ROLL_SIZE}; rolled files are gzipped
 * next to it ({@code server.log} → {@code server.2026-11-24.0.log.gz}), {@value #KEEP_DAYS} days and at
 * most {@value #TOTAL_SIZE_CAP} of them are kept.
 */
public final class Logging {

    /** Size at which a log file rolls over. */
    public static final String ROLL_SIZE = "100MB";
    /** Days of rolled log files kept. */
    public static final int KEEP_DAYS = 14;
    /** Total size of rolled log files kept. */
    public static final String TOTAL_SIZE_CAP = "1GB";

    /** How log lines are written. */
    public enum Format {
        /** {@code HH:mm:ss.SSS LEVEL logger - message} (a file gets the date too). */
        TEXT,
        /** One JSON object per line. */
        JSON;

        /** Parses {@code text} or {@code json}. */
        public static Format parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown log format '" + text + "'; expected text or json");
            }
        }
    }

    private Logging() {
    }

    /** Parses a {@code --log-level} value (trace, debug, info, warn, error, off). */
    public static Level parseLevel(String text) {
        Level level = Level.toLevel(text, null);
        if (level == null) {
            throw new IllegalArgumentException("unknown log level '" + text
                    + "'; expected trace, debug, info, warn, error or off");
        }
        return level;
    }

    /** Sends every log line to stderr at {@code level} and above. */
    public static void configureConsole(Level level) {
        configure(level, Format.TEXT, null);
    }

    /**
     * Sends every log line at {@code level} and above to stderr, or to {@code file} (rolling) when it is
     * not null, in {@code format}.
     */
    public static void configure(Level level, Format format, Path file) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        boolean verbose = level.toInt() <= Level.DEBUG.toInt();
        Encoder<ILoggingEvent> encoder = switch (format) {
            case TEXT -> {
                PatternLayoutEncoder text = new PatternLayoutEncoder();
                text.setContext(context);
                String time = file == null ? "%d{HH:mm:ss.SSS}" : "%d{yyyy-MM-dd HH:mm:ss.SSS}";
                text.setPattern(time + " %-5level %logger{0} - %msg%n" + (verbose ? "" : "%nopex"));
                yield text;
            }
            case JSON -> {
                JsonEncoder json = new JsonEncoder();
                json.setContext(context);
                json.setWithSequenceNumber(false);
                json.setWithNanoseconds(false);
                json.setWithContext(false);
                json.setWithMessage(false);
                json.setWithArguments(false);
                json.setWithFormattedMessage(true);
                json.setWithThrowable(verbose);
                yield json;
            }
        };
        encoder.start();
        Appender<ILoggingEvent> appender = file == null ? console(context, encoder) : rollingFile(context, encoder, file);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        root.setLevel(level);
        // Netty's own chatter about optional classes is noise unless asked for
        context.getLogger("io.netty").setLevel(verbose ? level : Level.WARN);
    }

    private static Appender<ILoggingEvent> console(LoggerContext context, Encoder<ILoggingEvent> encoder) {
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();
        return console;
    }

    private static Appender<ILoggingEvent> rollingFile(LoggerContext context, Encoder<ILoggingEvent> encoder, Path file) {
        Path absolute = file.toAbsolutePath();
        String name = absolute.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(context);
        appender.setName("file");
        appender.setFile(absolute.toString());
        appender.setEncoder(encoder);
        SizeAndTimeBasedRollingPolicy<ILoggingEvent> policy = new SizeAndTimeBasedRollingPolicy<>();
        policy.setContext(context);
        policy.setParent(appender);
        policy.setFileNamePattern(absolute.resolveSibling(stem + ".%d{yyyy-MM-dd}.%i" + extension + ".gz").toString());
        policy.setMaxFileSize(FileSize.valueOf(ROLL_SIZE));
        policy.setMaxHistory(KEEP_DAYS);
        policy.setTotalSizeCap(FileSize.valueOf(TOTAL_SIZE_CAP));
        policy.start();
        appender.setRollingPolicy(policy);
        appender.start();
        if (!appender.isStarted()) {
            throw new IllegalArgumentException("cannot write log file " + absolute);
        }
        return appender;
    }
}
