package io.inetkit.it.docker;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.MountableFile;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The distribution as a user gets it, on a plain Debian 12 with a Java runtime (docker/build-debian-image.sh):
 * the package this build made ({@code integration-tests/target/inetkit_VERSION_all.deb}) installed with dpkg,
 * used through {@code /usr/bin/inetkit}, its man pages, completion and unit checked where the tools look,
 * removed (only the conffile stays) and purged (nothing stays); and the tarball unpacked and run through a
 * symlink on PATH.
 */
@Testcontainers(disabledWithoutDocker = true)
class DebPackageIT {

    private static final Path TARGET = LocalImages.root().resolve("integration-tests/target");

    private static String image;

    @BeforeAll
    static void buildImage() throws Exception {
        image = LocalImages.debian();
    }

    private static Path built(String glob) throws IOException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(TARGET, glob)) {
            dir.forEach(found::add);
        }
        assertThat(found).as("%s in %s (./mvnw package builds it; -Ddist.skip=true does not)", glob, TARGET)
                .hasSize(1);
        return found.get(0);
    }

    private static GenericContainer<?> debian() {
        // an init as PID 1 reaps what the tests start in the background (sleep would leave zombies)
        return new GenericContainer<>(image).withCommand("sleep", "600")
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withInit(true));
    }

    /** Runs {@code sh -c script} in the container and returns its result, failing on a non-zero exit. */
    private static ExecResult sh(GenericContainer<?> c, String script) throws Exception {
        ExecResult r = c.execInContainer("sh", "-c", script);
        assertThat(r.getExitCode()).as("exit of `%s`; stdout:%n%s%nstderr:%n%s", script, r.getStdout(), r.getStderr())
                .isZero();
        return r;
    }

    @Test
    void installUseRemovePurge() throws Exception {
        Path deb = built("inetkit_*_all.deb");
        try (GenericContainer<?> c = debian()
                .withCopyFileToContainer(MountableFile.forHostPath(deb), "/tmp/inetkit.deb")) {
            c.start();
            sh(c, "dpkg -i /tmp/inetkit.deb");

            // the program, through the path a user types
            assertThat(sh(c, "command -v inetkit").getStdout().trim()).isEqualTo("/usr/bin/inetkit");
            assertThat(sh(c, "inetkit --version").getStdout()).startsWith("inetkit ");

            // an echo round trip, server and client both through /usr/bin/inetkit
            sh(c, "inetkit server --tcp 5005 --admin off >/tmp/server.log 2>&1 & echo $! >/tmp/server.pid");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(
                    () -> c.execInContainer("cat", "/tmp/server.log").getStdout().contains("listening on tcp 127.0.0.1:5005"));
            ExecResult echo = sh(c, "inetkit client 127.0.0.1 5005 --message 'Hello, World!'");
            assertThat(echo.getStdout()).contains("Hello, World!").contains("1/1 echoes matched");
            // SIGTERM drains and exits 0; the process is gone before the package is
            sh(c, "kill -TERM $(cat /tmp/server.pid)");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(
                    () -> c.execInContainer("sh", "-c", "kill -0 $(cat /tmp/server.pid)").getExitCode() != 0);

            // the man pages where man looks, one per command
            for (String page : List.of("inetkit", "inetkit-server", "inetkit-client", "inetkit-load",
                    "inetkit-load-merge", "inetkit-sniff", "inetkit-http")) {
                assertThat(sh(c, "man -w " + page).getStdout().trim())
                        .isEqualTo("/usr/share/man/man1/" + page + ".1.gz");
            }
            assertThat(sh(c, "MANWIDTH=80 man inetkit-server 2>/dev/null | col -b").getStdout())
                    .contains("inetkit-server - ").contains("--drain-timeout");

            // bash: bash-completion loads completions/inetkit on demand; `inetkit serv<TAB>` offers server
            assertThat(sh(c, "test -f /usr/share/bash-completion/completions/inetkit && bash -c '"
                    + ". /usr/share/bash-completion/completions/inetkit; COMP_LINE=\"inetkit serv\"; COMP_POINT=12;"
                    + " COMP_WORDS=(inetkit serv); COMP_CWORD=1; _complete_inetkit; echo \"${COMPREPLY[@]}\"'")
                    .getStdout().trim()).isEqualTo("server");
            // bash: an option of a subcommand
            assertThat(sh(c, "bash -c '. /usr/share/bash-completion/completions/inetkit;"
                    + " COMP_LINE=\"inetkit server --drain\"; COMP_POINT=22; COMP_WORDS=(inetkit server --drain);"
                    + " COMP_CWORD=2; _complete_inetkit; echo \"${COMPREPLY[@]}\"'").getStdout())
                    .contains("--drain-timeout");
            // zsh: compinit finds _inetkit in its fpath and registers it for the command
            assertThat(sh(c, "zsh -fc 'autoload -U compinit && compinit -u -D && print -r -- $_comps[inetkit]'")
                    .getStdout().trim()).isEqualTo("_inetkit");

            // the unit, as systemd reads it (the binary it names exists, the directives are known)
            sh(c, "systemd-analyze verify /lib/systemd/system/inetkit-server.service");
            assertThat(sh(c, "cat /lib/systemd/system/inetkit-server.service").getStdout())
                    .contains("-jar /usr/share/inetkit/lib/inetkit-server.jar server --config /etc/inetkit/server.properties")
                    .contains("DynamicUser=yes");
            assertThat(sh(c, "cat /var/lib/dpkg/info/inetkit.conffiles").getStdout().trim())
                    .isEqualTo("/etc/inetkit/server.properties");

            // remove: every file of the package is gone but the conffile
            List<String> files = Arrays.asList(sh(c, "dpkg -L inetkit").getStdout().split("\n"));
            assertThat(files).contains("/usr/bin/inetkit", "/usr/share/inetkit/lib/inetkit-server.jar");
            sh(c, "dpkg -r inetkit");
            String left = sh(c, "dpkg -L inetkit | while read -r f; do"
                    + " if [ -e \"$f\" ] || [ -L \"$f\" ]; then [ -d \"$f\" ] || echo \"$f\"; fi; done; true").getStdout();
            assertThat(left.trim()).isEqualTo("/etc/inetkit/server.properties");
            assertThat(sh(c, "ls -d /usr/share/inetkit 2>/dev/null; command -v inetkit; true").getStdout()).isEmpty();

            // purge: the config goes too, and dpkg forgets the package
            sh(c, "dpkg -P inetkit");
            assertThat(sh(c, "ls -d /etc/inetkit 2>/dev/null; true").getStdout()).isEmpty();
            assertThat(c.execInContainer("dpkg", "-s", "inetkit").getExitCode()).isNotZero();
        }
    }

    @Test
    void tarballRunsThroughASymlinkOnPath() throws Exception {
        Path tarball = built("inetkit-*.tar.gz");
        String dir = tarball.getFileName().toString().replace(".tar.gz", "");
        try (GenericContainer<?> c = debian()
                .withCopyFileToContainer(MountableFile.forHostPath(tarball), "/tmp/inetkit.tar.gz")) {
            c.start();
            sh(c, "tar -xzf /tmp/inetkit.tar.gz -C /opt && ln -s /opt/" + dir + "/bin/inetkit /usr/local/bin/inetkit");
            String layout = sh(c, "cd /opt/" + dir + " && ls bin lib man/man1 completion").getStdout();
            assertThat(layout).contains("inetkit-server.jar", "inetkit-client.jar", "inetkit-sniffer.jar",
                    "inetkit-http.jar", "commands", "inetkit-server.1", "_inetkit");
            assertThat(sh(c, "inetkit --version").getStdout()).startsWith("inetkit ");
            assertThat(sh(c, "inetkit http --help").getStdout()).contains("Usage: inetkit http");
            ExecResult unknown = c.execInContainer("inetkit", "bogus");
            assertThat(unknown.getExitCode()).isEqualTo(2);
            assertThat(unknown.getStderr()).contains("unknown command 'bogus'");
        }
    }
}
