package io.inetkit.client.load;

import io.inetkit.client.testing.CliRun;
import io.inetkit.common.cli.Cli;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input and failures in inetkit's words: report files checked before the run, every file error with
 * its reason, connect failures without Netty's text, source addresses that are not local refused.
 */
class LoadErrorsTest {

    /** A port nothing listens on: a run that got as far as connecting would fail there (exit 1), not with 2. */
    static String closedPort;

    @TempDir
    Path dir;

    @BeforeAll
    static void findClosedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = String.valueOf(s.getLocalPort());
        }
    }

    private static void assertUsageError(CliRun r, String line) {
        assertThat(r.exit()).as(r.toString()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(r.err().strip()).as(r.toString()).isEqualTo(line);
    }

    /** {@code inetkit load 127.0.0.1 <closed port> <options>} fails with the one line {@code inetkit load: <line>}. */
    private static void assertLoadUsageError(String line, String... options) {
        String[] args = new String[options.length + 3];
        args[0] = "load";
        args[1] = "127.0.0.1";
        args[2] = closedPort;
        System.arraycopy(options, 0, args, 3, options.length);
        assertUsageError(CliRun.run(args), "inetkit load: " + line);
    }

    @Test
    void aMissingDirectoryFailsBeforeTheRun() {
        for (String option : List.of("--html", "--json", "--hdr-log")) {
            assertLoadUsageError("cannot write " + option + " /nonexistent/r: No such file or directory", option,
                    "/nonexistent/r");
        }
    }

    @Test
    void aDirectoryIsNoReportFileAndTheCheckLeavesNothingBehind() {
        assertLoadUsageError("cannot write --json " + dir + ": Is a directory", "--json", dir.toString());
        Path fine = dir.resolve("r.json");
        Path bad = dir.resolve("sub");
        assertLoadUsageError("cannot write --html " + bad.resolve("r.html")
                + ": No such file or directory", "--json", fine.toString(), "--html",
                bad.resolve("r.html").toString());
        assertThat(fine).doesNotExist();
    }

    @Test
    void mergeChecksItsFilesToo() throws IOException {
        assertUsageError(CliRun.run("load", "merge", dir.resolve("a.hlog").toString()),
                "inetkit load merge: cannot read " + dir.resolve("a.hlog") + ": No such file or directory");
        Path log = Files.writeString(dir.resolve("b.hlog"), "");
        assertUsageError(CliRun.run("load", "merge", log.toString(), "--html", "/nonexistent/m.html"),
                "inetkit load merge: cannot write --html /nonexistent/m.html: No such file or directory");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "io_uring"})
    void aRefusedConnectIsSaidInInetkitsWords(String transport) {
        CliRun r = CliRun.run("load", "127.0.0.1", closedPort, "-c", "2", "--transport", transport);
        assertThat(r.exit()).as(r.toString()).isEqualTo(Cli.EXIT_RUNTIME);
        assertThat(r.err()).as(r.toString())
                .contains("connect to 127.0.0.1:" + closedPort + ": connection refused")
                .contains("connect-refused 2")
                .doesNotContain("finishConnect").doesNotContain("error(-").doesNotContain("Exception");
    }

    @Test
    void sourceAddressesThatAreNotLocalAreRefusedBeforeTheRun() {
        // 192.0.2.0/24 is TEST-NET-1: never an address of this machine; only a bind is tried, nothing is sent
        CliRun r = CliRun.run("load", "127.0.0.1", closedPort, "--source-ips", "127.0.0.2,192.0.2.7");
        assertThat(r.exit()).as(r.toString()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(r.err().strip().lines()).as(r.toString()).hasSize(1);
        assertThat(r.err()).contains("--source-ips 192.0.2.7 is not an address of this machine")
                .doesNotContain("127.0.0.2 is not");
    }

    @Test
    void durationsArePrintedAsTheyAreTyped() {
        assertLoadUsageError("--duration must be > 0: 0s", "--duration", "0");
        assertLoadUsageError("--timeout must be > 0: 0s", "--timeout", "0ms");
    }

    @Test
    void aMissingConfigFileNamesTheReason() {
        Path config = dir.resolve("load.properties");
        assertLoadUsageError("cannot read config file " + config + ": No such file or directory", "--config",
                config.toString());
    }
}
