package io.inetkit.common.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UserExceptionTest {

    @Test
    void usagePassesTheValueThrough() {
        assertThat(UserException.usage(() -> 42)).isEqualTo(42);
    }

    @Test
    void aBadValueIsAUsageErrorWithItsMessage() {
        assertThatThrownBy(() -> UserException.usage(() -> {
            throw new IllegalArgumentException("maxConnections must be > 0: -3");
        })).isInstanceOfSatisfying(UserException.class, e -> {
            assertThat(e.getMessage()).isEqualTo("maxConnections must be > 0: -3");
            assertThat(e.exitCode()).isEqualTo(Cli.EXIT_USAGE);
        });
    }

    @Test
    void otherFailuresAreNotTurnedIntoUsageErrors() {
        assertThatThrownBy(() -> UserException.usage(() -> {
            throw new IllegalStateException("bug");
        })).isExactlyInstanceOf(IllegalStateException.class);
    }
}
