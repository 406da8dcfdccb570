package io.inetkit.common.cli;

import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where an option's value comes from when the command line does not give it, in order:
 * the environment ({@code INETKIT_IO_THREADS} for {@code --io-threads}), then the properties file of
 * {@code --config} ({@code io-threads = 2}), then the option's built-in default.
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

    public InetkitDefaultProvider(Map<String, String> env, Properties fileProperties) {
        this.env = Map.copyOf(env);
        this.file = fileProperties == null ? null : new CommandLine.PropertiesDefaultProvider(fileProperties);
    }

    /** The environment variable that sets {@code --long-name}: {@code INETKIT_LONG_NAME}. */
    public static String envName(String longOptionName) {
        return ENV_PREFIX + longOptionName.replaceFirst("^-+", "").toUpperCase(Locale.ROOT).replace('-', '_');
    }

    @Override
    public String defaultValue(ArgSpec arg) throws Exception {
        if (!(arg instanceof OptionSpec option) || !option.longestName().startsWith("--")) {
            return null;
        }
        if (option.usageHelp() || option.versionHelp()) {
            return null;
        }
        String fromEnv = env.get(envName(option.longestName()));
        if (fromEnv != null) {
            return fromEnv;
        }
        return file == null ? null : file.defaultValue(arg);
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
                    + FileErrors.reason(e));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cmd, "cannot read config file " + path + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
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
