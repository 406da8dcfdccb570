package io.inetkit.it.docker;

import org.testcontainers.DockerClientFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The images the container tests use, all built on this machine (no registry is assumed): the Java base image
 * ({@code docker/build-base-image.sh}, unless {@code INETKIT_BASE_IMAGE} names another local one), the socat
 * ambassador image ({@code docker/build-socat-image.sh}, named in {@code testcontainers.properties}), and the
 * inetkit image itself ({@code docker/build-image.sh}, once per test JVM, from the jars this build packaged), and
 * the plain Debian image the package is installed on ({@code docker/build-debian-image.sh}, once per machine) and
 * the compose demo's Prometheus ({@code docker/build-prometheus-image.sh}, once per machine).
 * Each script's output goes to {@code target/docker-build-*.log}; a failure carries the log's tail.
 */
final class LocalImages {

    static final String INETKIT = "inetkit:latest";
    static final String DEFAULT_BASE = "inetkit-jre:17";
    static final String SOCAT = "inetkit-socat:1";
    static final String DEBIAN = "inetkit-debian:12";
    static final String PROMETHEUS = "inetkit-prometheus:2";

    private static boolean built;

    private LocalImages() {
    }

    static Path root() {
        return Path.of(System.getProperty("inetkit.root", "..")).toAbsolutePath().normalize();
    }

    static Path dockerDir() {
        return root().resolve("docker");
    }

    /** The base image the inetkit image is built on: {@code INETKIT_BASE_IMAGE}, or the local jlink one. */
    static String baseImage() {
        String env = System.getenv("INETKIT_BASE_IMAGE");
        return env == null || env.isBlank() ? DEFAULT_BASE : env;
    }

    /** Builds (once per JVM) every image the tests need and returns the inetkit image's name. */
    static synchronized String inetkit() throws IOException, InterruptedException {
        if (!built) {
            String base = baseImage();
            if (!exists(base)) {
                if (!base.equals(DEFAULT_BASE)) {
                    throw new IllegalStateException("INETKIT_BASE_IMAGE=" + base + " is not a local image");
                }
                run("base", Duration.ofMinutes(3), "docker/build-base-image.sh", base);
            }
            if (!exists(SOCAT)) {
                run("socat", Duration.ofMinutes(2), "docker/build-socat-image.sh", SOCAT);
            }
            run("image", Duration.ofMinutes(5), "docker/build-image.sh", "--base", base, "--tag", INETKIT);
            built = true;
        }
        return INETKIT;
    }

    /** Builds (once per machine) the Debian 12 image with a Java runtime that the package test installs on. */
    static synchronized String debian() throws IOException, InterruptedException {
        if (!exists(DEBIAN)) {
            run("debian", Duration.ofMinutes(10), "docker/build-debian-image.sh", DEBIAN);
        }
        return DEBIAN;
    }

    /** Builds (once per machine) the compose demo's Prometheus image from Debian's package. */
    static synchronized String prometheus() throws IOException, InterruptedException {
        if (!exists(PROMETHEUS)) {
            run("prometheus", Duration.ofMinutes(3), "docker/build-prometheus-image.sh", PROMETHEUS);
        }
        return PROMETHEUS;
    }

    static boolean exists(String image) {
        try {
            DockerClientFactory.lazyClient().inspectImageCmd(image).exec();
            return true;
        } catch (com.github.dockerjava.api.exception.NotFoundException e) {
            return false;
        }
    }

    static void run(String what, Duration timeout, String script, String... args)
            throws IOException, InterruptedException {
        Path log = root().resolve("integration-tests/target/docker-build-" + what + ".log");
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>(List.of("bash", root().resolve(script).toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .directory(root().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(script + " did not finish within " + timeout + "; see " + log);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(script + " failed (exit " + p.exitValue() + "): " + tail(log));
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }
}
