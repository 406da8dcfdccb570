package io.inetkit.it;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lecture's examples, each run with the packaged programs talking to each other as users run them:
 * the echo client against the echo server, and the HTTP request of the lecture's last example against the
 * server's own httpbin-style listener.
 */
class LectureExamplesIT {

    @Test
    void theHttpExamplePrintsStatusHeadersAndTheOrigin() throws Exception {
        try (Program server = Program.start("server", "--http", "0", "--admin", "off")) {
            String port = server.awaitStderr("listening on http 127\\.0\\.0\\.1:(\\d+)", Duration.ofSeconds(30));
            try (Program http = Program.start("http", "-i", "http://127.0.0.1:" + port + "/ip")) {
                assertThat(http.awaitExit(Duration.ofSeconds(30))).isZero();
                List<String> out = http.stdout();
                assertThat(out.get(0)).isEqualTo("HTTP/1.1 200 OK");
                assertThat(out).anyMatch(l -> l.toLowerCase().startsWith("content-type: application/json"));
                assertThat(out).contains("");
                assertThat(String.join("\n", out.subList(out.indexOf("") + 1, out.size())))
                        .contains("\"origin\": \"127.0.0.1\"");
            }
        }
    }

    @Test
    void theEchoClientChecksTheLecturesMessageOnEveryFraming() throws Exception {
        try (Program server = Program.start("server", "--tcp", "0", "--tcp", "0:line", "--tcp", "0:fixed:13",
                "--tcp", "0:length:4", "--admin", "off")) {
            String[] framings = {"raw", "line", "fixed:13", "length:4"};
            for (String framing : framings) {
                String port = server.awaitStderr("listening on tcp 127\\.0\\.0\\.1:(\\d+) \\(" + framing + "[:)]",
                        Duration.ofSeconds(30));
                try (Program client = Program.start("client", "127.0.0.1", port, "--framing", framing,
                        "--message", "Hello, World!", "--count", "2")) {
                    assertThat(client.awaitExit(Duration.ofSeconds(30))).as(framing + ": " + client.stderr()).isZero();
                    assertThat(client.stdout()).anyMatch(l -> l.contains("2/2 echoes matched"));
                }
            }
        }
    }
}
