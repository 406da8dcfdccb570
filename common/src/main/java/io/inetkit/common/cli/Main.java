package io.inetkit.common.cli;

import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Unmatched;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The one entry point of inetkit, the Main-Class of every executable jar: {@code inetkit COMMAND [options]}.
 *
 * <p>The root command's subcommands come from the {@link Commands} list. Only the command the arguments
 * name is instantiated (a run loads that command's classes and no other's); the others are names and
 * summaries for {@code --help}. Each module's jar holds only its own commands: a command whose class is
 * not in this jar answers with one line naming the jar that has it.
 *
 * <p>Picocli cannot put a subcommand under a command with required parameters ({@code load HOST PORT}
 * would reject {@code load merge A.hlog} for the missing HOST), so a nested command of the list is mounted
 * under a plain group of that name when, and only when, the arguments name it.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        programDefaults();
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(args, System.getenv(), out, err));
    }

    /**
     * The JVM-wide choices of the program, made before any Netty class loads. Netty 4.2 emits JFR events for
     * buffer allocations: loading JFR costs the first connection hundreds of ms, and neither the
     * command-line tools nor the server need it unless asked ({@code -Dio.netty.jfr.enabled=true}).
     *
     * <p>Netty may allocate direct buffers without the JDK's {@code Cleaner} and count them itself
     * ({@code io.netty.tryReflectionSetAccessible}, with {@code Add-Opens: java.base/java.nio} in the jar's
     * manifest). Then an allocation past {@code -XX:MaxDirectMemorySize} fails at once with Netty's
     * {@code OutOfDirectMemoryError}, which closes the connection that asked. Through the JDK's accounting instead,
     * every allocation past the limit first runs {@code System.gc()} and sleeps up to half a second, on the event
     * loop: under a flood of request bodies, every listener of those loops stopped answering, and did not come
     * back while allocations kept failing.
     */
    public static void programDefaults() {
        if (System.getProperty("io.netty.jfr.enabled") == null) {
            System.setProperty("io.netty.jfr.enabled", "false");
        }
        if (System.getProperty("io.netty.tryReflectionSetAccessible") == null) {
            System.setProperty("io.netty.tryReflectionSetAccessible", "true");
        }
    }

    /** Runs {@code inetkit args...} in this JVM and returns its exit code (tests call this). */
    public static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        return Cli.run(root(Commands.load(), args), args, env, out, err);
    }

    /** The root command, with the command that {@code args} name instantiated. */
    static CommandLine root(Commands commands, String[] args) {
        CommandLine root = new CommandLine(new Root());
        root.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST,
                help -> commandList(commands));
        List<String> words = Arrays.asList(args);
        for (Commands.Entry entry : commands.topLevel()) {
            boolean named = !words.isEmpty() && words.get(0).equals(entry.name());
            root.addSubcommand(entry.name(), named ? mount(commands, entry, words.subList(1, words.size()))
                    : summaryOnly(entry));
        }
        return root;
    }

    /**
     * The root command with every command of the list instantiated, each nested command under its parent: the
     * whole tree that the man pages and the shell completion scripts are generated from (picocli-codegen, at
     * package time), on a class path that holds every module. Not for running: picocli would reject
     * {@code load merge A.hlog} for load's missing HOST (see the class comment).
     */
    public static CommandLine documented() {
        Commands commands = Commands.load();
        CommandLine root = new CommandLine(new Root());
        for (Commands.Entry entry : commands.topLevel()) {
            root.addSubcommand(entry.name(), documented(commands, entry));
        }
        return root;
    }

    private static CommandLine documented(Commands commands, Commands.Entry entry) {
        CommandLine cl = instantiate(entry);
        for (Commands.Entry child : commands.children(entry)) {
            cl.addSubcommand(child.path().get(child.path().size() - 1), documented(commands, child));
        }
        return cl;
    }

    /** The named command, or the group that holds its named subcommand. */
    private static CommandLine mount(Commands commands, Commands.Entry entry, List<String> rest) {
        Optional<Commands.Entry> child = rest.isEmpty() ? Optional.empty()
                : commands.children(entry).stream().filter(c -> c.path().get(c.path().size() - 1).equals(rest.get(0)))
                        .findFirst();
        if (child.isEmpty()) {
            return instantiate(entry);
        }
        CommandLine group = new CommandLine(CommandSpec.create().name(entry.name()));
        Commands.Entry c = child.get();
        group.addSubcommand(c.path().get(c.path().size() - 1), mount(commands, c, rest.subList(1, rest.size())));
        return group;
    }

    private static CommandLine instantiate(Commands.Entry entry) {
        CommandLine cl = new CommandLine(command(entry));
        // its @Command name is the whole "inetkit load merge" (it is also run alone, in tests): under the
        // root, it is the last word, so that picocli's usage and error lines read "inetkit load merge"
        cl.getCommandSpec().name(entry.path().get(entry.path().size() - 1));
        return cl;
    }

    private static Object command(Commands.Entry entry) {
        Class<?> type;
        try {
            type = Class.forName(entry.className(), false, Main.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return new ElsewhereCommand(entry);
        }
        if (WithoutLogback.class.isAssignableFrom(type)) {
            InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
            if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
                System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s %3$s - %5$s%n");
            }
        }
        try {
            return CommandLine.defaultFactory().create(type);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create " + entry.className() + ": " + Cli.describe(e), e);
        }
    }

    /** A command that is not run now: its name and summary for the root's help and suggestions. */
    private static CommandSpec summaryOnly(Commands.Entry entry) {
        CommandSpec spec = CommandSpec.create().name(entry.name());
        spec.usageMessage().description(entry.summary());
        return spec;
    }

    private static String commandList(Commands commands) {
        int width = commands.all().stream().mapToInt(e -> e.name().length()).max().orElse(0);
        StringBuilder list = new StringBuilder();
        for (Commands.Entry e : commands.all()) {
            list.append("  ").append(String.format("%-" + width + "s", e.name())).append("  ").append(e.summary())
                    .append(System.lineSeparator());
        }
        return list.toString();
    }

    @Command(name = "inetkit", mixinStandardHelpOptions = true, versionProvider = Version.class,
            synopsisSubcommandLabel = "COMMAND",
            description = "A toolkit for INET sockets on Netty. Each command has its --help.",
            commandListHeading = "%nCommands:%n",
            footer = {"", "Run: inetkit COMMAND --help   (e.g. inetkit server --help)"})
    static final class Root implements Callable<Integer> {
        @CommandLine.Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            spec.commandLine().usage(err);
            err.flush();
            return Cli.EXIT_USAGE;
        }
    }

    /** A command of the list whose class another module's jar holds. */
    @Command(mixinStandardHelpOptions = false)
    static final class ElsewhereCommand implements Callable<Integer> {
        private final Commands.Entry entry;

        @Unmatched
        List<String> ignored = new ArrayList<>();

        ElsewhereCommand(Commands.Entry entry) {
            this.entry = entry;
        }

        @Override
        public Integer call() {
            throw new UserException("'" + entry.name() + "' is in " + entry.jar() + ", not in this jar: run it with "
                    + "java -jar " + entry.jar() + " " + entry.name() + " ..., or through the inetkit launcher",
                    Cli.EXIT_USAGE);
        }
    }
}
