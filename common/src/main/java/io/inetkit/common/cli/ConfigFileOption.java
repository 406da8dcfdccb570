package io.inetkit.common.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The {@code --config FILE} option of every inetkit command, as a picocli mixin:
 * {@code @Mixin ConfigFileOption config;}. {@link Cli} reads the file before parsing and makes its
 * entries (long option names without dashes, {@code io-threads = 2}) the options' defaults; the option
 * is declared so that it shows in the help and parses like any other.
 */
public final class ConfigFileOption {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file with option defaults (keys: long option names).")
    Path file;

    /** The file given, or {@code null}. */
    public Path file() {
        return file;
    }
}
