package io.inetkit.server;

import io.inetkit.common.cli.Cli;
import io.inetkit.common.cli.DurationConverter;
import io.inetkit.common.cli.Logging;
import io.inetkit.common.cli.UserException;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;
import sun.misc.Signal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code inetkit server}: the echo server as a program. */
@Command(name = "inetkit server", mixinStandardHelpOptions = true, versionProvider = Version.class,
        sortOptions = false, usageHelpWidth = 100,
        description = {
                "Echo server: TCP echo over a framing of your choice, and UDP echo.",
                "With no --tcp and no --udp it serves TCP (raw) and UDP on 127.0.0.1:5005.",
                "SIGTERM or Ctrl-C drains: stops accepting, echoes what was received, closes, exits 0."},
        footer = {"",
                "FRAMING: raw | fixed:N | line[:MAX] | delimiter:SEQ[:MAX] | length:W[:MAX]",
                "  SEQ escapes: \\0 \\r \\n \\t \\\\ \\xHH; W is 1, 2, 4 or 8; MAX defaults to 8192.",
                "Every option can also come from the environment (INETKIT_IO_THREADS=2) or from",
                "--config FILE (io-threads = 2; repeatable ones comma-separated: tcp = 5005,5006:line).",
                "Exit codes: 0 stopped cleanly, 1 runtime failure (e.g. port in use), 2 usage error."})
public final class ServerCommand implements Callable<Integer> {

    @Option(names = "--tcp", paramLabel = "PORT[:FRAMING]", split = ",", converter = TcpConverter.class,
            description = "TCP echo listener; repeatable. Default framing raw.")
    List<ServerSettings.TcpListener> tcp = new ArrayList<>();

    @Option(names = "--udp", paramLabel = "PORT", split = ",", converter = UdpConverter.class,
            description = "UDP echo listener; repeatable.")
    List<ServerSettings.UdpListener> udp = new ArrayList<>();

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = ServerSettings.DEFAULT_BIND,
            description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 or :: for all).")
    String bind;

    @Option(names = "--transport", paramLabel = "auto|io_uring|epoll|nio", defaultValue = "auto",
            description = "I/O transport (default: ${DEFAULT-VALUE}, the best available).")
    String transport;

    @Option(names = "--io-threads", paramLabel = "N",
            description = "Event loop threads (default: one per core).")
    Integer ioThreads;

    @Option(names = "--drain-timeout", paramLabel = "DURATION", defaultValue = "5s",
            converter = DurationConverter.class,
            description = "How long a stop waits for connections to finish (default: ${DEFAULT-VALUE}).")
    Duration drainTimeout;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file with option defaults (keys: long option names).")
    Path config;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "info",
            description = "trace, debug, info, warn, error or off (default: ${DEFAULT-VALUE}).")
    String logLevel;

    private final CountDownLatch stopSignal = new CountDownLatch(1);

    public static void main(String[] args) {
        Cli.main(new ServerCommand(), args);
    }

    /** The settings this command line asks for. */
    ServerSettings settings() {
        if (!java.util.Set.of("auto", "io_uring", "epoll", "nio").contains(transport.toLowerCase(java.util.Locale.ROOT))) {
            throw new UserException("unknown transport '" + transport + "'; expected auto, io_uring, epoll or nio",
                    Cli.EXIT_USAGE);
        }
        ServerSettings.Builder b = ServerSettings.builder()
                .bind(bind)
                .transport(transport)
                .drainTimeout(drainTimeout);
        if (ioThreads != null) {
            if (ioThreads <= 0) {
                throw new UserException("--io-threads must be > 0: " + ioThreads, Cli.EXIT_USAGE);
            }
            b.ioThreads(ioThreads);
        }
        if (tcp.isEmpty() && udp.isEmpty()) {
            b.tcp(ServerSettings.TcpListener.parse(String.valueOf(ServerSettings.DEFAULT_PORT)));
            b.udp(ServerSettings.DEFAULT_PORT);
        }
        tcp.forEach(b::tcp);
        udp.forEach(b::udp);
        return b.build();
    }

    @Override
    public Integer call() {
        try {
            Logging.configureConsole(Logging.parseLevel(logLevel));
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage(), Cli.EXIT_USAGE);
        }
        EchoServer server = new EchoServer(settings());
        try {
            server.start();
        } catch (ServerStartException e) {
            throw new UserException(e.getMessage(), Cli.EXIT_RUNTIME, e);
        }
        Signal.handle(new Signal("TERM"), s -> stopSignal.countDown());
        Signal.handle(new Signal("INT"), s -> stopSignal.countDown());
        try {
            stopSignal.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        org.slf4j.LoggerFactory.getLogger(ServerCommand.class).info("stopping: draining connections");
        server.stop();
        return Cli.EXIT_OK;
    }

    static final class TcpConverter implements ITypeConverter<ServerSettings.TcpListener> {
        @Override
        public ServerSettings.TcpListener convert(String value) {
            try {
                return ServerSettings.TcpListener.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class UdpConverter implements ITypeConverter<ServerSettings.UdpListener> {
        @Override
        public ServerSettings.UdpListener convert(String value) {
            try {
                return ServerSettings.UdpListener.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
