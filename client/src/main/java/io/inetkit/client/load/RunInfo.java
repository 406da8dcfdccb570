package io.inetkit.client.load;

import picocli.CommandLine.Model.CommandSpec;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a report says about the run itself, so that a page found weeks later still tells what it measured:
 * when, the command line as typed, and the machine.
 *
 * @param date        when the measured window opened, ISO-8601 in UTC ({@code 2026-12-03T11:04:05Z}); empty
 *                    when unknown
 * @param commandLine the command line, quoted so that it can be pasted back
 * @param machine     the generator's machine: cores and kernel ({@code 2 cores, Linux 6.1.0-18-amd64 amd64})
 */
record RunInfo(String date, String commandLine, String machine) {

    static final RunInfo NONE = new RunInfo("", "", "");

    /** What a shell leaves alone unquoted. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=,@%+-]+");

    /** A run of {@code commandLine} on this machine, its window opening at {@code startMs} (epoch ms). */
    static RunInfo of(String commandLine, long startMs) {
        return new RunInfo(date(startMs), commandLine, machine(Runtime.getRuntime().availableProcessors(), kernel()));
    }

    static String date(long epochMs) {
        return Instant.ofEpochMilli(epochMs).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** {@code inetkit load 127.0.0.1 5005 --message 'a b'}: the command's name and its arguments. */
    static String commandLine(CommandSpec spec) {
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        // the arguments may start with the command's words ("load", "merge"): they are in its name already
        int own = args.indexOf(spec.name());
        return spec.qualifiedName() + args.subList(own + 1, args.size()).stream().map(a -> " " + quote(a))
                .collect(Collectors.joining());
    }

    static String quote(String arg) {
        return PLAIN.matcher(arg).matches() ? arg : "'" + arg.replace("'", "'\\''") + "'";
    }

    /** The operating system's name, version and architecture, e.g. {@code Linux 6.1.0-18-amd64 amd64}. */
    static String kernel() {
        return System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch");
    }

    static String machine(int cores, String kernel) {
        return cores + " core" + (cores == 1 ? "" : "s") + ", " + kernel;
    }
}
