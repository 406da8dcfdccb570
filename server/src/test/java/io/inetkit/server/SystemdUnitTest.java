package io.inetkit.server;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The systemd unit in {@code src/main/dist}: {@code systemd-analyze verify} accepts it, and it carries the
 * hardening the daemon promises.
 *
 * <p>The verification runs against a root made for the test ({@code --root}): the system's unit files, the
 * unit under {@code /etc/systemd/system}, and a real executable at the unit's {@code /usr/bin/java}. That way
 * verify checks everything it can (syntax, every directive known, dependencies resolvable, the command
 * executable) whatever this machine has installed, and the negative case below shows it does check the command.
 */
class SystemdUnitTest {

    private static final Path UNIT = Path.of("src", "main", "dist", "inetkit-server.service");
    private static final String NAME = "inetkit-server.service";

    private static String analyze;

    @BeforeAll
    static void findSystemdAnalyze() {
        analyze = Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator))
                .map(dir -> Path.of(dir, "systemd-analyze"))
                .filter(Files::isExecutable)
                .map(Path::toString)
                .findFirst().orElse(null);
    }

    private static void assumeSystemdAnalyze() {
        Assumptions.assumeTrue(analyze != null,
                "systemd-analyze is not installed, so the unit cannot be verified here (Debian: apt-get install systemd)");
    }

    /** A root with the system's units, our unit, and (when {@code withJava}) an executable /usr/bin/java. */
    private static Path root(Path dir, boolean withJava) throws IOException {
        Path root = dir.resolve("root");
        Path systemUnits = Stream.of(Path.of("/usr/lib/systemd/system"), Path.of("/lib/systemd/system"))
                .filter(Files::isDirectory).findFirst()
                .orElseThrow(() -> new IllegalStateException("systemd-analyze is installed but no system unit directory"));
        copyTree(systemUnits, root.resolve("usr/lib/systemd/system"));
        Path etc = Files.createDirectories(root.resolve("etc/systemd/system"));
        Files.copy(UNIT, etc.resolve(NAME));
        if (withJava) {
            Path java = Files.createDirectories(root.resolve("usr/bin")).resolve("java");
            Files.copy(Path.of(System.getProperty("java.home"), "bin", "java").toRealPath(), java);
            assertThat(Files.isExecutable(java)).isTrue();
        }
        return root;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isSymbolicLink(p)) {
                    Files.createDirectories(target.getParent());
                    Files.createSymbolicLink(target, Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private record Result(int exit, String output) {
    }

    private static Result verify(Path root) throws Exception {
        Process p = new ProcessBuilder(analyze, "verify", "--root=" + root, NAME)
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("systemd-analyze verify did not finish in 60 s");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void systemdAnalyzeVerifyPassesWithoutAWarning(@TempDir Path dir) throws Exception {
        assumeSystemdAnalyze();
        Result r = verify(root(dir, true));
        assertThat(r.output()).as("systemd-analyze verify output").isEmpty();
        assertThat(r.exit()).isZero();
    }

    @Test
    void verifyDoesCheckTheCommandSoThePassAboveMeansSomething(@TempDir Path dir) throws Exception {
        assumeSystemdAnalyze();
        Result r = verify(root(dir, false));
        assertThat(r.exit()).isNotZero();
        assertThat(r.output()).contains("/usr/bin/java").contains("not executable");
    }

    /** The [Service] section as key → values (a key may repeat). */
    private static Map<String, List<String>> service() throws IOException {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        String section = "";
        for (String line : Files.readAllLines(UNIT)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            if (l.startsWith("[")) {
                section = l;
            } else if (section.equals("[Service]")) {
                int eq = l.indexOf('=');
                keys.computeIfAbsent(l.substring(0, eq), k -> new ArrayList<>()).add(l.substring(eq + 1));
            }
        }
        return keys;
    }

    @Test
    void theUnitIsHardenedAndReadsItsConfiguration() throws IOException {
        Map<String, List<String>> s = service();
        assertThat(s).containsEntry("DynamicUser", List.of("yes"))
                .containsEntry("NoNewPrivileges", List.of("yes"))
                .containsEntry("ProtectSystem", List.of("strict"))
                .containsEntry("ProtectHome", List.of("yes"))
                .containsEntry("PrivateTmp", List.of("yes"))
                .containsEntry("AmbientCapabilities", List.of("CAP_NET_BIND_SERVICE"))
                .containsEntry("CapabilityBoundingSet", List.of("CAP_NET_BIND_SERVICE"))
                .containsEntry("Restart", List.of("on-failure"))
                .containsKey("LimitNOFILE");
        assertThat(Integer.parseInt(s.get("LimitNOFILE").get(0))).isGreaterThan(ServerSettings.Limits.DEFAULT_MAX_CONNECTIONS);
        assertThat(s.get("ExecStart").get(0)).startsWith("/usr/bin/java ")
                .contains("-jar /opt/inetkit/inetkit-server.jar")
                .endsWith("--config /etc/inetkit/server.properties");
    }
}
