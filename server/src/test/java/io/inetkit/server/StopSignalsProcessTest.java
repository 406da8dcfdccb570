package io.inetkit.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The server as a process: Ctrl-C (SIGINT) drains, and a second one while it drains (here: a peer that never
 * closes, and a drain timeout of a minute) ends it at once with 130.
 */
class StopSignalsProcessTest {

    private static final Pattern LISTENING = Pattern.compile("listening on tcp 127\\.0\\.0\\.1:(\\d+)");

    private Process server;

    @AfterEach
    void kill() {
        if (server != null) {
            server.destroyForcibly();
        }
    }

    @Test
    void aSecondCtrlCWhileDrainingExitsAtOnceWith130() throws Exception {
        assumeFalse(sigintIgnored(), "SIGINT is ignored in this process, and so in its children");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        server = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ServerProcessMain.class.getName(), "--tcp", "0", "--admin", "off", "--drain-timeout", "60s",
                "--io-threads", "1")
                .redirectErrorStream(true)
                .start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();

        int port = Integer.parseInt(awaitLine(lines, LISTENING).group(1));
        try (Socket peer = new Socket("127.0.0.1", port)) { // never closes while the server drains
            peer.getOutputStream().write("hi".getBytes(StandardCharsets.US_ASCII));
            assertThat(peer.getInputStream().readNBytes(2)).isEqualTo("hi".getBytes(StandardCharsets.US_ASCII));

            signal("INT");
            awaitLine(lines, Pattern.compile("stopping: draining connections"));
            assertThat(server.waitFor(300, TimeUnit.MILLISECONDS)).as("still draining the open connection").isFalse();

            long start = System.nanoTime();
            signal("INT");
            assertThat(server.waitFor(10, TimeUnit.SECONDS)).as("stopped at the second Ctrl-C").isTrue();
            assertThat(server.exitValue()).isEqualTo(130);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }

    private void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(server.pid())).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }

    private Matcher awaitLine(BlockingQueue<String> lines, Pattern pattern) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null) {
                Matcher m = pattern.matcher(line);
                if (m.find()) {
                    return m;
                }
            } else if (!server.isAlive()) {
                throw new AssertionError("the server ended (exit " + server.exitValue() + ") before: " + pattern);
            }
        }
        throw new AssertionError("no line matching " + pattern);
    }

    /** True when this process ignores SIGINT (a child of {@code nohup}, say): its children would too. */
    private static boolean sigintIgnored() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return false;
        }
        List<String> fields = Files.readAllLines(status).stream().filter(l -> l.startsWith("SigIgn:")).toList();
        return !fields.isEmpty() && (Long.parseLong(fields.get(0).substring(7).trim(), 16) & 0x2) != 0;
    }
}
