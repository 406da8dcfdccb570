package io.inetkit.sniffer.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The packaged {@code inetkit-sniffer.jar} run as a process, its output collected as it comes. */
public final class JarProcess implements AutoCloseable {

    private final Process process;
    private final StringBuffer out = new StringBuffer();
    private final StringBuffer err = new StringBuffer();
    private final List<Thread> pumps = new ArrayList<>();

    private JarProcess(Process process) {
        this.process = process;
        pumps.add(pump(process.getInputStream(), out));
        pumps.add(pump(process.getErrorStream(), err));
    }

    /** The jar failsafe was told about ({@code sniffer.jar}), checked to exist. */
    public static Path jar() {
        String path = System.getProperty("sniffer.jar", "target/inetkit-sniffer.jar");
        Path jar = Path.of(path);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the packaged jar is missing: " + jar + " (run mvn verify)");
        }
        return jar.toAbsolutePath();
    }

    /** This JVM's {@code java}. */
    public static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** Starts {@code prefix... java [jvmArgs] -jar JAR args...}. */
    public static JarProcess start(List<String> prefix, List<String> jvmArgs, String... args) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.add(java());
        command.addAll(jvmArgs);
        command.add("-jar");
        command.add(jar().toString());
        command.add("sniff");
        command.addAll(List.of(args));
        return new JarProcess(new ProcessBuilder(command).start());
    }

    private static Thread pump(InputStream in, StringBuffer into) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    into.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // the process is gone
            }
        }, "jar-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    public String out() {
        return out.toString();
    }

    public String err() {
        return err.toString();
    }

    /**
     * Sends SIGTERM. Through the process handle: {@code Process.destroy()} would also close our ends of
     * its pipes, and we want to read what it prints while it stops.
     */
    public void terminate() {
        process.toHandle().destroy();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the exit (at most {@code limit}) and for the output to be read; returns the exit code. */
    public int waitFor(Duration limit) throws InterruptedException, IOException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IOException("inetkit sniff did not exit within " + limit + "; stderr: " + err);
        }
        for (Thread t : pumps) {
            t.join(TimeUnit.SECONDS.toMillis(10));
        }
        return process.exitValue();
    }

    /** Kills the process if it is still running (a failed test must not leave it behind). */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
