package io.inetkit.sniffer;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;
import io.inetkit.common.cli.Logging;

/**
 * Logback's start-up configuration for the sniffer, in code: the levels of common's {@code logback.xml}
 * (INFO, Netty at WARN) plus pcap4j at WARN (it logs every dispatch at INFO), and no appender yet: the
 * command installs the console appender for its {@code --log-level} first thing, with
 * {@link Logging#configureConsole}, as every program does, and nothing logs before.
 *
 * <p>Why in code: logback finds this class through {@code META-INF/services} before it looks for XML,
 * which spares every start the XML configurator's cost in a tool compared with tcpdump (figures in the
 * sniffer's BENCHMARKS.md). Common's {@link Logging} cannot take this role: it configures at run time,
 * after logback has already initialised itself.
 */
public final class LogbackConfigurator extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        // no appender yet: the command installs the console appender for its --log-level right away
        // (Logging.configureConsole), and nothing logs before that; one pattern layout to build, not two
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);
        context.getLogger("io.netty").setLevel(Level.WARN);
        context.getLogger("org.pcap4j").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
