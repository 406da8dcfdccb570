package io.inetkit.common.cli;

import org.slf4j.LoggerFactory;
import picocli.CommandLine;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Runs an inetkit picocli command with the project's conventions: defaults from the environment and
 * {@code --config FILE}, one clear line on stderr for any error, and the exit codes
 * {@link #EXIT_OK} 0, {@link #EXIT_RUNTIME} 1 and {@link #EXIT_USAGE} 2. Never a stack trace on the
 * terminal: an unexpected exception is printed as one line (its class and message) and logged at DEBUG.
 */
public final class Cli {

    public static final int EXIT_OK = 0;
    public static final int EXIT_RUNTIME = 1;
    public static final int EXIT_USAGE = 2;

    private Cli() {
    }

    /** Parses {@code args} into {@code command}, runs it, and returns the exit code. */
    public static int run(Object command, String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        return run(new CommandLine(command), args, env, out, err);
    }

    /**
     * Parses {@code args} into {@code cmd} or the subcommand they name, runs it, and returns the exit code.
     * Messages name the command that failed ({@code inetkit load merge: ...}).
     */
    static int run(CommandLine cmd, String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setUsageHelpAutoWidth(true);
        InetkitDefaultProvider[] defaults = new InetkitDefaultProvider[1];
        cmd.setParameterExceptionHandler((ex, a) -> {
            String name = ex.getCommandLine().getCommandSpec().qualifiedName();
            String source = ex.getArgSpec() == null || defaults[0] == null ? null
                    : defaults[0].sourceOf(ex.getArgSpec(), ex.getValue());
            err.println(name + ": " + ex.getMessage() + (source == null ? "" : " (in " + source + ")"));
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, err)) {
                err.println("Try '" + name + " --help' for more information.");
            }
            err.flush();
            return EXIT_USAGE;
        });
        cmd.setExecutionExceptionHandler((ex, c, parseResult) -> {
            String name = c.getCommandSpec().qualifiedName();
            if (ex instanceof UserException user) {
                err.println(name + ": " + user.getMessage());
                err.flush();
                return user.exitCode();
            }
            LoggerFactory.getLogger(Cli.class).debug("unexpected failure", ex);
            err.println(name + ": unexpected error: " + describe(ex));
            err.flush();
            return EXIT_RUNTIME;
        });
        Properties config;
        CommandLine target = named(cmd, args);
        Path file = configPath(args);
        try {
            config = file == null ? null : InetkitDefaultProvider.readConfig(target, file);
        } catch (CommandLine.ParameterException e) {
            err.println(target.getCommandSpec().qualifiedName() + ": " + e.getMessage());
            err.flush();
            return EXIT_USAGE;
        }
        defaults[0] = new InetkitDefaultProvider(env, config, file);
        cmd.setDefaultValueProvider(defaults[0]);
        int code = cmd.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** The subcommand that the leading words of {@code args} name ({@code load merge}), or {@code cmd}. */
    static CommandLine named(CommandLine cmd, String[] args) {
        CommandLine target = cmd;
        for (String arg : args) {
            CommandLine sub = target.getSubcommands().get(arg);
            if (sub == null) {
                break;
            }
            target = sub;
        }
        return target;
    }

    /** A throwable as one line: its message, or its class where it has none, with its cause's message. */
    public static String describe(Throwable t) {
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        Throwable cause = t.getCause();
        if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            message += ": " + cause.getMessage();
        }
        return message.replace('\n', ' ');
    }

    /** Why a file could not be read or written, in the words of {@code ls} and {@code cat}. */
    public static String describeFileError(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        if (e instanceof FileNotFoundException && e.getMessage() != null && e.getMessage().endsWith(")")) {
            // java.io (HdrHistogram's log reader and writer) puts the reason after the path: "/x/y (Is a directory)"
            int open = e.getMessage().lastIndexOf(" (");
            if (open >= 0) {
                return e.getMessage().substring(open + 2, e.getMessage().length() - 1);
            }
        }
        return describe(e);
    }

    /** The value of {@code --config} in {@code args}, if given; the rest of parsing is picocli's. */
    static Path configPath(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--")) {
                return null;
            }
            if (args[i].equals("--config") && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
            if (args[i].startsWith("--config=")) {
                return Path.of(args[i].substring("--config=".length()));
            }
        }
        return null;
    }
}
