package io.inetkit.common.cli;

/**
 * Marks a command that never starts logback (the HTTP client reports its own errors). {@link Main} then
 * sends Netty's few log lines to java.util.logging, one line each on stderr, before the command's class
 * initialises: through SLF4J they would start logback, a tenth of a short run's time.
 */
public interface WithoutLogback {
}
