package io.inetkit.server;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class StopSignalsTest {

    @Test
    void theFirstSignalBeginsTheDrainAndTheSecondExitsWith128PlusItsNumber() throws Exception {
        List<Integer> exits = new ArrayList<>();
        StopSignals signals = new StopSignals(exits::add);
        signals.received(2);
        signals.await(); // returns: the drain begins
        assertThat(exits).isEmpty();
        signals.received(2);
        assertThat(exits).containsExactly(130);
        signals.received(15);
        assertThat(exits).containsExactly(130, 143);
    }

    @Test
    void noSignalNoDrain() throws Exception {
        StopSignals signals = new StopSignals(code -> { });
        Thread waiter = new Thread(() -> {
            try {
                signals.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        waiter.join(100);
        assertThat(waiter.isAlive()).isTrue();
        signals.received(15);
        waiter.join(TimeUnit.SECONDS.toMillis(5));
        assertThat(waiter.isAlive()).isFalse();
    }
}
