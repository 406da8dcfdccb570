package io.inetkit.http;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lecture's example end to end with the packaged program: {@code inetkit http -i http://127.0.0.1:PORT/ip}
 * against the HTTP echo listener prints the status line, the headers and {@code {"origin": "127.0.0.1"}}.
 */
class LectureExampleIT {

    @Test
    void includePrintsStatusLineHeadersAndOrigin() throws Exception {
        try (EchoTarget server = EchoTarget.http()) {
            JarRun r = JarRun.run(JarRun.launcherOptions(), 60, "-i", "http://127.0.0.1:" + server.port() + "/ip");
            assertThat(r.exitCode).as(r.toString()).isZero();
            assertThat(r.out()).isEqualTo("HTTP/1.1 200 OK\r\n"
                    + "content-type: application/json\r\n"
                    + "server: inetkit\r\n"
                    + "access-control-allow-origin: *\r\n"
                    + "access-control-allow-credentials: true\r\n"
                    + "content-length: 24\r\n"
                    + "\r\n"
                    + "{\"origin\": \"127.0.0.1\"}\n");
            assertThat(r.stderr).isEmpty();
        }
    }

    @Test
    void errorsAreOneLineWithCurlsExitCode() throws Exception {
        JarRun r = JarRun.run(JarRun.launcherOptions(), 60, "http://127.0.0.1:1/");
        assertThat(r.exitCode).isEqualTo(7);
        assertThat(r.stderr.lines().toList()).hasSize(1);
        assertThat(r.stderr).startsWith("inetkit http: (7) Failed to connect to 127.0.0.1 port 1");
        assertThat(r.stdout).isEmpty();
    }

    @Test
    void theCdsArchiveMapsIntoTheJvm() throws Exception {
        Assumptions.assumeTrue(JarRun.archive() != null, "no CDS archive was made at package time "
                + "(-Dcds.skip=true, or the training run failed): the launcher runs without one");
        List<String> options = new ArrayList<>();
        options.add("-Xshare:on"); // fails instead of falling back when the archive cannot be used
        options.add("-XX:SharedArchiveFile=" + JarRun.archive());
        options.add("-Xlog:class+load=info");
        JarRun r = JarRun.run(options, 60, "--version");
        assertThat(r.exitCode).as(r.toString()).isZero();
        long fromArchive = r.out().lines().filter(l -> l.contains("source: shared objects file (top)")).count();
        assertThat(fromArchive).as("classes loaded from the dynamic archive").isGreaterThan(100);
    }
}
