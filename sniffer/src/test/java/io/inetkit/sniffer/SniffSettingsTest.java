package io.inetkit.sniffer;

import io.inetkit.sniffer.capture.CaptureSource;
import io.inetkit.sniffer.chain.PipelineSettings;
import io.inetkit.sniffer.output.OutputFormat;
import io.inetkit.sniffer.watch.StationTable;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The settings records: defaults written once, validation in the record. */
class SniffSettingsTest {

    @Test
    void theBuilderStartsAtTheNamedDefaults() {
        SniffSettings s = SniffSettings.builder().readFile(Path.of("x.pcap")).build();
        assertThat(s.source()).isEqualTo(CaptureSource.file(Path.of("x.pcap")));
        assertThat(s.source().filter()).isEqualTo(CaptureSource.DEFAULT_FILTER)
                .isEqualTo("arp or rarp or (icmp6 and icmp6[icmp6type] >= 133 and icmp6[icmp6type] <= 137)");
        assertThat(s.source().snaplen()).isEqualTo(CaptureSource.DEFAULT_SNAPLEN);
        assertThat(s.source().promiscuous()).isTrue();
        assertThat(s.count()).isZero();
        assertThat(s.timeout()).isNull();
        assertThat(s.duplicateWindow()).isEqualTo(StationTable.DEFAULT_DUPLICATE_WINDOW).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.pipeline().format()).isEqualTo(OutputFormat.LINE)
                .hasToString(PipelineSettings.DEFAULT_FORMAT_TEXT);
        assertThat(s.pipeline().stormRequests()).isEqualTo(PipelineSettings.DEFAULT_STORM_REQUESTS);
        assertThat(s.pipeline().stormWindow()).isEqualTo(Duration.ofMillis(10));
        assertThat(s.pipeline().watch()).isFalse();
    }

    @Test
    void theRecordsNameTheBadValue() {
        assertThatThrownBy(() -> SniffSettings.builder().build())
                .hasMessageStartingWith("give an interface (-i IFACE) or a capture file (-r FILE)");
        assertThatThrownBy(() -> SniffSettings.builder().interfaceName("eth0").readFile(Path.of("x")).build())
                .hasMessage("give either -i or -r, not both");
        assertThatThrownBy(() -> SniffSettings.builder().interfaceName("eth0").snaplen(0).build())
                .hasMessage("snaplen must be 1-262144: 0");
        assertThatThrownBy(() -> SniffSettings.builder().interfaceName("eth0").count(-1).build())
                .hasMessage("count must be >= 0: -1");
        assertThatThrownBy(() -> SniffSettings.builder().interfaceName("eth0").stateFile(Path.of("s")).build())
                .hasMessage("a state file needs watch mode");
        assertThatThrownBy(() -> PipelineSettings.builder().stormRequests(0).build())
                .hasMessage("stormRequests must be >= 1: 0");
    }
}
