package io.inetkit.client;

import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class RoundTripsTest {

    @Test
    void summaryIsMinAverageMaxInMilliseconds() {
        Locale before = Locale.getDefault(Locale.Category.FORMAT);
        Locale.setDefault(Locale.Category.FORMAT, Locale.ROOT);
        try {
            RoundTrips rtts = new RoundTrips();
            rtts.add(3_000_000);
            rtts.add(1_000_000);
            rtts.add(2_000_000);
            assertThat(rtts.summary()).isEqualTo("rtt min/avg/max/mdev = 1.000/2.000/3.000/0.816 ms");
        } finally {
            Locale.setDefault(Locale.Category.FORMAT, before);
        }
    }
}
