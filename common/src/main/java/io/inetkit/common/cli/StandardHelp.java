package io.inetkit.common.cli;

import picocli.CommandLine.Command;

/**
 * What every inetkit command's help and version look like: {@code -h}/{@code --help} and
 * {@code -V}/{@code --version} (the one {@link Version} line), options in the order they are written, lines
 * of 100 columns; a picocli mixin.
 *
 * <p>Declare it as the command's last field: picocli lists {@code -h} and {@code -V} where the mixin is, so
 * there they come after the command's own options, as {@code mixinStandardHelpOptions} puts them.
 */
@Command(mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false, usageHelpWidth = 100)
public final class StandardHelp {
}
