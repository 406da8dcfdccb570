package io.inetkit.client.load;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PreflightTest {

    // this machine's kind: 20,000 open files, hard = soft, the default ephemeral range
    final Preflight here = new Preflight(20_000, 20_000, 40, 32768, 60999);

    @Test
    void nineteenThousandFit() {
        assertThat(here.problem(19_000, 1, false)).isNull();
        assertThat(here.describe(19_000, 1)).anySatisfy(l -> assertThat(l).contains("soft 20000, hard 20000")
                .contains("the JVM raised the soft limit"));
    }

    @Test
    void overTheHardFdLimitNamesTheHardLimitAndMerge() {
        String p = here.problem(100_000, 40, true);
        assertThat(p).contains("100000 connections need about 100104 file descriptors")
                .contains("hard limit").contains("ulimit -Hn").contains("inetkit load merge")
                .contains("about 19896 connections fit");
    }

    @Test
    void overASoftLimitBelowTheHardOneSaysUlimit() {
        Preflight soft = new Preflight(1024, 20_000, 10, 32768, 60999);
        assertThat(soft.problem(5000, 1, false)).contains("ulimit -n 20000");
    }

    @Test
    void overThePortRangeAsksForSourceIps() {
        Preflight many = new Preflight(1_000_000, 1_000_000, 40, 32768, 60999);
        assertThat(many.problem(28_232, 1, false)).isNull();
        String p = many.problem(100_000, 1, false);
        assertThat(p).contains("28232 per source address").contains("--source-ips with at least 4 addresses")
                .contains("ip_local_port_range");
        assertThat(many.problem(100_000, 4, true)).isNull();
        assertThat(many.problem(100_000, 3, true)).contains("--source-ips has 3");
    }

    @Test
    void thisProcessLimitsAreRead() {
        Preflight p = Preflight.ofThisProcess();
        assertThat(p.portHigh()).isGreaterThan(p.portLow());
        assertThat(p.softFds()).isPositive();
        assertThat(p.openFds()).isPositive();
    }

    @Test
    void sourceIpRanges() throws Exception {
        assertThat(SourceIps.parse("127.0.0.2-127.0.0.4")).containsExactly(InetAddress.getByName("127.0.0.2"),
                InetAddress.getByName("127.0.0.3"), InetAddress.getByName("127.0.0.4"));
        assertThat(SourceIps.parse("127.0.0.2-3, 127.0.1.1")).hasSize(3);
        assertThat(SourceIps.parse("127.0.0.250-127.0.1.5")).hasSize(12);
        assertThatThrownBy(() -> SourceIps.parse("127.0.0")).hasMessageContaining("not an IPv4 address");
        assertThatThrownBy(() -> SourceIps.parse("127.0.0.1-x")).hasMessageContaining("'x'");
        assertThatThrownBy(() -> SourceIps.parse(" , ")).hasMessageContaining("empty");
        assertThat(List.of(1)).hasSize(1);
    }
}
