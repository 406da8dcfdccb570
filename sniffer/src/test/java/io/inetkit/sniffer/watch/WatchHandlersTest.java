package io.inetkit.sniffer.watch;

import io.inetkit.sniffer.chain.CaptureEnded;
import io.inetkit.sniffer.chain.Decoding;
import io.inetkit.sniffer.chain.FramePipeline;
import io.inetkit.sniffer.packet.Address;
import io.inetkit.sniffer.packet.ArpFrame;
import io.inetkit.sniffer.packet.ArpPacket;
import io.inetkit.sniffer.packet.CapturedFrame;
import io.inetkit.sniffer.testing.Frames;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.inetkit.sniffer.testing.Frames.ip;
import static io.inetkit.sniffer.testing.Frames.mac;
import static org.assertj.core.api.Assertions.assertThat;

/** The --watch handlers, each alone, and the station table's rules. */
class WatchHandlersTest {

    static final Address MAC_A = mac("02:00:00:00:00:0a");
    static final Address MAC_B = mac("02:00:00:00:00:0b");
    static final Address MAC_C = mac("02:00:00:00:00:0c");
    static final Address IP_1 = ip("10.0.0.1");
    static final Address IP_2 = ip("10.0.0.2");
    static final long SECOND = 1_000_000;

    static ArpFrame arpFrame(long micros, byte[] data) throws Exception {
        FramePipeline p = Decoding.decodeAndClassify();
        p.fireRead(CapturedFrame.of(micros, data));
        p.checkException();
        return p.readInbound();
    }

    static List<Object> drain(FramePipeline p) {
        List<Object> out = new ArrayList<>();
        for (Object o = p.readInbound(); o != null; o = p.readInbound()) {
            out.add(o);
        }
        return out;
    }

    static List<Alert.Kind> kinds(List<Object> out) {
        return out.stream().filter(Alert.class::isInstance).map(o -> ((Alert) o).kind()).toList();
    }

    @Test
    void aNewIpIsANewStationAndTheSameMacRefreshesIt() {
        StationTable table = new StationTable(Duration.ofSeconds(10));
        assertThat(table.claim(IP_1, MAC_A, Frames.T0)).extracting(Alert::kind).containsExactly(Alert.Kind.NEW_STATION);
        assertThat(table.claim(IP_1, MAC_A, Frames.T0 + 5 * SECOND)).isEmpty();
        Station s = table.get(IP_1);
        assertThat(s.mac()).isEqualTo(MAC_A);
        assertThat(s.firstSeen()).isEqualTo(Frames.T0);
        assertThat(s.lastSeen()).isEqualTo(Frames.T0 + 5 * SECOND);
        assertThat(s.count()).isEqualTo(2);
        assertThat(s.previousMac()).isNull();
    }

    @Test
    void anotherMacLongAfterIsAChangeAndTheOldOneBackIsAFlipFlop() {
        StationTable table = new StationTable(Duration.ofSeconds(10));
        table.claim(IP_1, MAC_A, Frames.T0);
        List<Alert> changed = table.claim(IP_1, MAC_B, Frames.T0 + 60 * SECOND);
        assertThat(changed).extracting(Alert::kind).containsExactly(Alert.Kind.CHANGED_MAC);
        assertThat(changed.get(0).otherMac()).isEqualTo(MAC_A);
        assertThat(changed.get(0).message()).isEqualTo(
                "changed MAC 10.0.0.1 from 02:00:00:00:00:0a to 02:00:00:00:00:0b");
        assertThat(table.claim(IP_1, MAC_A, Frames.T0 + 120 * SECOND)).extracting(Alert::kind)
                .containsExactly(Alert.Kind.FLIP_FLOP);
        assertThat(table.claim(IP_1, MAC_C, Frames.T0 + 180 * SECOND)).extracting(Alert::kind)
                .containsExactly(Alert.Kind.CHANGED_MAC);
        assertThat(table.get(IP_1).previousMac()).isEqualTo(MAC_A);
        assertThat(table.get(IP_1).count()).isEqualTo(4);
    }

    @Test
    void twoMacsWithinTheWindowAreADuplicate() {
        StationTable table = new StationTable(Duration.ofSeconds(10));
        table.claim(IP_1, MAC_A, Frames.T0);
        List<Alert> alerts = table.claim(IP_1, MAC_B, Frames.T0 + 300_000);
        assertThat(alerts).extracting(Alert::kind).containsExactly(Alert.Kind.CHANGED_MAC, Alert.Kind.DUPLICATE_ADDRESS);
        assertThat(alerts.get(1).message()).isEqualTo(
                "duplicate address 10.0.0.1 claimed by 02:00:00:00:00:0b and by 02:00:00:00:00:0a 300.0 ms earlier");
        assertThat(table.claim(IP_1, MAC_A, Frames.T0 + 600_000)).extracting(Alert::kind)
                .containsExactly(Alert.Kind.FLIP_FLOP, Alert.Kind.DUPLICATE_ADDRESS);
    }

    @Test
    void theSnapshotIsSortedByAddress() {
        StationTable table = new StationTable(Duration.ZERO);
        table.claim(ip("10.0.0.10"), MAC_A, Frames.T0);
        table.claim(ip("10.0.0.9"), MAC_B, Frames.T0);
        assertThat(table.snapshot()).extracting(s -> s.ip().toDotted()).containsExactly("10.0.0.9", "10.0.0.10");
    }

    @Test
    void trackerRaisesAlertsAheadOfTheFrameAndReportsTheTableAtTheEnd() throws Exception {
        StationTable table = new StationTable(Duration.ofSeconds(10));
        FramePipeline p = FramePipeline.of(new StationTracker(table));
        ArpFrame request = arpFrame(Frames.T0, Frames.request(MAC_A, IP_1, IP_2));
        ArpFrame reply = arpFrame(Frames.T0 + 1000, Frames.reply(MAC_B, IP_2, MAC_A, IP_1));
        ArpFrame forged = arpFrame(Frames.T0 + 2000, Frames.reply(MAC_C, IP_2, MAC_A, IP_1));
        p.fireRead(request).fireRead(reply).fireRead(forged).fireEvent(CaptureEnded.INSTANCE);
        List<Object> out = drain(p);
        assertThat(out).hasSize(8); // 4 alerts, 3 frames, the report
        assertThat(out.get(0)).isInstanceOf(Alert.class);
        assertThat(out.get(1)).isSameAs(request);
        assertThat(kinds(out)).containsExactly(Alert.Kind.NEW_STATION, Alert.Kind.NEW_STATION,
                Alert.Kind.CHANGED_MAC, Alert.Kind.DUPLICATE_ADDRESS);
        StationReport report = (StationReport) out.get(out.size() - 1);
        assertThat(report.stations()).extracting(s -> s.ip() + " " + s.mac().toColonHex())
                .containsExactly("10.0.0.1 02:00:00:00:00:0a", "10.0.0.2 02:00:00:00:00:0c");
        assertThat(p.events()).containsExactly(CaptureEnded.INSTANCE);
        p.checkException();
    }

    @Test
    void trackerIgnoresProbesAndGroupOrZeroSenders() throws Exception {
        StationTable table = new StationTable(Duration.ofSeconds(10));
        FramePipeline p = FramePipeline.of(new StationTracker(table));
        p.fireRead(arpFrame(Frames.T0, Frames.request(MAC_A, Frames.ZERO_IP, IP_2)));
        p.fireRead(arpFrame(Frames.T0, Frames.request(mac("01:00:5e:00:00:01"), IP_1, IP_2)));
        p.fireRead(arpFrame(Frames.T0, Frames.request(Frames.ZERO_MAC, IP_1, IP_2)));
        assertThat(kinds(drain(p))).isEmpty();
        assertThat(table.size()).isZero();
    }

    @Test
    void mismatchDetectorComparesEthernetSourceAndArpSender() throws Exception {
        FramePipeline p = FramePipeline.of(EthernetMismatchDetector.INSTANCE);
        ArpPacket arp = ArpPacket.ethernetIpv4(ArpPacket.OP_REPLY, MAC_B, IP_2, MAC_A, IP_1);
        ArpFrame honest = arpFrame(Frames.T0, Frames.frame(MAC_A, MAC_B, arp, 0));
        ArpFrame proxied = arpFrame(Frames.T0, Frames.frame(MAC_A, MAC_C, arp, 0));
        p.fireRead(honest).fireRead(proxied);
        List<Object> out = drain(p);
        assertThat(out).hasSize(3);
        assertThat(out.get(0)).isSameAs(honest);
        Alert alert = (Alert) out.get(1);
        assertThat(alert.kind()).isEqualTo(Alert.Kind.ETHERNET_MISMATCH);
        assertThat(alert.mac()).isEqualTo(MAC_B);
        assertThat(alert.otherMac()).isEqualTo(MAC_C);
        assertThat(alert.message()).isEqualTo(
                "ethernet mismatch: ARP sender 02:00:00:00:00:0b (10.0.0.2) in a frame from 02:00:00:00:00:0c");
        assertThat(out.get(2)).isSameAs(proxied);
    }

    @Test
    void tenRequestsInTheWindowAreNoStormElevenAre() throws Exception {
        FramePipeline p = FramePipeline.of(new RequestStormDetector(10, Duration.ofMillis(10)));
        byte[] request = Frames.request(MAC_A, IP_1, IP_2);
        for (int i = 0; i < 10; i++) {
            p.fireRead(arpFrame(Frames.T0 + i * 500L, request)); // 10 requests in 4.5 ms
        }
        assertThat(kinds(drain(p))).isEmpty();
        p.fireRead(arpFrame(Frames.T0 + 5000, request)); // the 11th, 5 ms after the first
        List<Object> out = drain(p);
        assertThat(kinds(out)).containsExactly(Alert.Kind.REQUEST_STORM);
        assertThat(((Alert) out.get(0)).message()).isEqualTo("request storm: 11 requests in 5.0 ms (limit 10 in 10.0 ms)");
        // counting starts afresh: ten more within the window raise nothing
        for (int i = 1; i <= 9; i++) {
            p.fireRead(arpFrame(Frames.T0 + 5000 + i * 100L, request));
        }
        assertThat(kinds(drain(p))).isEmpty();
    }

    @Test
    void requestsSpreadOverMoreThanTheWindowAndRepliesAreNoStorm() throws Exception {
        FramePipeline p = FramePipeline.of(new RequestStormDetector(10, Duration.ofMillis(10)));
        byte[] request = Frames.request(MAC_A, IP_1, IP_2);
        byte[] reply = Frames.reply(MAC_B, IP_2, MAC_A, IP_1);
        for (int i = 0; i < 100; i++) {
            p.fireRead(arpFrame(Frames.T0 + i * 1000L, request)); // one per ms: 11 span exactly 10 ms
            p.fireRead(arpFrame(Frames.T0 + i * 1000L + 1, reply));
        }
        assertThat(kinds(drain(p))).isEmpty();
    }
}
