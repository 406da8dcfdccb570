package io.inetkit.common.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandsTest {

    @Test
    void theListNamesTheFiveCommandsAndLoadMergeWithTheirJars() {
        Commands commands = Commands.load();
        assertThat(commands.topLevel()).extracting(Commands.Entry::name)
                .containsExactly("server", "client", "load", "sniff", "http");
        assertThat(commands.find(List.of("load", "merge"))).get()
                .satisfies(e -> {
                    assertThat(e.jar()).isEqualTo("inetkit-client.jar");
                    assertThat(e.className()).isEqualTo("io.inetkit.client.load.MergeCommand");
                });
        assertThat(commands.children(commands.find(List.of("load")).orElseThrow()))
                .extracting(Commands.Entry::name).containsExactly("load merge");
        assertThat(commands.mainModule()).isEqualTo("server");
        assertThat(commands.all()).allSatisfy(e -> assertThat(e.summary()).isNotBlank());
    }

    @Test
    void theSummaryIsTheRestOfTheLineAndCommentsAreSkipped() {
        Commands c = Commands.parse("# NAME MODULE CLASS SUMMARY\n\n  a/b  m  x.Y   Does  this, and that\n");
        assertThat(c.all()).singleElement().satisfies(e -> {
            assertThat(e.path()).containsExactly("a", "b");
            assertThat(e.module()).isEqualTo("m");
            assertThat(e.summary()).isEqualTo("Does  this, and that");
        });
    }

    @Test
    void aLineWithoutItsFourFieldsIsRejectedWithItsNumber() {
        assertThatThrownBy(() -> Commands.parse("# c\nserver server io.inetkit.X\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2");
    }
}
