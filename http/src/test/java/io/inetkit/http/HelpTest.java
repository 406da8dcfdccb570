package io.inetkit.http;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class HelpTest {

    @Test
    void helpPrintsEveryOptionAndNoWarnings() {
        // picocli reports a description it cannot format on System.err, not on the command's writer
        PrintStream systemErr = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        Run r;
        System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
        try {
            r = Run.http("--help");
        } finally {
            System.setErr(systemErr);
        }
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.stderr).isEmpty();
        assertThat(warnings.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(r.out()).contains("--request", "--header", "--data-binary", "--write-out", "--max-redirs",
                "--connect-timeout", "--http2-prior-knowledge", "--compressed", "--transport",
                "FORMAT with %{variables}", "%{http_code}", "%{scheme}");
    }
}
