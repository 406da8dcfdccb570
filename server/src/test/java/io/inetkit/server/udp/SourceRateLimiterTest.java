package io.inetkit.server.udp;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

class SourceRateLimiterTest {

    private static final long SECOND = 1_000_000_000L;

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    private static int passed(SourceRateLimiter l, InetAddress source, int tries, long now) {
        int n = 0;
        for (int i = 0; i < tries; i++) {
            if (l.tryAcquire(source, now)) {
                n++;
            }
        }
        return n;
    }

    @Test
    void aSourceGetsItsBucketThenItsRate() throws Exception {
        SourceRateLimiter l = new SourceRateLimiter(20, 100);
        InetAddress a = ip("127.0.0.7");
        assertThat(passed(l, a, 100, 0)).as("a full bucket: one second's worth").isEqualTo(20);
        assertThat(passed(l, a, 100, SECOND / 2)).as("half a second refills half").isEqualTo(10);
        assertThat(passed(l, a, 100, 10 * SECOND)).as("a bucket never holds more than a second").isEqualTo(20);
    }

    @Test
    void sourcesHaveSeparateBuckets() throws Exception {
        SourceRateLimiter l = new SourceRateLimiter(3, 100);
        assertThat(passed(l, ip("127.0.0.7"), 10, 0)).isEqualTo(3);
        assertThat(passed(l, ip("127.0.0.8"), 10, 0)).isEqualTo(3);
    }

    @Test
    void memoryIsBoundedByForgettingTheLeastRecentSource() throws Exception {
        SourceRateLimiter l = new SourceRateLimiter(1, 3);
        InetAddress first = ip("10.0.0.1");
        assertThat(l.tryAcquire(first, 0)).isTrue();
        assertThat(l.tryAcquire(first, 0)).isFalse();
        for (int i = 2; i < 1000; i++) {
            l.tryAcquire(ip("10.0." + (i / 250) + "." + (i % 250)), 0);
            assertThat(l.size()).isLessThanOrEqualTo(3);
        }
        assertThat(l.tryAcquire(first, 0)).as("forgotten, so a full bucket again").isTrue();
    }

    @Test
    void zeroMeansUnlimitedAndRemembersNothing() throws Exception {
        SourceRateLimiter l = new SourceRateLimiter(0, 3);
        assertThat(passed(l, ip("127.0.0.7"), 10_000, 0)).isEqualTo(10_000);
        assertThat(l.size()).isZero();
    }
}
