package io.inetkit.server.stream;

import io.inetkit.common.net.Cidr;
import io.inetkit.server.ServerSettings;

import io.inetkit.server.stream.StreamMeters.Rejection;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionLimiterTest {

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    private static ConnectionLimiter limiter(int max, int perIp, List<String> allow, List<String> deny) {
        return new ConnectionLimiter(new ServerSettings.Limits(max, perIp, Duration.ZERO,
                allow.stream().map(Cidr::parse).toList(), deny.stream().map(Cidr::parse).toList()));
    }

    @Test
    void perAddressLimitCountsEachAddressAndFreesOnRelease() throws Exception {
        ConnectionLimiter l = limiter(100, 2, List.of(), List.of());
        InetAddress a = ip("127.0.0.10");
        InetAddress b = ip("127.0.0.11");
        assertThat(l.tryAdmit(a)).isNull();
        assertThat(l.tryAdmit(a)).isNull();
        assertThat(l.tryAdmit(a)).isEqualTo(Rejection.MAX_CONNECTIONS_PER_IP);
        assertThat(l.tryAdmit(b)).isNull();
        assertThat(l.open()).isEqualTo(3);
        l.release(a);
        assertThat(l.open(a)).isEqualTo(1);
        assertThat(l.tryAdmit(a)).isNull();
    }

    @Test
    void aProxyConnectionTakesTheOverallSlotAtAcceptAndTheAddressSlotAtTheHeader() throws Exception {
        ConnectionLimiter l = limiter(3, 1, List.of(), List.of("10.66.0.0/16"));
        ServerSettings.ProxyProtocol proxy = ServerSettings.ProxyProtocol.DEFAULT;
        InetAddress balancer = ip("127.0.0.1");
        assertThat(l.tryAdmitConnection(ip("192.0.2.1"), proxy)).isEqualTo(Rejection.UNTRUSTED_PROXY);
        assertThat(l.open()).isZero();
        for (int i = 0; i < 3; i++) {
            assertThat(l.tryAdmitConnection(balancer, proxy)).isNull();
        }
        assertThat(l.tryAdmitConnection(balancer, proxy)).isEqualTo(Rejection.MAX_CONNECTIONS);
        assertThat(l.open(balancer)).isZero(); // the balancer holds no per-address slot
        assertThat(l.tryAdmitClient(ip("10.0.0.1"))).isNull();
        assertThat(l.tryAdmitClient(ip("10.0.0.1"))).isEqualTo(Rejection.MAX_CONNECTIONS_PER_IP);
        assertThat(l.tryAdmitClient(ip("10.66.1.1"))).isEqualTo(Rejection.DENIED);
        assertThat(l.tryAdmitClient(ip("10.0.0.2"))).isNull();
        l.releaseClient(ip("10.0.0.1"));
        assertThat(l.open(ip("10.0.0.1"))).isZero();
        l.releaseConnection();
        assertThat(l.open()).isEqualTo(2);
        l.drain();
        assertThat(l.tryAdmitConnection(balancer, proxy)).isEqualTo(Rejection.DRAINING);
    }

    @Test
    void overallLimitRefusesAndLeavesNoPerAddressSlotBehind() throws Exception {
        ConnectionLimiter l = limiter(2, 10, List.of(), List.of());
        assertThat(l.tryAdmit(ip("127.0.0.1"))).isNull();
        assertThat(l.tryAdmit(ip("127.0.0.2"))).isNull();
        assertThat(l.tryAdmit(ip("127.0.0.3"))).isEqualTo(Rejection.MAX_CONNECTIONS);
        assertThat(l.open(ip("127.0.0.3"))).isZero();
        l.release(ip("127.0.0.1"));
        assertThat(l.tryAdmit(ip("127.0.0.3"))).isNull();
        assertThat(l.open()).isEqualTo(2);
    }

    @Test
    void denyWinsOverAllowAndAllowIsAWhitelist() throws Exception {
        ConnectionLimiter l = limiter(10, 10, List.of("127.0.0.0/24", "::1/128"), List.of("127.0.0.66/32"));
        assertThat(l.tryAdmit(ip("127.0.0.5"))).isNull();
        assertThat(l.tryAdmit(ip("::1"))).isNull();
        assertThat(l.tryAdmit(ip("127.0.0.66"))).isEqualTo(Rejection.DENIED);
        assertThat(l.tryAdmit(ip("127.0.1.5"))).isEqualTo(Rejection.DENIED);
        assertThat(l.tryAdmit(ip("10.1.2.3"))).isEqualTo(Rejection.DENIED);
        assertThat(l.open()).isEqualTo(2);
    }

    @Test
    void noAllowListMeansEveryoneButTheDenied() throws Exception {
        ConnectionLimiter l = limiter(10, 10, List.of(), List.of("::1/128"));
        assertThat(l.tryAdmit(ip("::1"))).isEqualTo(Rejection.DENIED);
        assertThat(l.tryAdmit(ip("203.0.113.1"))).isNull();
    }

    @Test
    void drainingRefusesEverything() throws Exception {
        ConnectionLimiter l = limiter(10, 10, List.of(), List.of());
        l.drain();
        assertThat(l.tryAdmit(ip("127.0.0.1"))).isEqualTo(Rejection.DRAINING);
        assertThat(l.open()).isZero();
    }

    @Test
    void concurrentAdmissionsNeverExceedTheLimits() throws Exception {
        ConnectionLimiter l = limiter(50, 20, List.of(), List.of());
        AtomicInteger admitted = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        Thread[] threads = new Thread[8];
        for (int t = 0; t < threads.length; t++) {
            InetAddress peer = ip("127.0.0." + (1 + t % 4));
            threads[t] = new Thread(() -> {
                try {
                    go.await();
                    for (int i = 0; i < 1000; i++) {
                        if (l.tryAdmit(peer) == null) {
                            admitted.incrementAndGet();
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            threads[t].start();
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(failures).isEmpty();
        assertThat(admitted.get()).isEqualTo(50);
        assertThat(l.open()).isEqualTo(50);
        for (int i = 1; i <= 4; i++) {
            assertThat(l.open(ip("127.0.0." + i))).isLessThanOrEqualTo(20);
        }
    }
}
