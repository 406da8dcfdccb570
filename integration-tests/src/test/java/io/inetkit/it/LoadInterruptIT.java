package io.inetkit.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ctrl-C during {@code inetkit load}, sent to the packaged program as a terminal would (SIGINT): the window
 * ends there, the table covers the time measured, the report files are written, and the exit code is 130.
 */
class LoadInterruptIT {

    @TempDir
    Path dir;

    private static void sigint(Program p) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(p.process.pid())).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -INT").isZero();
    }

    @Test
    void ctrlCEndsTheWindowPrintsTheTableWritesTheReportsAndExits130() throws Exception {
        Path json = dir.resolve("r.json");
        Path hlog = dir.resolve("r.hlog");
        Path html = dir.resolve("r.html");
        try (ServerProcess server = ServerProcess.start("--tcp", "0");
             Program load = Program.start("load", "127.0.0.1", String.valueOf(server.tcpPort()), "-c", "2",
                     "-t", "1", "-d", "60s", "-w", "0", "--json", json.toString(), "--hdr-log", hlog.toString(),
                     "--html", html.toString())) {
            // a progress line from inside the window, with echoes: the run is measuring
            load.awaitStderr("^t=[0-9.]+s conns 2/2 msgs/s [1-9]", Duration.ofSeconds(30));
            sigint(load);
            assertThat(load.awaitExit(Duration.ofSeconds(20))).as("exit code; stderr %s", load.stderr()).isEqualTo(130);

            assertThat(String.join("\n", load.stdout())).contains("(interrupted: Ctrl-C ended the window there)")
                    .containsPattern("messages +\\| [1-9]");
            assertThat(load.stderr()).anyMatch(l -> l.matches("inetkit load: interrupted after [0-9.]+ s of the window.*"));
            JsonNode r = new ObjectMapper().readTree(json.toFile());
            assertThat(r.get("interrupted").asBoolean()).isTrue();
            assertThat(r.get("duration_s").asDouble()).isPositive().isLessThan(55);
            assertThat(r.get("messages").asLong()).isPositive();
            assertThat(Files.readString(hlog)).contains("#[inetkit-summary]").contains("Tag=connect");
            assertThat(Files.readString(html)).contains("<svg id=\"latency-over-time\"").contains("interrupted");
        }
    }
}
