package io.inetkit.common.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

class CliTest {

    @Command(name = "inetkit demo")
    static final class Demo implements Callable<Integer> {
        @Option(names = "--io-threads", defaultValue = "1")
        int ioThreads;

        @Option(names = "--tcp", split = ",")
        List<String> tcp = new ArrayList<>();

        @Option(names = "--wait", defaultValue = "5s", converter = DurationConverter.class)
        Duration wait;

        @Mixin
        ConfigFileOption config;

        @Option(names = "--fail")
        String fail;

        @Override
        public Integer call() {
            if ("user".equals(fail)) {
                throw new UserException("port 7 is busy", 3);
            }
            if ("bug".equals(fail)) {
                throw new IllegalStateException("boom");
            }
            return 0;
        }
    }

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Demo demo, Map<String, String> env, String... args) {
        return Cli.run(demo, args, env, new PrintWriter(out), new PrintWriter(err));
    }

    @Test
    void commandLineBeatsEnvironmentBeatsConfigFileBeatsBuiltIn(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("demo.properties");
        Files.writeString(file, "io-threads = 3\ntcp = 5005,5006:line\nwait = 250ms\n");

        Demo fromFile = new Demo();
        assertThat(run(fromFile, Map.of(), "--config", file.toString())).isZero();
        assertThat(fromFile.ioThreads).isEqualTo(3);
        assertThat(fromFile.config.file()).isEqualTo(file);
        assertThat(fromFile.tcp).containsExactly("5005", "5006:line");
        assertThat(fromFile.wait).isEqualTo(Duration.ofMillis(250));

        Demo fromEnv = new Demo();
        assertThat(run(fromEnv, Map.of("INETKIT_DEMO_IO_THREADS", "4"), "--config=" + file)).isZero();
        assertThat(fromEnv.ioThreads).isEqualTo(4);

        Demo fromArgs = new Demo();
        assertThat(run(fromArgs, Map.of("INETKIT_DEMO_IO_THREADS", "4"), "--config", file.toString(), "--io-threads", "5")).isZero();
        assertThat(fromArgs.ioThreads).isEqualTo(5);

        Demo builtIn = new Demo();
        assertThat(run(builtIn, Map.of())).isZero();
        assertThat(builtIn.ioThreads).isEqualTo(1);
        assertThat(builtIn.wait).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void theEnvironmentIsReadPerCommandAndABadValueNamesItsSource(@TempDir Path dir) throws Exception {
        Demo other = new Demo();
        assertThat(run(other, Map.of("INETKIT_IO_THREADS", "4", "INETKIT_CLIENT_IO_THREADS", "4"))).isZero();
        assertThat(other.ioThreads).as("variables of no command, or of another, are not read").isEqualTo(1);

        assertThat(run(new Demo(), Map.of("INETKIT_DEMO_IO_THREADS", "many"))).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.toString()).contains("'many'").contains("(in INETKIT_DEMO_IO_THREADS)");
        err.getBuffer().setLength(0);

        Path file = Files.writeString(dir.resolve("demo.properties"), "io-threads = few\n");
        assertThat(run(new Demo(), Map.of(), "--config", file.toString())).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.toString()).contains("'few'").contains("(in " + file + ")");
        err.getBuffer().setLength(0);

        assertThat(run(new Demo(), Map.of("INETKIT_DEMO_IO_THREADS", "2"), "--io-threads", "lots"))
                .isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.toString()).as("a bad value on the command line is not blamed on the environment")
                .contains("'lots'").doesNotContain("(in ");
    }

    @Test
    void anUnknownConfigKeyIsAUsageError(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.properties");
        Files.writeString(file, "io-thread = 3\n");
        assertThat(run(new Demo(), Map.of(), "--config", file.toString())).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.toString()).contains("unknown key 'io-thread'").doesNotContain("\tat ");
    }

    @Test
    void aMissingConfigFileIsAUsageError(@TempDir Path dir) {
        assertThat(run(new Demo(), Map.of(), "--config", dir.resolve("nope").toString())).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.toString()).contains("cannot read config file").contains(": No such file or directory")
                .hasLineCount(1);
    }

    @Test
    void badFlagsAreUsageErrorsOnOneLinePlusAHint() {
        assertThat(run(new Demo(), Map.of(), "--io-threads", "many")).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.toString()).startsWith("inetkit demo: ").contains("many").doesNotContain("\tat ");
    }

    @Test
    void userErrorsKeepTheirExitCodeAndBugsAreOneLineToo() {
        assertThat(run(new Demo(), Map.of(), "--fail", "user")).isEqualTo(3);
        assertThat(err.toString()).isEqualTo("inetkit demo: port 7 is busy" + System.lineSeparator());
        err.getBuffer().setLength(0);
        assertThat(run(new Demo(), Map.of(), "--fail", "bug")).isEqualTo(Cli.EXIT_RUNTIME);
        assertThat(err.toString()).contains("boom").hasLineCount(1);
    }

    @Test
    void durations() {
        assertThat(DurationConverter.parse("5")).isEqualTo(Duration.ofSeconds(5));
        assertThat(DurationConverter.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(DurationConverter.parse("20ms")).isEqualTo(Duration.ofMillis(20));
        assertThat(DurationConverter.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(DurationConverter.parse("PT3S")).isEqualTo(Duration.ofSeconds(3));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DurationConverter.parse("soon"))
                .hasMessageContaining("'soon' is not a duration");
    }
}
