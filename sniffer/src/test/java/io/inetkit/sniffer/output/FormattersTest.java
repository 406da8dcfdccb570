package io.inetkit.sniffer.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inetkit.sniffer.chain.CaptureEnded;
import io.inetkit.sniffer.chain.CaptureSummary;
import io.inetkit.sniffer.chain.Decoding;
import io.inetkit.sniffer.chain.FramePipeline;
import io.inetkit.sniffer.packet.Address;
import io.inetkit.sniffer.packet.ArpPacket;
import io.inetkit.sniffer.packet.CapturedFrame;
import io.inetkit.sniffer.packet.VlanTag;
import io.inetkit.sniffer.testing.Frames;
import io.inetkit.sniffer.watch.Alert;
import io.inetkit.sniffer.watch.Station;
import io.inetkit.sniffer.watch.StationReport;
import io.inetkit.sniffer.watch.StationStore;
import io.inetkit.sniffer.watch.StationTable;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

import static io.inetkit.sniffer.testing.Frames.ip;
import static io.inetkit.sniffer.testing.Frames.mac;
import static org.assertj.core.api.Assertions.assertThat;

/** The three output formats, each alone behind the decoders. */
class FormattersTest {

    static final ZoneId UTC = ZoneId.of("UTC");
    static final Address MAC_A = mac("02:00:00:00:00:0a");
    static final Address MAC_B = mac("00:11:22:33:44:55");

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    FramePipeline pipeline(OutputFormatter formatter) {
        return Decoding.decodeAndClassify(formatter);
    }

    LineFormatter line() {
        return new LineFormatter(new PrintWriter(out), new PrintWriter(err), UTC, TcpdumpStyle.DEFAULT);
    }

    String lineFor(byte[] frame) throws Exception {
        out.getBuffer().setLength(0);
        FramePipeline p = pipeline(line());
        p.fireRead(CapturedFrame.of(Frames.T0, frame)).fireReadComplete();
        p.checkException();
        return out.toString();
    }

    static byte[] arp(int op, Address sha, Address spa, Address tha, Address tpa) {
        return Frames.frame(Frames.BROADCAST, sha, ArpPacket.ethernetIpv4(op, sha, spa, tha, tpa), 0);
    }

    @Test
    void linesReadLikeTcpdumps() throws Exception {
        assertThat(lineFor(Frames.LECTURE))
                .isEqualTo("22:13:20.123456 ARP, Request who-has 192.168.1.27 tell 192.168.1.1, length 28\n");
        assertThat(lineFor(Frames.reply(MAC_B, ip("192.168.1.27"), mac("00:24:b2:84:19:22"), ip("192.168.1.1"))))
                .isEqualTo("22:13:20.123456 ARP, Reply 192.168.1.27 is-at 00:11:22:33:44:55, length 28\n");
        assertThat(lineFor(arp(1, MAC_A, ip("10.0.0.1"), MAC_B, ip("10.0.0.2"))))
                .isEqualTo("22:13:20.123456 ARP, Request who-has 10.0.0.2 (00:11:22:33:44:55) tell 10.0.0.1, length 28\n");
        assertThat(lineFor(arp(3, MAC_A, ip("10.0.0.1"), MAC_B, ip("10.0.0.2"))))
                .contains("ARP, Reverse Request who-is 00:11:22:33:44:55 tell 02:00:00:00:00:0a, length 28");
        assertThat(lineFor(arp(4, MAC_A, ip("10.0.0.1"), MAC_B, ip("10.0.0.2"))))
                .contains("ARP, Reverse Reply 00:11:22:33:44:55 at 10.0.0.2, length 28");
        assertThat(lineFor(arp(8, MAC_A, ip("10.0.0.1"), MAC_B, ip("10.0.0.2"))))
                .contains("ARP, Inverse Request who-is 00:11:22:33:44:55 tell 02:00:00:00:00:0a, length 28");
        assertThat(lineFor(arp(9, MAC_A, ip("10.0.0.1"), MAC_B, ip("10.0.0.2"))))
                .contains("ARP, Inverse Reply 02:00:00:00:00:0a at 10.0.0.1, length 28");
        assertThat(lineFor(arp(77, MAC_A, ip("10.0.0.1"), MAC_B, ip("10.0.0.2"))))
                .startsWith("22:13:20.123456 ARP, Unknown (77) \n\t0x0000:  0001 0800 0604 004d"); // then a hex dump, as tcpdump
    }

    @Test
    void otherProtocolsShowTypesAndSizes() throws Exception {
        ArpPacket v6 = new ArpPacket(1, 0x86dd, 6, 16, 1, MAC_A, Address.of(new byte[16]), MAC_B,
                Address.of(new byte[16]));
        assertThat(lineFor(Frames.frame(Frames.BROADCAST, MAC_A, v6, 0)))
                .isEqualTo("22:13:20.123456 ARP, Ethernet (len 6), IPv6 (len 16), length 52 [gratuitous]\n");
    }

    @Test
    void lengthIsTheWireLengthAfterTheLinkHeaderAndTagsAndClassificationFollow() throws Exception {
        byte[] padded = Frames.frame(Frames.BROADCAST, MAC_A, ArpPacket.ethernetIpv4(1, MAC_A, ip("10.0.0.7"),
                Frames.ZERO_MAC, ip("10.0.0.7")), 60, new VlanTag(0x8100, 0, false, 100));
        assertThat(lineFor(padded)).isEqualTo(
                "22:13:20.123456 ARP, Request who-has 10.0.0.7 tell 10.0.0.7, length 42 [vlan 100] [announcement]\n");
        assertThat(lineFor(arp(1, MAC_A, Frames.ZERO_IP, Frames.ZERO_MAC, ip("10.0.0.7"))))
                .endsWith("ARP, Request who-has 10.0.0.7 tell 0.0.0.0, length 28 [probe]\n");
        assertThat(lineFor(arp(2, MAC_A, ip("10.0.0.7"), Frames.BROADCAST, ip("10.0.0.7"))))
                .endsWith("ARP, Reply 10.0.0.7 is-at 02:00:00:00:00:0a, length 28 [gratuitous]\n");
    }

    @Test
    void aFrameCutByTheSnapshotLengthShowsItsWireLength() throws Exception {
        FramePipeline p = pipeline(line());
        p.fireRead(new CapturedFrame(Frames.T0, 60, Frames.LECTURE)).fireReadComplete();
        assertThat(out.toString()).endsWith("length 46\n");
    }

    @Test
    void timesAreLocalToTheZone() throws Exception {
        LineFormatter tokyo = new LineFormatter(new PrintWriter(out), new PrintWriter(err), ZoneId.of("Asia/Tokyo"), TcpdumpStyle.DEFAULT);
        FramePipeline p = pipeline(tokyo);
        p.fireRead(CapturedFrame.of(Frames.T0, Frames.LECTURE)).fireReadComplete();
        assertThat(out.toString()).startsWith("07:13:20.123456 ARP");
    }

    @Test
    void alertsGoToStderrTheTableToStdoutTheStatisticsToStderr() {
        FramePipeline p = FramePipeline.of(line());
        p.fireRead(new Alert(Alert.Kind.NEW_STATION, Frames.T0, ip("10.0.0.1"), MAC_A, null, "new station 10.0.0.1"));
        p.fireRead(new StationReport(List.of(new Station(ip("10.0.0.1"), MAC_A, MAC_B, Frames.T0, Frames.T0 + 1, 3))));
        p.fireRead(new CaptureSummary(10, 9, 8, 1, 0, 2, true));
        p.fireReadComplete();
        assertThat(err.toString()).isEqualTo("""
                22:13:20.123456 alert new-station: new station 10.0.0.1
                10 packets received by filter
                9 matched the filter
                8 decoded as ARP
                1 malformed
                0 not ARP
                2 dropped by kernel
                """);
        assertThat(out.toString()).isEqualTo("""
                station table: 1 station
                IP               MAC                FIRST SEEN                  LAST SEEN                   COUNT
                10.0.0.1         02:00:00:00:00:0a  2023-11-14 22:13:20.123456  2023-11-14 22:13:20.123457  3  (was 00:11:22:33:44:55)
                """);
    }

    @Test
    void seedPrintsTheLectureBlocksByteForByte() throws Exception {
        FramePipeline p = pipeline(new SeedFormatter(new PrintWriter(out), new PrintWriter(err), UTC));
        p.fireRead(CapturedFrame.of(Frames.T0, Frames.LECTURE));
        p.fireRead(CapturedFrame.of(Frames.T0 + 1, Frames.LECTURE));
        p.fireReadComplete();
        p.checkException();
        String golden;
        try (InputStream in = getClass().getResourceAsStream("/lecture-two-frames.txt")) {
            golden = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(out.toString()).isEqualTo(golden);
        assertThat(out.toString().split("\n", -1)[15]).hasSize(49).matches("\\*+");
    }

    @Test
    void seedShowsTheWireTypeOfATaggedFrame() throws Exception {
        FramePipeline p = pipeline(new SeedFormatter(new PrintWriter(out), new PrintWriter(err), UTC));
        p.fireRead(CapturedFrame.of(Frames.T0, Frames.frame(Frames.BROADCAST, MAC_A,
                ArpPacket.ethernetIpv4(2, MAC_A, ip("10.0.0.1"), MAC_B, ip("10.0.0.2")), 0,
                new VlanTag(0x8100, 0, false, 5))));
        p.fireReadComplete();
        assertThat(out.toString()).contains("Type:             8100\n").contains("Opcode:           0002\n")
                .contains("Source IP:        10.0.0.1\n");
    }

    @Test
    void jsonHasEveryFieldOneObjectPerLine() throws Exception {
        FramePipeline p = pipeline(new JsonFormatter(new PrintWriter(out), new PrintWriter(err), UTC));
        p.fireRead(new CapturedFrame(Frames.T0, 64, Frames.frame(Frames.BROADCAST, mac("00:24:b2:84:19:22"),
                ArpPacket.parse(Frames.LECTURE, 14, 28), 0, new VlanTag(0x8100, 3, false, 100))));
        p.fireRead(new Alert(Alert.Kind.REQUEST_STORM, Frames.T0, null, null, null, "storm"));
        p.fireRead(new StationReport(List.of(new Station(ip("10.0.0.1"), MAC_A, null, Frames.T0, Frames.T0, 1))));
        p.fireRead(new CaptureSummary(3, 2, 1, 1, 0, 0, false));
        p.fireReadComplete();
        p.checkException();
        String[] lines = out.toString().split("\n");
        assertThat(lines).hasSize(4);
        ObjectMapper mapper = new ObjectMapper();
        JsonNode frame = mapper.readTree(lines[0]);
        assertThat(frame.get("type").asText()).isEqualTo("arp");
        assertThat(frame.get("timestamp").asText()).isEqualTo("2023-11-14T22:13:20.123456Z");
        assertThat(frame.get("timestampMicros").asLong()).isEqualTo(Frames.T0);
        assertThat(frame.get("length").asInt()).isEqualTo(64);
        assertThat(frame.get("capturedLength").asInt()).isEqualTo(46);
        assertThat(frame.at("/ethernet/destination").asText()).isEqualTo("ff:ff:ff:ff:ff:ff");
        assertThat(frame.at("/ethernet/source").asText()).isEqualTo("00:24:b2:84:19:22");
        assertThat(frame.at("/ethernet/etherType").asInt()).isEqualTo(0x8100);
        assertThat(frame.at("/vlans/0/id").asInt()).isEqualTo(100);
        assertThat(frame.at("/vlans/0/priority").asInt()).isEqualTo(3);
        assertThat(frame.at("/vlans/0/tpid").asInt()).isEqualTo(0x8100);
        assertThat(frame.at("/vlans/0/dropEligible").asBoolean()).isFalse();
        assertThat(frame.at("/arp/hardwareType").asInt()).isEqualTo(1);
        assertThat(frame.at("/arp/protocolType").asInt()).isEqualTo(0x0800);
        assertThat(frame.at("/arp/hardwareSize").asInt()).isEqualTo(6);
        assertThat(frame.at("/arp/protocolSize").asInt()).isEqualTo(4);
        assertThat(frame.at("/arp/opcode").asInt()).isEqualTo(1);
        assertThat(frame.at("/arp/operation").asText()).isEqualTo("request");
        assertThat(frame.at("/arp/senderHardwareAddress").asText()).isEqualTo("00:24:b2:84:19:22");
        assertThat(frame.at("/arp/senderProtocolAddress").asText()).isEqualTo("192.168.1.1");
        assertThat(frame.at("/arp/targetHardwareAddress").asText()).isEqualTo("00:00:00:00:00:00");
        assertThat(frame.at("/arp/targetProtocolAddress").asText()).isEqualTo("192.168.1.27");
        assertThat(frame.get("classification").asText()).isEqualTo("request");

        JsonNode alert = mapper.readTree(lines[1]);
        assertThat(alert.get("type").asText()).isEqualTo("alert");
        assertThat(alert.get("alert").asText()).isEqualTo("request-storm");
        assertThat(alert.get("ip").isNull()).isTrue();
        JsonNode station = mapper.readTree(lines[2]);
        assertThat(station.get("type").asText()).isEqualTo("station");
        assertThat(station.get("ip").asText()).isEqualTo("10.0.0.1");
        assertThat(station.get("firstSeen").asText()).isEqualTo("2023-11-14T22:13:20.123456Z");
        JsonNode stats = mapper.readTree(lines[3]);
        assertThat(stats.get("type").asText()).isEqualTo("stats");
        assertThat(stats.get("received").asLong()).isEqualTo(3);
        assertThat(stats.get("malformed").asLong()).isEqualTo(1);
        assertThat(err.toString()).contains("3 frames received by filter\n").doesNotContain("dropped by kernel");
    }

    @Test
    void jsonOfAnUnclassifiedFrameSaysNull() throws Exception {
        FramePipeline p = Decoding.decodeOnly(new JsonFormatter(new PrintWriter(out), new PrintWriter(err), UTC));
        p.fireRead(CapturedFrame.of(Frames.T0, Frames.LECTURE)).fireReadComplete();
        assertThat(new ObjectMapper().readTree(out.toString()).get("classification").isNull()).isTrue();
    }

    @Test
    void outputIsWrittenOnceABatchEndsOrTheBufferIsFull() throws Exception {
        FramePipeline p = pipeline(line());
        p.fireRead(CapturedFrame.of(Frames.T0, Frames.LECTURE));
        assertThat(out.toString()).isEmpty();
        p.fireReadComplete();
        assertThat(out.toString()).hasLineCount(1);
        for (int i = 0; i < 2000; i++) {
            p.fireRead(CapturedFrame.of(Frames.T0, Frames.LECTURE));
        }
        assertThat(out.toString().length()).isGreaterThan(OutputFormatter.FLUSH_THRESHOLD);
        p.fireEvent(CaptureEnded.INSTANCE);
        assertThat(out.toString()).hasLineCount(2001);
    }

    @Test
    void storeKeepsTheTableAcrossRuns(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        StationTable table = new StationTable(Duration.ofSeconds(10));
        table.claim(ip("10.0.0.1"), MAC_A, Frames.T0);
        table.claim(ip("10.0.0.1"), MAC_B, Frames.T0 + 60_000_000);
        table.claim(ip("10.0.0.2"), MAC_B, Frames.T0);
        StationStore store = new StationStore(dir.resolve("arp.json"));
        StationTable empty = new StationTable(Duration.ofSeconds(10));
        store.load(empty); // no file yet: nothing
        assertThat(empty.size()).isZero();
        store.save(table);
        StationTable loaded = new StationTable(Duration.ofSeconds(10));
        store.load(loaded);
        assertThat(loaded.snapshot()).isEqualTo(table.snapshot());
        assertThat(loaded.claim(ip("10.0.0.1"), MAC_A, Frames.T0 + 120_000_000)).extracting(Alert::kind)
                .containsExactly(Alert.Kind.FLIP_FLOP);
    }

    @Test
    void storeRejectsAFileThatIsNotATable(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("arp.json");
        java.nio.file.Files.writeString(file, "{\"version\":1,\"stations\":[{\"ip\":\"300.1.1.1\",\"mac\":\"x\"}]}");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new StationStore(file).load(
                        new StationTable(Duration.ZERO)))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("bad station");
        java.nio.file.Files.writeString(file, "garbage");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new StationStore(file).load(
                        new StationTable(Duration.ZERO)))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("not a station table");
    }
}
