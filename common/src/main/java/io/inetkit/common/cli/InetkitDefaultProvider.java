package io.inetkit.common.cli;

import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where an option's value comes from when the command line does not give it, in order:
 * the environment, one variable per command and option ({@code INETKIT_SERVER_IO_THREADS} for
 * {@code inetkit server --io-threads}, {@code INETKIT_LOAD_MERGE_OUTPUT} for {@code inetkit load merge
 * --output}: so {@code INETKIT_CLIENT_COUNT=1} caps the client and not {@code sniff}), then the properties
 * file of {@code --config} ({@code io-threads = 2}), then the option's built-in default. It remembers
 * where each value it gave came from, so that an invalid one can be blamed on its source ({@link #sourceOf}).
 *
 * <p>This is picocli's default-provider mechanism: the file is read by picocli's own
 * {@link CommandLine.PropertiesDefaultProvider}. Repeatable options take a comma-separated list
 * ({@code tcp = 5005,5006:line}).
 */
public final class InetkitDefaultProvider implements IDefaultValueProvider {

    /** The environment variable prefix. */
    public static final String ENV_PREFIX = "INETKIT_";

    private final Map<String, String> env;
    private final CommandLine.PropertiesDefaultProvider file;
    private final Path filePath;
    /** Where a value this provider gave came from ({@code INETKIT_...} or the file), and the value. */
    private record Source(String where, String value) {
    }

    private final Map<ArgSpec, Source> sources = new ConcurrentHashMap<>();

    /** @param filePath the {@code --config} file the properties were read from, or null */
    public InetkitDefaultProvider(Map<String, String> env, Properties fileProperties, Path filePath) {
        this.env = Map.copyOf(env);
        this.file = fileProperties == null ? null : new CommandLine.PropertiesDefaultProvider(fileProperties);
        this.filePath = filePath;
    }

    /**
     * The environment variable that sets {@code --long-name} of the command {@code qualifiedName}
     * ({@code inetkit load merge}): {@code INETKIT_LOAD_MERGE_LONG_NAME}.
     */
    public static String envName(String qualifiedName, String longOptionName) {
        List<String> words = new ArrayList<>(List.of(qualifiedName.trim().split("\\s+")));
        words.removeIf("inetkit"::equals); // the program's name: the command alone names the variable
        words.add(longOptionName.replaceFirst("^-+", ""));
        return ENV_PREFIX + String.join("_", words).toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /**
     * Where {@code value} of {@code arg} came from when this provider gave it: {@code INETKIT_...}, or the
     * config file; null when it did not (the command line, or the built-in default).
     */
    public String sourceOf(ArgSpec arg, String value) {
        Source source = sources.get(arg);
        return source != null && value != null && source.value().contains(value) ? source.where() : null;
    }

    @Override
    public String defaultValue(ArgSpec arg) throws Exception {
        if (!(arg instanceof OptionSpec option) || !option.longestName().startsWith("--")) {
            return null;
        }
        if (option.usageHelp() || option.versionHelp()) {
            return null;
        }
        String variable = envName(option.command().qualifiedName(), option.longestName());
        String fromEnv = env.get(variable);
        if (fromEnv != null) {
            sources.put(arg, new Source(variable, fromEnv));
            return fromEnv;
        }
        String fromFile = file == null ? null : file.defaultValue(arg);
        if (fromFile != null) {
            sources.put(arg, new Source(filePath == null ? "the config file" : filePath.toString(), fromFile));
        }
        return fromFile;
    }

    /**
     * Reads a {@code --config} file and checks that each key names an option of {@code spec}.
     *
     * @throws CommandLine.ParameterException for an unreadable file or an unknown key
     */
    public static Properties readConfig(CommandLine cmd, Path path) {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(path)) {
            props.load(reader);
        } catch (IOException e) {
            throw new CommandLine.ParameterException(cmd, "cannot read config file " + path + ": "
                    + Cli.describeFileError(e));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cmd, "cannot read config file " + path + ": "
                    + Cli.describe(e));
        }
        Set<String> known = new TreeSet<>();
        for (OptionSpec o : cmd.getCommandSpec().options()) {
            if (o.longestName().startsWith("--")) {
                known.add(o.longestName().substring(2));
            }
        }
        for (String key : props.stringPropertyNames()) {
            if (!known.contains(key)) {
                throw new CommandLine.ParameterException(cmd, "unknown key '" + key + "' in config file " + path
                        + " (keys are long option names without dashes, e.g. " + known.iterator().next() + ")");
            }
        }
        return props;
    }
}
