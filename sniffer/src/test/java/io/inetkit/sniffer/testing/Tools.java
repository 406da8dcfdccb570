package io.inetkit.sniffer.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the external tools the tests compare with (tshark, tcpdump, ip, arping), with a time limit. */
public final class Tools {

    private Tools() {
    }

    public record Result(int exitCode, String out, String err) {
    }

    /** Whether {@code name} is an executable on the PATH. */
    public static boolean installed(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code command} and waits at most {@code seconds}; the process is killed if it takes longer. */
    public static Result run(long seconds, Map<String, String> env, List<String> command)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        Path outFile = Files.createTempFile("tool", ".out");
        Path errFile = Files.createTempFile("tool", ".err");
        try {
            pb.redirectOutput(outFile.toFile()).redirectError(errFile.toFile());
            Process p = pb.start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new IOException(String.join(" ", command) + " did not finish in " + seconds + " s");
            }
            return new Result(p.exitValue(), Files.readString(outFile, StandardCharsets.UTF_8),
                    Files.readString(errFile, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(outFile);
            Files.deleteIfExists(errFile);
        }
    }

    public static Result run(long seconds, String... command) throws IOException, InterruptedException {
        return run(seconds, Map.of(), List.of(command));
    }

    public static boolean isRoot() {
        try {
            return run(10, "id", "-u").out().trim().equals("0");
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
