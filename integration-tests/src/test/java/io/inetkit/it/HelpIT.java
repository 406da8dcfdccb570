package io.inetkit.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every command's {@code --help}, from the packaged jars: clean, and ending with examples to copy. */
class HelpIT {

    @ParameterizedTest
    @ValueSource(strings = {"server", "client", "http", "sniff", "load", "load merge"})
    void helpEndsWithTwoToFourExamplesAndWarnsOfNothing(String command) throws Exception {
        String[] words = command.split(" ");
        List<String> args = new ArrayList<>(List.of(words).subList(1, words.length));
        args.add("--help");
        try (Program p = Program.start(words[0], args.toArray(String[]::new))) {
            assertThat(p.awaitExit(Duration.ofSeconds(30))).isZero();
            List<String> out = p.stdout();
            int examples = out.lastIndexOf("Examples:");
            assertThat(examples).as("an Examples: section").isPositive();
            List<String> after = new ArrayList<>(out.subList(examples + 1, out.size()));
            after.removeIf(String::isBlank);
            assertThat(after).hasSizeBetween(2, 4).allMatch(l -> l.startsWith("  inetkit " + command));
            assertThat(p.stderr()).as("picocli warnings").isEmpty();
        }
    }
}
