package io.inetkit.common.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The root command, in common's own class path: no command class of the list is here. */
class MainTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void helpListsEveryCommandOfTheListWithItsSummaryEvenWhereNoneIsOnTheClassPath() {
        assertThat(run("--help")).isZero();
        String help = out.toString();
        assertThat(help).startsWith("Usage: inetkit [-hV] COMMAND");
        for (Commands.Entry e : Commands.load().all()) {
            assertThat(help).containsPattern("(?m)^  " + e.name() + " +" + Pattern.quote(e.summary()) + "$");
        }
    }

    @Test
    void versionIsTheOneLine() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString().strip()).isEqualTo(Version.line());
    }

    @Test
    void noCommandPrintsTheUsageOnStderrAndExitsWithTheUsageCode() {
        assertThat(run()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).startsWith("Usage: inetkit").contains("load merge");
    }

    @Test
    void aCommandOfAnotherJarGetsOneLineNamingThatJar() {
        assertThat(run("sniff", "-r", "x.pcap")).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.toString().lines()).singleElement().asString()
                .startsWith("inetkit sniff: ")
                .contains("inetkit-sniffer.jar");
        assertThat(run("load", "merge", "a.hlog")).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.toString()).contains("inetkit load merge: ").contains("inetkit-client.jar");
    }

    @Test
    void anUnknownCommandIsAUsageErrorWithASuggestion() {
        assertThat(run("serve")).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.toString()).contains("'serve'").contains("inetkit server");
    }
}
