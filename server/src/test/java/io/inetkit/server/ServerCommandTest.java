package io.inetkit.server;

import io.inetkit.common.cli.Cli;
import io.inetkit.common.framing.Framing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line of {@code inetkit server}: parsing into settings, and usage errors. */
class ServerCommandTest {

    private final StringWriter err = new StringWriter();

    /** Parses like the real program but stops before starting the server. */
    private ServerSettings parse(Map<String, String> env, String... args) {
        ServerCommand command = new ServerCommand();
        picocli.CommandLine cmd = new picocli.CommandLine(command);
        cmd.setDefaultValueProvider(new io.inetkit.common.cli.InetkitDefaultProvider(env, null));
        cmd.parseArgs(args);
        return command.settings();
    }

    @Test
    void noListenerFlagsMeansTheLecturesTcpAndUdpOn5005() {
        ServerSettings s = parse(Map.of());
        assertThat(s.bind()).isEqualTo("127.0.0.1");
        assertThat(s.tcp()).containsExactly(new ServerSettings.TcpListener(5005, new Framing.Raw()));
        assertThat(s.udp()).containsExactly(new ServerSettings.UdpListener(5005));
        assertThat(s.drainTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.transport()).isEqualTo("auto");
    }

    @Test
    void listenersAreRepeatableAndTakeAFraming() {
        ServerSettings s = parse(Map.of(), "--tcp", "5005", "--tcp", "5006:line:100", "--tcp", "5007:fixed:20,5008:length:4",
                "--udp", "6000", "--bind", "::1", "--drain-timeout", "1500ms", "--io-threads", "3");
        assertThat(s.tcp()).extracting(ServerSettings.TcpListener::toString)
                .containsExactly("5005:raw", "5006:line:100", "5007:fixed:20", "5008:length:4:8192");
        assertThat(s.udp()).containsExactly(new ServerSettings.UdpListener(6000));
        assertThat(s.bind()).isEqualTo("::1");
        assertThat(s.drainTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(s.ioThreads()).isEqualTo(3);
    }

    @Test
    void theEnvironmentSetsOptions() {
        ServerSettings s = parse(Map.of("INETKIT_TCP", "7000:line,7001", "INETKIT_IO_THREADS", "2"));
        assertThat(s.tcp()).extracting(ServerSettings.TcpListener::port).containsExactly(7000, 7001);
        assertThat(s.udp()).isEmpty();
        assertThat(s.ioThreads()).isEqualTo(2);
    }

    @Test
    void aConfigFileSetsOptions(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("server.properties");
        Files.writeString(file, "tcp = 0:delimiter:\\\\0\nudp = 0\ndrain-timeout = 1s\n");
        ServerCommand command = new ServerCommand();
        picocli.CommandLine cmd = new picocli.CommandLine(command);
        cmd.setDefaultValueProvider(new io.inetkit.common.cli.InetkitDefaultProvider(Map.of(),
                io.inetkit.common.cli.InetkitDefaultProvider.readConfig(cmd, file)));
        cmd.parseArgs("--config", file.toString());
        ServerSettings s = command.settings();
        assertThat(s.tcp()).extracting(t -> t.framing().spec()).containsExactly("delimiter:\\0:8192");
        assertThat(s.udp()).hasSize(1);
        assertThat(s.drainTimeout()).isEqualTo(Duration.ofSeconds(1));
    }

    private int run(String... args) {
        return Cli.run(new ServerCommand(), args, Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(err));
    }

    @Test
    void aBadFramingIsAUsageErrorOnOneLine() {
        assertThat(run("--tcp", "5005:lines")).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.toString()).contains("unknown framing 'lines'").doesNotContain("\tat ");
    }

    @Test
    void aBadPortIsAUsageError() {
        assertThat(run("--tcp", "70000")).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.toString()).contains("port must be 0..65535: 70000");
    }

    @Test
    void anUnknownFlagIsAUsageError() {
        assertThat(run("--tpc", "5005")).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.toString()).contains("Unknown option").contains("--tpc");
    }

    @Test
    void anUnknownTransportIsAUsageErrorOnOneLine() {
        assertThat(run("--tcp", "0", "--transport", "carrier-pigeon")).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.toString()).contains("unknown transport 'carrier-pigeon'").hasLineCount(1);
    }
}
