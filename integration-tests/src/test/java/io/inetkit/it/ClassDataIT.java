package io.inetkit.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Class-data sharing for every command, as the installed launcher (the tarball's {@code bin/inetkit}, which is
 * the package's too) does it (docker/jvm-options.sh): the first run of a one-shot command of each jar leaves
 * an archive of that jar for this runtime, and the next run maps it: with {@code -Xshare:on} the JVM refuses
 * to start rather than run without it, so exit 0 proves the archive was used.
 */
class ClassDataIT {

    private static Path launcher() throws IOException {
        Path target = Program.root().resolve("integration-tests/target/dist");
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(target, "inetkit-*")) {
            for (Path d : dirs) {
                if (Files.isExecutable(d.resolve("bin/inetkit"))) {
                    return d.resolve("bin/inetkit");
                }
            }
        }
        throw new IllegalStateException("no tarball tree in " + target + " (./mvnw package builds it)");
    }

    private static int run(Path cache, String javaOpts, String... args) throws Exception {
        return run(cache, true, javaOpts, args);
    }

    private static int run(Path cache, boolean cds, String javaOpts, String... args) throws Exception {
        List<String> line = new ArrayList<>(List.of(launcher().toString()));
        line.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(line).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> env = pb.environment();
        env.put("INETKIT_CACHE", cache.toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        if (!cds) {
            env.put("INETKIT_CDS", "off");
        }
        if (javaOpts != null) {
            env.put("INETKIT_JAVA_OPTS", javaOpts);
        }
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    private static List<String> files(Path dir, String glob) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, glob)) {
            s.forEach(f -> names.add(f.getFileName().toString()));
        }
        return names;
    }

    @Test
    void everyJarGetsAnArchiveOnItsFirstOneShotRunAndTheNextRunMapsIt(@TempDir Path cache) throws Exception {
        String pcap = Program.root().resolve("sniffer/examples/lecture.pcap").toString();
        String[][] commands = {{"server", "--version"}, {"client", "client", "--help"}, {"sniffer", "sniff", "-r", pcap},
                {"http", "http", "--help"}};
        for (String[] c : commands) {
            String module = c[0];
            String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
            assertThat(run(cache, null, args)).as("first run of %s", String.join(" ", args)).isZero();
            assertThat(files(cache, "inetkit-" + module + "-*")).as("archive of %s after its first run", module)
                    .hasSize(1);
            assertThat(run(cache, "-Xshare:on", args)).as("second run of %s, -Xshare:on", String.join(" ", args))
                    .isZero();
            assertThat(files(cache, "inetkit-" + module + "-*.jsa")).as("the adopted archive of %s", module)
                    .hasSize(1);
        }
        // -Xshare:on does refuse to run without its archive: the check above can fail
        assertThat(run(cache, false, "-Xshare:on -XX:SharedArchiveFile=" + cache.resolve("missing.jsa"), "--version"))
                .isNotZero();
    }
}
