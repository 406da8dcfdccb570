package io.inetkit.http;

import io.inetkit.http.connection.Connector;
import io.inetkit.http.output.Terminal;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
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
            r = help();
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

    @Test
    void helpShowsTheDefaultsFromTheirConstants() {
        Run r = help();
        assertThat(r.out()).contains("default " + ClientOptions.DEFAULT_MAX_REDIRECTS + ";",
                "default " + ClientOptions.DEFAULT_CONNECT_TIMEOUT_TEXT + ";",
                "default: " + HttpCommand.DEFAULT_TRANSPORT + ",");
    }

    /** The usage text goes to the command's text writer, which {@link Run#into} keeps as its stdout. */
    private static Run help() {
        return Run.into(OutputStream.nullOutputStream(), Connector.Resolver.SYSTEM, Terminal.NONE, "--help");
    }
}
