package io.inetkit.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The launcher {@code ./inetkit} as a new user meets it: in a fresh {@code git clone} of this repository
 * (its committed HEAD), where nothing is built yet. Two first uses at once wait for one build; through a
 * symlink on PATH it finds its clone from any directory; {@code --version} names the clone's commit.
 *
 * <p>The clone builds with Maven offline ({@code MAVEN_ARGS=-o}): the dependencies and the wrapper's Maven
 * are in the local repository already, since this very build used them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LauncherIT {

    @TempDir
    static Path dir;

    static Path clone;

    @BeforeAll
    static void freshClone() throws Exception {
        assumeThat(Files.isDirectory(Program.root().resolve(".git")) || Files.isRegularFile(Program.root().resolve(".git")))
                .as("the repository is a git checkout (not a source tarball)").isTrue();
        clone = dir.resolve("clone");
        Run git = Run.of(dir, Map.of(), "git", "clone", "--quiet", "--no-hardlinks", Program.root().toString(),
                clone.toString());
        assertThat(git.exit).as(git.toString()).isZero();
        assertThat(clone.resolve("server/target")).doesNotExist();
    }

    @Test
    @Order(1)
    void twoFirstUsesAtOnceWaitForOneBuildAndBothPrintTheVersion() throws Exception {
        Path launcher = clone.resolve("inetkit");
        Started first = start(clone, Map.of(), launcher.toString(), "--version");
        Started second = start(clone, Map.of(), launcher.toString(), "--version");
        Run a = Run.await(first);
        Run b = Run.await(second);

        assertThat(a.exit).as(a.toString()).isZero();
        assertThat(b.exit).as(b.toString()).isZero();
        assertThat(a.out).as(a.toString()).startsWith("inetkit ");
        assertThat(b.out).as(b.toString()).isEqualTo(a.out);
        // exactly one of them built, with its progress on stderr; the other waited for the lock, then found the
        // jar fresh
        String both = a.err + b.err;
        assertThat(count(both, "inetkit: building server (first use, about a minute) ...")).as(both).isEqualTo(1);
        assertThat(count(both, "inetkit: waiting for the build that another inetkit started ...")).as(both).isEqualTo(1);
        assertThat(both).contains("inetkit:   inetkit common ").contains("inetkit: built server in ");
        String log = Files.readString(clone.resolve("target/inetkit-build.log"));
        assertThat(count(log, "BUILD SUCCESS")).as("one Maven build").isEqualTo(1);
    }

    @Test
    @Order(2)
    void throughASymlinkOnPathItFindsItsCloneFromAnyDirectory() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("inetkit"), clone.resolve("inetkit"));
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Map<String, String> path = Map.of("PATH", bin + ":" + System.getenv("PATH"));
        // env finds inetkit on the PATH given here (ProcessBuilder would search this JVM's own PATH)
        Run r = Run.of(elsewhere, path, "env", "inetkit", "--version");
        assertThat(r.exit).as(r.toString()).isZero();
        assertThat(r.out).startsWith("inetkit ");
        Run help = Run.of(elsewhere, path, "env", "inetkit", "--help");
        assertThat(help.exit).as(help.toString()).isZero();
        assertThat(help.out).contains("server", "client", "load merge", "sniff", "http");
    }

    @Test
    @Order(3)
    void versionIsTheOneLineWithTheClonesCommit() throws Exception {
        Run shortId = Run.of(clone, Map.of(), "git", "rev-parse", "--short", "HEAD");
        Run date = Run.of(clone, Map.of("TZ", "UTC"), "git", "log", "-1", "--format=%cd", "--date=format-local:%Y-%m-%d");
        Run v = Run.of(clone, Map.of(), clone.resolve("inetkit").toString(), "--version");
        assertThat(v.exit).as(v.toString()).isZero();
        assertThat(v.out.strip()).matches("inetkit \\S+ \\(commit " + shortId.out.strip() + ", " + date.out.strip() + "\\)");
        // every command answers with the same line, whichever jar holds it
        Run server = Run.of(clone, Map.of(), clone.resolve("inetkit").toString(), "server", "--version");
        assertThat(server.out).isEqualTo(v.out);
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }

    /** A started process whose stdout and stderr go to files (nothing to pump, nothing to block on). */
    private record Started(String name, Process process, Path out, Path err) {
    }

    private static Started start(Path cwd, Map<String, String> env, String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("MAVEN_ARGS", "-o");
        pb.environment().remove("INETKIT_JAVA_OPTS");
        pb.environment().putAll(env);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        return new Started(String.join(" ", command), pb.start(), out, err);
    }

    /** One finished process: its exit code and what it printed. */
    private record Run(String name, int exit, String out, String err) {

        static Run of(Path cwd, Map<String, String> env, String... command) throws Exception {
            return await(start(cwd, env, command));
        }

        static Run await(Started s) throws Exception {
            if (!s.process().waitFor(5, TimeUnit.MINUTES)) {
                s.process().destroyForcibly();
                throw new AssertionError(s.name() + " did not finish in 5 minutes");
            }
            return new Run(s.name(), s.process().exitValue(), Files.readString(s.out(), StandardCharsets.UTF_8),
                    Files.readString(s.err(), StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return name + ": exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
