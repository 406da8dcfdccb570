package io.inetkit.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the packaged {@code inetkit-http.jar} as the launcher does, in its own JVM. */
final class JarRun {

    final int exitCode;
    final byte[] stdout;
    final String stderr;

    private JarRun(int exitCode, byte[] stdout, String stderr) {
        this.exitCode = exitCode;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    String out() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout ---\n" + out() + "\n--- stderr ---\n" + stderr;
    }

    static Path jar() {
        String jar = System.getProperty("inetkit.http.jar");
        if (jar == null) {
            throw new IllegalStateException("inetkit.http.jar is not set: run the *IT tests with failsafe (mvn verify)");
        }
        return Path.of(jar);
    }

    /** The CDS archive, when the build made one. */
    static Path archive() {
        String cds = System.getProperty("inetkit.http.cds");
        return cds == null || !Files.isRegularFile(Path.of(cds)) ? null : Path.of(cds);
    }

    /** The JVM options the launcher passes: the CDS archive when there is one, its warnings off. */
    static List<String> launcherOptions() {
        Path cds = archive();
        return cds == null ? List.of()
                : List.of("-XX:SharedArchiveFile=" + cds, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    }

    static JarRun run(List<String> jvmOptions, long timeoutSeconds, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar().toString());
        command.add("http");
        command.addAll(List.of(args));
        Path out = Files.createTempFile("inetkit-http-out", ".bin");
        Path err = Files.createTempFile("inetkit-http-err", ".txt");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError("inetkit http did not finish in " + timeoutSeconds + " s: " + command);
            }
            return new JarRun(p.exitValue(), Files.readAllBytes(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
