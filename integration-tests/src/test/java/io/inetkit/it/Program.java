package io.inetkit.it;

import io.inetkit.common.cli.Commands;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * A packaged inetkit command run as a real process: {@code java -jar <module>/target/inetkit-<module>.jar
 * <command> <args>}, the module being the one the command list names for the command (as the launcher
 * picks it). Collects its stdout and stderr line by line so tests can await what it prints.
 */
final class Program implements AutoCloseable {

    final Process process;
    private final List<String> out = Collections.synchronizedList(new ArrayList<>());
    private final List<String> err = Collections.synchronizedList(new ArrayList<>());

    private final List<Thread> pumps = new ArrayList<>();

    private Program(Process process) {
        this.process = process;
        pumps.add(pump(process.getInputStream(), out));
        pumps.add(pump(process.getErrorStream(), err));
    }

    static Path root() {
        return Path.of(System.getProperty("inetkit.root", "..")).toAbsolutePath().normalize();
    }

    static Path jar(String module) {
        Path jar = root().resolve(module).resolve("target").resolve("inetkit-" + module + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no packaged jar at " + jar + ": run the tests through Maven (verify)");
        }
        return jar;
    }

    /** The jar that holds {@code command} ({@code server}, {@code load}, ...), from the command list. */
    static Path jarOf(String command) {
        Commands.Entry entry = Commands.load().find(List.of(command))
                .orElseThrow(() -> new IllegalArgumentException("no command '" + command + "' in the command list"));
        return jar(entry.module());
    }

    /** Starts {@code inetkit <command> <args>}. */
    static Program start(String command, String... args) throws IOException {
        return start(List.of(), command, args);
    }

    /** Starts {@code java <jvmOptions> -jar <the command's jar> <command> <args>}. */
    static Program start(List<String> jvmOptions, String command, String... args) throws IOException {
        List<String> line = new ArrayList<>();
        line.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        line.addAll(jvmOptions);
        line.add("-jar");
        line.add(jarOf(command).toString());
        line.add(command);
        line.addAll(List.of(args));
        return new Program(new ProcessBuilder(line).start());
    }

    private static Thread pump(InputStream stream, List<String> sink) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    sink.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** After the process ended: waits until everything it printed has been read. */
    private void drainOutput() throws InterruptedException {
        for (Thread t : pumps) {
            t.join(5000);
        }
    }

    List<String> stdout() {
        synchronized (out) {
            return List.copyOf(out);
        }
    }

    List<String> stderr() {
        synchronized (err) {
            return List.copyOf(err);
        }
    }

    /** Waits for a stderr line matching {@code regex} and returns its first group. */
    String awaitStderr(String regex, Duration timeout) {
        Pattern p = Pattern.compile(regex);
        String[] found = new String[1];
        await().atMost(timeout).until(() -> {
            for (String line : stderr()) {
                Matcher m = p.matcher(line);
                if (m.find()) {
                    found[0] = m.groupCount() > 0 ? m.group(1) : line;
                    return true;
                }
            }
            if (!process.isAlive()) {
                drainOutput();
                for (String line : stderr()) {
                    Matcher m = p.matcher(line);
                    if (m.find()) {
                        found[0] = m.groupCount() > 0 ? m.group(1) : line;
                        return true;
                    }
                }
                throw new AssertionError("process exited (" + process.exitValue() + ") before printing /" + regex
                        + "/; stderr: " + stderr());
            }
            return false;
        });
        return found[0];
    }

    /**
     * Sends SIGTERM, as systemd, docker stop and Ctrl-C's cousin do. ({@link Process#destroy()} would send it
     * too, but it also closes our end of the program's output, and we want to read what it says while
     * stopping.)
     */
    void sigterm() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-TERM", String.valueOf(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -TERM " + process.pid() + " failed");
        }
    }

    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("process still running after " + timeout + "; stderr: " + stderr());
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
