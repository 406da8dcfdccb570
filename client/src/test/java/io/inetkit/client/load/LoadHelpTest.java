package io.inetkit.client.load;

import io.inetkit.client.testing.CliRun;
import org.junit.jupiter.api.Test;

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
        String examples = r.out().substring(r.out().indexOf("Examples:"));
        assertThat(examples.lines().filter(l -> l.startsWith("  inetkit load "))).hasSizeBetween(2, 4);
    }

    @Test
    void mergeHelpEndsWithExamples() {
        CliRun r = CliRun.run("load", "merge", "--help");
        assertThat(r.exit()).isZero();
        String examples = r.out().substring(r.out().indexOf("Examples:"));
        assertThat(examples.lines().filter(l -> l.startsWith("  inetkit load merge "))).hasSizeBetween(2, 4);
    }
}
