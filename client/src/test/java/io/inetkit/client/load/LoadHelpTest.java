package io.inetkit.client.load;

import io.inetkit.client.testing.CliRun;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The help of load and load merge: what each short flag means, and examples at the end. */
class LoadHelpTest {

    @Test
    void loadHelpNamesTheShortFlagsAndEndsWithExamples() {
        CliRun r = CliRun.run("load", "--help");
        assertThat(r.exit()).isZero();
        // picocli wraps descriptions at 100 columns
        String help = r.out().replaceAll("\\s+", " ");
        assertThat(help).contains("-d, -T, --duration=DURATION").contains("-d as in wrk")
                .contains("-P, --pipeline=D").contains("-R, -r, --rate=R").contains("-R as in wrk2")
                .contains("-m, --message=TEXT").contains("-t, --threads=N")
                .contains("--min-rate=R").contains("--max-loss=PCT").contains("(default: 1)");
        assertExamplesLast(r.out(), "  inetkit load ");
    }

    /** The help ends with an Examples: section of 2 to 4 commands, as sniff's does (HelpIT checks every jar's). */
    private static void assertExamplesLast(String help, String prefix) {
        List<String> after = help.substring(help.lastIndexOf("Examples:") + "Examples:".length()).lines()
                .filter(l -> !l.isBlank()).toList();
        assertThat(after).hasSizeBetween(2, 4).allMatch(l -> l.startsWith(prefix));
    }

    @Test
    void mergeHelpEndsWithExamples() {
        CliRun r = CliRun.run("load", "merge", "--help");
        assertThat(r.exit()).isZero();
        assertExamplesLast(r.out(), "  inetkit load merge ");
    }
}
