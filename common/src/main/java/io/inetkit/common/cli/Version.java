package io.inetkit.common.cli;

import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What {@code --version} prints for every inetkit command, one line:
 * {@code inetkit 0.1.0-SNAPSHOT (commit 50ea54a, 2026-12-02)}, from the {@code version.properties} the build
 * writes (the date is the commit's; a build with uncommitted changes says {@code 50ea54a-dirty}). A build
 * outside a git checkout (a tarball) knows no commit and prints {@code inetkit 0.1.0-SNAPSHOT}.
 */
public final class Version implements IVersionProvider {

    private static final String RESOURCE = "/io/inetkit/common/cli/version.properties";

    @Override
    public String[] getVersion() {
        return new String[] {line()};
    }

    /** The version line. */
    public static String line() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return line(p);
    }

    static String line(Properties p) {
        String version = filled(p.getProperty("version"));
        StringBuilder line = new StringBuilder("inetkit ").append(version == null ? "(development build)" : version);
        String commit = filled(p.getProperty("commit"));
        if (commit != null) {
            line.append(" (commit ").append(commit);
            if ("true".equals(filled(p.getProperty("dirty")))) {
                line.append("-dirty");
            }
            String date = filled(p.getProperty("commit.date"));
            if (date != null) {
                line.append(", ").append(date);
            }
            line.append(')');
        }
        return line.toString();
    }

    /** A value the build filled in, or null where it left the placeholder (no git) or nothing. */
    private static String filled(String value) {
        return value == null || value.isBlank() || value.contains("${") ? null : value.strip();
    }
}
