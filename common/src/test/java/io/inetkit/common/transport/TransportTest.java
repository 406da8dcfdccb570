package io.inetkit.common.transport;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransportTest {

    /** Availability as a test wants it: the transports in {@code missing} are unavailable with that cause. */
    private static Function<Transport, String> without(Map<Transport, String> missing) {
        return missing::get;
    }

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
        assertThat(s.reason()).isNotBlank();
    }

    @Test
    void autoOnEpollProbesIoUringOnlyWhenTheReasonIsRead() {
        java.util.List<Transport> probed = new java.util.ArrayList<>();
        Transport.Selection s = Transport.select("auto", t -> {
            probed.add(t);
            return null;
        });
        assertThat(s.transport()).isEqualTo(Transport.EPOLL);
        assertThat(probed).containsExactly(Transport.EPOLL); // a one-shot command never loads io_uring's library
        assertThat(s.reason()).startsWith("io_uring is available");
        assertThat(probed).containsExactly(Transport.EPOLL, Transport.IO_URING);
    }

    @Test
    void autoOnEpollSaysWhyNotIoUringWhenIoUringIsThere() {
        Transport.Selection s = Transport.select("auto", without(Map.of()));
        assertThat(s.transport()).isEqualTo(Transport.EPOLL);
        assertThat(s.reason()).isEqualTo("io_uring is available but not the default: it costs ~1 KiB more per"
                + " idle connection, see bench/README.md");
    }

    @Test
    void autoOnEpollGivesIoUringsCauseWhenItIsMissing() {
        Transport.Selection s = Transport.select("auto", without(Map.of(Transport.IO_URING, "kernel too old")));
        assertThat(s.transport()).isEqualTo(Transport.EPOLL);
        assertThat(s.reason()).isEqualTo("io_uring: kernel too old");
    }

    @Test
    void autoFallingBackToNioGivesEachNativeCause() {
        Transport.Selection s = Transport.select("auto",
                without(Map.of(Transport.EPOLL, "no epoll on macOS", Transport.IO_URING, "no io_uring on macOS")));
        assertThat(s.transport()).isEqualTo(Transport.NIO);
        assertThat(s.reason()).isEqualTo("epoll: no epoll on macOS; io_uring: no io_uring on macOS");
    }

    @Test
    void autoTakesIoUringWhenOnlyEpollIsMissing() {
        Transport.Selection s = Transport.select("auto", without(Map.of(Transport.EPOLL, "seccomp")));
        assertThat(s.transport()).isEqualTo(Transport.IO_URING);
        assertThat(s.reason()).isEqualTo("epoll: seccomp");
    }

    @Test
    void aNamedTransportSaysItWasAskedFor() {
        assertThat(Transport.select("NIO").reason()).isEqualTo("--transport nio");
        assertThatThrownBy(() -> Transport.select("epoll", without(Map.of(Transport.EPOLL, "seccomp"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("epoll transport is not available here: seccomp");
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
        assertThatThrownBy(() -> Transport.requireKnown("kqueue2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown transport 'kqueue2'; expected auto, io_uring, epoll or nio");
        Transport.requireKnown("io-uring");
        Transport.requireKnown("AUTO");
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
