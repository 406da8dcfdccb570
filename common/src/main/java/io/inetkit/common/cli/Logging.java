package io.inetkit.common.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.LoggerFactory;

/**
 * Logging of the command-line programs: human-readable lines on stderr.
 *
 * <p>Stack traces are printed only at DEBUG and TRACE; at the other levels a log line carries the
 * exception's message alone, so nothing a user sees on the terminal is a stack trace.
 */
public final class Logging {

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
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        boolean verbose = level.toInt() <= Level.DEBUG.toInt();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n" + (verbose ? "" : "%nopex"));
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(console);
        root.setLevel(level);
        // Netty's own chatter about optional classes is noise unless asked for
        context.getLogger("io.netty").setLevel(verbose ? level : Level.WARN);
    }
}
