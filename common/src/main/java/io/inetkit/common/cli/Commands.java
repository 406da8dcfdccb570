package io.inetkit.common.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one list of inetkit's commands, the resource {@code io/inetkit/common/cli/commands}: which module's
 * jar holds each command, its class and its one-line summary. {@link Main} builds the root command from it;
 * the launcher {@code ./inetkit}, the image's entry point and {@code docker/build-image.sh} read the same file.
 *
 * <pre>
 * # NAME      MODULE  CLASS                                 SUMMARY (the rest of the line)
 * server      server  io.inetkit.server.ServerCommand       Echo server: ...
 * load/merge  client  io.inetkit.client.load.MergeCommand   One report from ...
 * </pre>
 */
public final class Commands {

    /** Where the list is, on the class path and under {@code common/src/main/resources}. */
    public static final String RESOURCE = "/io/inetkit/common/cli/commands";

    /** One line of the list. {@code path} is the name as typed: {@code [load, merge]}. */
    public record Entry(List<String> path, String module, String className, String summary) {

        public Entry {
            path = List.copyOf(path);
            if (path.isEmpty() || module.isEmpty() || className.isEmpty()) {
                throw new IllegalArgumentException("a command needs a name, a module and a class");
            }
        }

        /** The command as typed after {@code inetkit}: {@code load merge}. */
        public String name() {
            return String.join(" ", path);
        }

        /** The executable jar that holds the command: {@code inetkit-client.jar}. */
        public String jar() {
            return "inetkit-" + module + ".jar";
        }

        boolean topLevel() {
            return path.size() == 1;
        }
    }

    private final List<Entry> entries;

    private Commands(List<Entry> entries) {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("the command list is empty");
        }
        this.entries = List.copyOf(entries);
    }

    /** The list this jar carries. */
    public static Commands load() {
        try (InputStream in = Commands.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("no " + RESOURCE + " on the class path");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses the list's text: blank lines and {@code #} comments are skipped. */
    static Commands parse(String text) {
        List<Entry> entries = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new StringReader(text))) {
            int number = 0;
            for (String line; (line = r.readLine()) != null; ) {
                number++;
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                String[] f = trimmed.split("\\s+", 4);
                if (f.length < 4) {
                    throw new IllegalArgumentException("command list line " + number
                            + ": expected NAME MODULE CLASS SUMMARY: " + trimmed);
                }
                entries.add(new Entry(List.of(f[0].split("/")), f[1], f[2], f[3]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Commands(entries);
    }

    public List<Entry> all() {
        return entries;
    }

    /** The commands typed as one word after {@code inetkit}, in the list's order. */
    public List<Entry> topLevel() {
        return entries.stream().filter(Entry::topLevel).toList();
    }

    /** The command {@code path} names exactly. */
    public Optional<Entry> find(List<String> path) {
        return entries.stream().filter(e -> e.path().equals(path)).findFirst();
    }

    /** The commands directly under {@code parent}: {@code load merge} under {@code load}. */
    public List<Entry> children(Entry parent) {
        int depth = parent.path().size();
        return entries.stream()
                .filter(e -> e.path().size() == depth + 1 && e.path().subList(0, depth).equals(parent.path()))
                .toList();
    }

    /** The module of the first line: its jar answers {@code inetkit}, {@code --help} and {@code --version}. */
    public String mainModule() {
        return entries.get(0).module();
    }
}
