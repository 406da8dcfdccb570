package io.inetkit.it;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrometheusTextTest {

    @Test
    void parsesSamplesLabelsEscapesAndSpecialValues() {
        PrometheusText p = PrometheusText.parse("""
                # HELP a_total help text
                # TYPE a_total counter
                a_total{listener="tcp/5005",reason="max_connections"} 3.0
                a_total{listener="tcp/5005",reason="denied",} 1.0 1700000000000
                # TYPE b gauge
                b 1.5E7
                b{path="C:\\\\x \\"y\\"\\n"} NaN
                # TYPE c summary
                c_count 2.0
                c_sum +Inf
                """);
        assertThat(p.value("a_total", "reason", "max_connections")).isEqualTo(3.0);
        assertThat(p.sum("a_total", "listener", "tcp/5005")).isEqualTo(4.0);
        assertThat(p.samples("b")).hasSize(2);
        assertThat(p.samples("b").get(1).labels()).containsEntry("path", "C:\\x \"y\"\n");
        assertThat(p.value("b", "path", "C:\\x \"y\"\n")).isNaN();
        assertThat(p.type("c_sum")).isEqualTo("summary");
        assertThat(p.value("c_sum")).isInfinite();
        assertThat(p.names()).containsExactly("a_total", "b", "c_count", "c_sum");
    }

    @Test
    void aMalformedLineOrAnUndeclaredFamilyIsAnError() {
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE a gauge\na{x=1} 2\n"))
                .hasMessageContaining("line 2");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE a gauge\na 2 3 4\n")).hasMessageContaining("trailing");
        assertThatThrownBy(() -> PrometheusText.parse("b 1\n")).hasMessageContaining("no # TYPE");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE a gauge\na{x=\"1\"}\n")).hasMessageContaining("no value");
    }

    @Test
    void aMissingSampleIsAnAssertionNotAZero() {
        PrometheusText p = PrometheusText.parse("# TYPE a gauge\na{x=\"1\"} 2\n");
        assertThatThrownBy(() -> p.value("a", "x", "2")).isInstanceOf(AssertionError.class);
        assertThat(p.sum("a", "x", "2")).isZero();
    }
}
