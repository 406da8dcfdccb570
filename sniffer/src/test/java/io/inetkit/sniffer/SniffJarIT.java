package io.inetkit.sniffer;

import io.inetkit.sniffer.capture.SniffExit;
import io.inetkit.sniffer.testing.Frames;
import io.inetkit.sniffer.testing.JarProcess;
import io.inetkit.sniffer.testing.PcapFiles;
import io.inetkit.sniffer.testing.Tools;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged jar as users run it: output, and the errors that need a process of their own. */
class SniffJarIT {

    @TempDir
    Path dir;

    @Test
    void readsACaptureFile() throws Exception {
        Path file = new PcapFiles().add(Frames.LECTURE).write(dir.resolve("lecture.pcap"));
        try (JarProcess p = JarProcess.start(List.of(), List.of(), "-r", file.toString())) {
            assertThat(p.waitFor(Duration.ofSeconds(60))).as(p.err()).isZero();
            assertThat(p.out()).endsWith(" ARP, Request who-has 192.168.1.27 tell 192.168.1.1, length 28\n");
            assertThat(p.err()).startsWith("reading from file " + file + ", link-type EN10MB (Ethernet)")
                    .contains("1 decoded as ARP");
        }
    }

    @Test
    void withoutLibpcapItSaysSoInOneLine() throws Exception {
        Path file = new PcapFiles().add(Frames.LECTURE).write(dir.resolve("lecture.pcap"));
        try (JarProcess p = JarProcess.start(List.of(),
                List.of("-Dorg.pcap4j.core.pcapLibName=/nonexistent/libpcap.so.0.8"),
                "-r", file.toString())) {
            assertThat(p.waitFor(Duration.ofSeconds(60))).isEqualTo(SniffExit.NO_LIBPCAP);
            assertThat(p.err()).startsWith("inetkit sniff: libpcap not found (install it: apt-get install libpcap0.8): "
                    + "Unable to load library '/nonexistent/libpcap.so.0.8'").hasLineCount(1);
            assertThat(p.out()).isEmpty();
        }
    }

    @Test
    void withoutPermissionItNamesTheFix() throws Exception {
        List<String> prefix;
        Path jarDir = null;
        if (Tools.isRoot()) {
            Assumptions.assumeTrue(Tools.installed("setpriv"),
                    "setpriv (util-linux) is missing: cannot drop root to test the permission error");
            // an unprivileged user must be able to read the jar: a world-readable copy
            jarDir = Files.createTempDirectory("sniff-jar", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwxr-xr-x")));
            Path jar = Files.copy(JarProcess.jar(), jarDir.resolve("inetkit-sniffer.jar"));
            Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
            System.setProperty("sniffer.jar", jar.toString());
            prefix = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                    "--inh-caps=-all", "--bounding-set=-all");
        } else {
            prefix = List.of();
        }
        try (JarProcess p = JarProcess.start(prefix, List.of("-XX:-UsePerfData"), "-i", "lo")) {
            assertThat(p.waitFor(Duration.ofSeconds(60))).as(p.err()).isEqualTo(SniffExit.NO_PERMISSION);
            assertThat(p.err()).startsWith("inetkit sniff: no permission to capture on lo: run as root, or grant CAP_NET_RAW")
                    .hasLineCount(1);
        } finally {
            if (jarDir != null) {
                System.clearProperty("sniffer.jar");
                Files.deleteIfExists(jarDir.resolve("inetkit-sniffer.jar"));
                Files.deleteIfExists(jarDir);
            }
        }
    }

    @Test
    void helpAndVersion() throws Exception {
        try (JarProcess p = JarProcess.start(List.of(), List.of(), "--help")) {
            assertThat(p.waitFor(Duration.ofSeconds(60))).isZero();
            assertThat(p.out()).startsWith("Usage: inetkit sniff").contains("--format").contains("Exit codes:");
        }
        try (JarProcess p = JarProcess.start(List.of(), List.of(), "--version")) {
            assertThat(p.waitFor(Duration.ofSeconds(60))).isZero();
            assertThat(p.out()).startsWith("inetkit ");
        }
    }

    /**
     * {@code -w -}: stdout carries the pcap stream alone (tcpdump reads every frame from the pipe, the text is
     * on stderr); a reader that leaves early ends the capture with one line and exit 8, not a stack trace.
     */
    @Test
    void writesPcapToStdoutAndStopsWhenTheReaderLeaves() throws Exception {
        Assumptions.assumeTrue(Tools.installed("tcpdump"), "tcpdump is not installed");
        PcapFiles files = new PcapFiles();
        for (int i = 0; i < 20_000; i++) {
            files.add(Frames.LECTURE);
        }
        Path file = files.write(dir.resolve("many.pcap"));
        String sniff = "'" + JarProcess.java() + "' -jar '" + JarProcess.jar() + "' sniff -r '" + file + "' -w -";
        Tools.Result whole = Tools.run(120, "sh", "-c", sniff + " 2>/dev/null | tcpdump -nn -r - 2>/dev/null | wc -l");
        assertThat(whole.out().trim()).isEqualTo("20000");
        Tools.Result early = Tools.run(120, "bash", "-c", sniff + " 2>" + dir.resolve("err.txt")
                + " | head -c 100 >/dev/null; echo ${PIPESTATUS[0]}");
        assertThat(early.out().trim()).isEqualTo(String.valueOf(SniffExit.FILE));
        String err = Files.readString(dir.resolve("err.txt"));
        assertThat(err).endsWith("inetkit sniff: cannot write stdout: Broken pipe\n").doesNotContain("\tat ");
    }
}
