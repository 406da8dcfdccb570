package io.inetkit.common.cli;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StopSignalsTest {

    @Test
    void theFirstSignalStopsAndEverySecondExitsWith128PlusItsNumber() {
        List<Integer> stops = new ArrayList<>();
        List<Integer> exits = new ArrayList<>();
        StopSignals signals = new StopSignals(stops::add, exits::add);
        signals.received(2);
        assertThat(stops).containsExactly(2);
        assertThat(exits).isEmpty();
        signals.received(2);
        signals.received(15);
        assertThat(stops).containsExactly(2);
        assertThat(exits).containsExactly(130, 143);
    }
}
