package io.inetkit.it;

import io.inetkit.common.framing.Framing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged client as a real process, where the in-process tests do not reach: its own stdin and stdout,
 * and its signals.
 */
class ClientProgramIT {

    private static ServerProcess server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() throws IOException {
        server = ServerProcess.start("--tcp", "0", "--tcp", "0:line", "--tcp", "0:fixed:13", "--tcp", "0:length:4",
                "--tcp", "0:delimiter:\\0");
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    /**
     * Interactive mode as {@code nc -N} is used: a file of random bytes on stdin, stdout to a file, and
     * {@code cmp} says whether the two are the same.
     */
    @ParameterizedTest(name = "{0}, {1} bytes")
    @CsvSource({"raw, 100000", "raw, 3", "line, 100000", "line, 700", "fixed:13, 100000", "length:4, 100000",
            "delimiter:\\0, 100000"})
    void stdinComesBackByteForByte(String framing, int size) throws Exception {
        byte[] input = new byte[size];
        new Random(size * 31L + framing.hashCode()).nextBytes(input);
        if (framing.startsWith("delimiter")) { // the one byte that framing cannot carry
            for (int i = 0; i < input.length; i++) {
                input[i] = input[i] == 0 ? 1 : input[i];
            }
        }
        Path in = Files.write(dir.resolve("in.bin"), input);
        Path out = dir.resolve("out.bin");
        Path err = dir.resolve("err.txt");
        Process client = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Program.jarOf("client").toString(), "client", "127.0.0.1",
                String.valueOf(server.tcpPort(Framing.parse(framing).spec())), "--framing", framing)
                .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(client.waitFor(60, TimeUnit.SECONDS)).as("the client exits").isTrue();
        assertThat(client.exitValue()).as(Files.readString(err)).isZero();

        Process cmp = new ProcessBuilder(List.of("cmp", in.toString(), out.toString())).redirectErrorStream(true)
                .start();
        String said = new String(cmp.getInputStream().readAllBytes());
        assertThat(cmp.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(cmp.exitValue()).as("cmp: " + said).isZero();
    }

    /** Ctrl-C during {@code --count} prints ping's summary of the echoes so far and exits 130. */
    @Test
    void ctrlCDuringACountPrintsTheSummarySoFar() throws Exception {
        try (Program client = Program.start("client", "127.0.0.1", String.valueOf(server.tcpPort("raw")),
                "--message", "ping", "--count", "1000", "--interval", "50ms")) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> client.stdout().stream().anyMatch(l -> l.startsWith("echo 3/1000 ")));
            new ProcessBuilder("kill", "-INT", String.valueOf(client.process.pid())).start().waitFor();
            assertThat(client.awaitExit(Duration.ofSeconds(30))).isEqualTo(130);
            assertThat(client.stdout()).anyMatch(l -> l.matches(
                    "interrupted: \\d+/1000 echoes matched; rtt min/avg/max/mdev = [\\d./]+ ms"));
        }
    }
}
