package io.inetkit.common.transport;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransportTest {

    @Test
    void autoPicksTheFirstAvailableInPreferenceOrder() {
        Transport.Selection s = Transport.select("auto");
        Transport expected = null;
        for (Transport t : Transport.AUTO_ORDER) {
            if (t.unavailabilityCause() == null) {
                expected = t;
                break;
            }
        }
        assertThat(s.transport()).isEqualTo(expected);
        if (s.transport() != Transport.AUTO_ORDER[0]) {
            assertThat(s.fallbackReason()).contains("unavailable");
        }
    }

    @Test
    void nioIsAlwaysThere() {
        assertThat(Transport.select("NIO").transport()).isEqualTo(Transport.NIO);
        assertThat(Transport.NIO.unavailabilityCause()).isNull();
    }

    @Test
    void anUnknownTransportIsNamed() {
        assertThatThrownBy(() -> Transport.select("kqueue2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown transport 'kqueue2'");
    }

    @Test
    void anUnavailableNativeTransportSaysWhyOrIsSelected() {
        for (Transport t : new Transport[] {Transport.EPOLL, Transport.IO_URING}) {
            String cause = t.unavailabilityCause();
            if (cause == null) {
                assertThat(Transport.select(t.label()).transport()).isEqualTo(t);
            } else {
                assertThatThrownBy(() -> Transport.select(t.label())).hasMessageContaining("not available");
            }
        }
    }
}
