package io.inetkit.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The exit codes and the one line of {@code inetkit load}'s failures, from the packaged program. */
class LoadExitsIT {

    private static final Duration EXIT = Duration.ofSeconds(30);

    private static String lastLine(List<String> lines) {
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    @Test
    void rawAgainstALineServerExits1SayingNoEchoCameBack() throws Exception {
        try (ServerProcess server = ServerProcess.start("--tcp", "0:line");
             Program load = Program.start("load", "127.0.0.1", String.valueOf(server.tcpPort()), "--framing", "raw",
                     "-c", "2", "-d", "500ms", "-w", "0", "-q")) {
            assertThat(load.awaitExit(EXIT)).as("stderr %s", load.stderr()).isEqualTo(1);
            assertThat(load.stderr()).hasSize(1);
            assertThat(lastLine(load.stderr())).startsWith("inetkit load: FAILED: no echo came back")
                    .contains("framing mismatch");
        }
    }

    @Test
    void aReportPathThatCannotBeWrittenExits2BeforeTheRun() throws Exception {
        try (Program load = Program.start("load", "127.0.0.1", "9", "--html", "/nonexistent/r.html")) {
            assertThat(load.awaitExit(EXIT)).as("stderr %s", load.stderr()).isEqualTo(2);
            assertThat(load.stderr()).containsExactly(
                    "inetkit load: cannot write --html /nonexistent/r.html: No such file or directory");
        }
    }

    @Test
    void aRefusedConnectIsSaidInInetkitsWords() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (Program load = Program.start("load", "127.0.0.1", String.valueOf(port), "-c", "2", "-q")) {
            assertThat(load.awaitExit(EXIT)).as("stderr %s", load.stderr()).isEqualTo(1);
            assertThat(lastLine(load.stderr())).startsWith("inetkit load: connect to 127.0.0.1:" + port
                    + ": connection refused").doesNotContain("finishConnect");
        }
    }
}
