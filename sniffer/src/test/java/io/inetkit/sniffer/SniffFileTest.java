package io.inetkit.sniffer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inetkit.common.cli.Cli;
import io.inetkit.sniffer.capture.SniffExit;
import io.inetkit.sniffer.testing.Frames;
import io.inetkit.sniffer.testing.PcapFiles;
import io.inetkit.sniffer.testing.Tools;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pcap4j.packet.namednumber.ArpOperation;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * {@code inetkit sniff -r FILE} in-process on capture files written with pcap4j's dumper, checked
 * against the lecture's text, tcpdump's lines and tshark's fields. No root, no network.
 */
class SniffFileTest {

    static final String A = "02:00:00:00:00:0a";
    static final String B = "02:00:00:00:00:0b";
    static final String ZERO = "00:00:00:00:00:00";
    static final String BCAST = "ff:ff:ff:ff:ff:ff";

    @TempDir
    static Path dir;
    static Path classified;

    /** One frame of each kind, in this order. */
    static final List<String> KINDS = List.of("request", "reply", "gratuitous", "gratuitous", "probe",
            "announcement", "request", "other");

    @BeforeAll
    static void writeClassifiedCapture() throws Exception {
        classified = new PcapFiles()
                .add(PcapFiles.arp(ArpOperation.REQUEST, A, "10.0.0.1", ZERO, "10.0.0.2", BCAST, null))
                .add(PcapFiles.arp(ArpOperation.REPLY, B, "10.0.0.2", A, "10.0.0.1", A, null))
                .add(PcapFiles.arp(ArpOperation.REQUEST, A, "10.0.0.1", BCAST, "10.0.0.1", BCAST, null))
                .add(PcapFiles.arp(ArpOperation.REPLY, B, "10.0.0.2", BCAST, "10.0.0.2", BCAST, null))
                .add(PcapFiles.arp(ArpOperation.REQUEST, A, "0.0.0.0", ZERO, "10.0.0.9", BCAST, null))
                .add(PcapFiles.arp(ArpOperation.REQUEST, A, "10.0.0.9", ZERO, "10.0.0.9", BCAST, null))
                .add(PcapFiles.arp(ArpOperation.REQUEST, B, "10.0.0.2", ZERO, "10.0.0.1", BCAST, 100))
                .add(PcapFiles.arp(ArpOperation.REQUEST_REVERSE, A, "0.0.0.0", A, "0.0.0.0", BCAST, null))
                .write(dir.resolve("classified.pcap"));
    }

    record Run(int exitCode, String out, String err) {
    }

    static Run sniff(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.run(new SniffCommand(), args, Map.of(), new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    static List<JsonNode> json(String out, String type) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : out.split("\n")) {
            JsonNode node = mapper.readTree(line);
            if (node.get("type").asText().equals(type)) {
                nodes.add(node);
            }
        }
        return nodes;
    }

    @Test
    void classifiesEachKindOfFrame() throws Exception {
        Run run = sniff("-r", classified.toString(), "-f", "", "--format", "json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<JsonNode> frames = json(run.out(), "arp");
        assertThat(frames).extracting(f -> f.get("classification").asText()).containsExactlyElementsOf(KINDS);
        assertThat(frames.get(6).at("/vlans/0/id").asInt()).isEqualTo(100);
        assertThat(frames.get(7).at("/arp/operation").asText()).isEqualTo("reverse request");
        JsonNode stats = json(run.out(), "stats").get(0);
        assertThat(stats.get("received").asLong()).isEqualTo(8);
        assertThat(stats.get("decoded").asLong()).isEqualTo(8);
        assertThat(stats.get("malformed").asLong()).isZero();
    }

    @Test
    void theDefaultFilterIsArpWhichInAFileMissesTaggedFrames() {
        Run plain = sniff("-r", classified.toString());
        assertThat(plain.err()).contains("7 frames received by filter\n7 matched the filter\n7 decoded as ARP\n");
        Run withVlan = sniff("-r", classified.toString(), "-f", "arp or (vlan and arp)");
        assertThat(withVlan.err()).contains("8 frames received by filter\n8 matched the filter\n8 decoded as ARP\n");
        assertThat(withVlan.out()).contains("tell 10.0.0.2, length 42 [vlan 100]");
    }

    @Test
    void decodedFieldsMatchTsharks() throws Exception {
        Assumptions.assumeTrue(Tools.installed("tshark"),
                "tshark is not installed (apt-get install tshark): the cross-check with Wireshark is skipped");
        Tools.Result tshark = Tools.run(60, Map.of(), List.of("tshark", "-r", classified.toString(), "-T", "fields",
                "-E", "separator=|", "-e", "vlan.id", "-e", "eth.dst", "-e", "eth.src", "-e", "arp.hw.type",
                "-e", "arp.proto.type", "-e", "arp.hw.size", "-e", "arp.proto.size", "-e", "arp.opcode",
                "-e", "arp.src.hw_mac", "-e", "arp.src.proto_ipv4", "-e", "arp.dst.hw_mac",
                "-e", "arp.dst.proto_ipv4", "-e", "arp.isgratuitous", "-e", "arp.isprobe",
                "-e", "arp.isannouncement"));
        assertThat(tshark.exitCode()).as(tshark.err()).isZero();
        List<String> theirs = tshark.out().lines().toList();

        List<JsonNode> ours = json(sniff("-r", classified.toString(), "-f", "", "--format", "json").out(), "arp");
        assertThat(ours).hasSameSizeAs(theirs).hasSize(KINDS.size());
        for (int i = 0; i < ours.size(); i++) {
            JsonNode f = ours.get(i);
            String c = f.get("classification").asText();
            String mine = String.join("|",
                    f.get("vlans").isEmpty() ? "" : f.at("/vlans/0/id").asText(),
                    f.at("/ethernet/destination").asText(), f.at("/ethernet/source").asText(),
                    f.at("/arp/hardwareType").asText(), String.format("0x%04x", f.at("/arp/protocolType").asInt()),
                    f.at("/arp/hardwareSize").asText(), f.at("/arp/protocolSize").asText(),
                    f.at("/arp/opcode").asText(),
                    f.at("/arp/senderHardwareAddress").asText(), f.at("/arp/senderProtocolAddress").asText(),
                    f.at("/arp/targetHardwareAddress").asText(), f.at("/arp/targetProtocolAddress").asText(),
                    c.equals("gratuitous") || c.equals("announcement") ? "1" : "",
                    c.equals("probe") ? "1" : "",
                    c.equals("announcement") ? "1" : "");
            assertThat(mine).as("frame %d", i + 1).isEqualTo(theirs.get(i));
        }
    }

    @Test
    void linesMatchTcpdumpsThenAddTheClassification() throws Exception {
        Assumptions.assumeTrue(Tools.installed("tcpdump"),
                "tcpdump is not installed (apt-get install tcpdump): the comparison of lines is skipped");
        String zone = ZoneId.systemDefault().getId();
        Tools.Result tcpdump = Tools.run(60, Map.of("TZ", zone),
                List.of("tcpdump", "-nn", "-r", classified.toString()));
        assertThat(tcpdump.exitCode()).as(tcpdump.err()).isZero();
        List<String> theirs = tcpdump.out().lines().toList();
        List<String> ours = sniff("-r", classified.toString(), "-f", "").out().lines().toList();
        assertThat(ours).hasSameSizeAs(theirs);
        for (int i = 0; i < ours.size(); i++) {
            assertThat(ours.get(i)).startsWith(theirs.get(i));
        }
        assertThat(ours.get(0)).isEqualTo(theirs.get(0)).endsWith("ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 46");
        assertThat(ours.get(1)).endsWith("ARP, Reply 10.0.0.2 is-at 02:00:00:00:00:0b, length 46");
        assertThat(ours.get(4)).endsWith(" [probe]");
        assertThat(ours.get(5)).endsWith(" [announcement]");
    }

    @Test
    void theLectureFramePrintsTheLectureBlock() throws Exception {
        Path file = new PcapFiles().add(Frames.LECTURE).add(Frames.LECTURE).write(dir.resolve("lecture.pcap"));
        Run run = sniff("-r", file.toString(), "--format", "seed");
        assertThat(run.exitCode()).isZero();
        String golden;
        try (InputStream in = getClass().getResourceAsStream("/lecture-two-frames.txt")) {
            golden = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(run.out()).isEqualTo(golden);

        Path one = new PcapFiles().add(Frames.LECTURE).write(dir.resolve("lecture-one.pcap"));
        assertThat(sniff("-r", one.toString(), "--format", "seed").out())
                .isEqualTo(golden.substring(0, golden.indexOf("\n\n") + 1));
    }

    @Test
    void truncatedAndGarbageFramesAreCountedNeverACrash() throws Exception {
        PcapFiles files = new PcapFiles();
        SplittableRandom random = new SplittableRandom(11);
        byte[] good = PcapFiles.arp(ArpOperation.REQUEST, A, "10.0.0.1", ZERO, "10.0.0.2", BCAST, null).getRawData();
        for (int len = 0; len < 42; len++) {
            files.add(Arrays.copyOf(good, len)); // every truncation of a good frame
        }
        int garbage = 200;
        for (int i = 0; i < garbage; i++) {
            byte[] g = new byte[random.nextInt(100)];
            for (int j = 0; j < g.length; j++) {
                g[j] = (byte) random.nextInt(256);
            }
            files.add(g);
        }
        files.add(good);
        Path file = files.write(dir.resolve("garbage.pcap"));
        Run run = sniff("-r", file.toString(), "-f", "", "--format", "json", "--watch");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode stats = json(run.out(), "stats").get(0);
        long total = 42 + garbage + 1;
        assertThat(stats.get("received").asLong()).isEqualTo(total);
        assertThat(stats.get("matched").asLong()).isEqualTo(total);
        assertThat(stats.get("decoded").asLong() + stats.get("malformed").asLong() + stats.get("notArp").asLong())
                .isEqualTo(total);
        assertThat(stats.get("malformed").asLong()).isGreaterThanOrEqualTo(42 - 14); // truncated ARP at least
        assertThat(stats.get("decoded").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(json(run.out(), "arp")).anySatisfy(f ->
                assertThat(f.at("/arp/targetProtocolAddress").asText()).isEqualTo("10.0.0.2"));
        assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void theFilterDecidesWhatIsMatched() throws Exception {
        byte[] ipv4 = Frames.LECTURE.clone();
        ipv4[12] = 0x08;
        ipv4[13] = 0x00;
        Path file = new PcapFiles().add(ipv4).add(Frames.LECTURE).add(ipv4).write(dir.resolve("mixed.pcap"));
        assertThat(sniff("-r", file.toString()).err())
                .contains("1 frames received by filter\n1 matched the filter\n1 decoded as ARP\n0 malformed\n0 not ARP\n");
        assertThat(sniff("-r", file.toString(), "-f", "").err())
                .contains("3 frames received by filter\n3 matched the filter\n1 decoded as ARP\n0 malformed\n2 not ARP\n");
        assertThat(sniff("-r", file.toString(), "-f", "ether src 00:24:b2:84:19:22 and arp").out()).hasLineCount(1);
    }

    @Test
    void countStopsAfterThatManyMatchedFrames() {
        Run run = sniff("-r", classified.toString(), "-c", "3");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).hasLineCount(3);
        assertThat(run.err()).contains("3 matched the filter");
    }

    @Test
    void writesTheMatchedFramesToAPcapThatTcpdumpReads() throws Exception {
        Path copy = dir.resolve("copy.pcap");
        Run run = sniff("-r", classified.toString(), "-w", copy.toString(), "--format", "json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        Run again = sniff("-r", copy.toString(), "-f", "");
        assertThat(again.err()).contains("7 frames received by filter\n7 matched the filter\n7 decoded as ARP");
        assertThat(again.out()).isEqualTo(sniff("-r", classified.toString()).out());
        if (Tools.installed("tcpdump")) {
            Tools.Result tcpdump = Tools.run(60, "tcpdump", "-nn", "-r", copy.toString());
            assertThat(tcpdump.exitCode()).as(tcpdump.err()).isZero();
            assertThat(tcpdump.out()).hasLineCount(7);
        }
    }

    @Test
    void watchAlertsOnStderrAndPrintsTheTableThenKeepsItInTheStateFile() throws Exception {
        Path capture = new PcapFiles()
                .add(PcapFiles.arp(ArpOperation.REQUEST, A, "10.0.0.1", ZERO, "10.0.0.2", BCAST, null))
                .add(PcapFiles.arp(ArpOperation.REPLY, B, "10.0.0.2", A, "10.0.0.1", A, null))
                .add(PcapFiles.arp(ArpOperation.REPLY, "02:00:00:00:00:0c", "10.0.0.2", A, "10.0.0.1", A, null))
                .write(dir.resolve("duplicate.pcap"));
        Path state = dir.resolve("stations.json");
        Run first = sniff("-r", capture.toString(), "--state", state.toString());
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.err()).contains("alert new-station: new station 10.0.0.1 at 02:00:00:00:00:0a")
                .contains("alert new-station: new station 10.0.0.2 at 02:00:00:00:00:0b")
                .contains("alert duplicate-address: duplicate address 10.0.0.2 claimed by 02:00:00:00:00:0c "
                        + "and by 02:00:00:00:00:0b 1.0 ms earlier");
        assertThat(first.out()).contains("station table: 2 stations")
                .containsPattern("10\\.0\\.0\\.2 +02:00:00:00:00:0c .* 2  \\(was 02:00:00:00:00:0b\\)");
        assertThat(Files.readString(state)).contains("\"10.0.0.2\"");

        Run second = sniff("-r", capture.toString(), "--state", state.toString(), "--format", "json");
        assertThat(second.exitCode()).isZero();
        List<JsonNode> alerts = json(second.out(), "alert");
        // the stations are known from the first run; 10.0.0.2 flips between B and C again
        assertThat(alerts).extracting(a -> a.get("alert").asText()).doesNotContain("new-station")
                .contains("flip-flop", "duplicate-address");
        assertThat(json(second.out(), "station")).extracting(s -> s.get("count").asLong()).containsExactly(2L, 4L);
    }

    /**
     * A record whose microseconds field is 1,500,000 (seen in public corpora), another with 2^32-1: pcap4j
     * refuses to build their timestamps inside its callback. They are printed as tcpdump prints them, the
     * field as it is ({@code 22:13:20.1500000}), counted, and written by {@code -w} unchanged.
     */
    @Test
    void aRecordWithAnOutOfRangeTimestampIsPrintedAsTcpdumpPrintsIt() throws Exception {
        byte[] file = Files.readAllBytes(Path.of("examples/arp-kinds.pcap"));
        Run good = sniff("-r", "examples/arp-kinds.pcap");
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(24 + 4, 1_500_000); // first record's ts_usec
        b.putInt(24 + 16 + b.getInt(24 + 8) + 4, -1); // the second's: 4294967295
        Path bad = Files.write(dir.resolve("bad-usec.pcap"), file);
        Path copy = dir.resolve("copy.pcap");
        Run run = sniff("-r", bad.toString());
        assertThat(run.exitCode()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).matches("\\d\\d:\\d\\d:\\d\\d\\.1500000 ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 46");
        assertThat(lines.get(1)).matches("\\d\\d:\\d\\d:\\d\\d\\.4294967295 ARP, Reply .*");
        assertThat(lines.stream().skip(2)).containsExactlyElementsOf(good.out().lines().skip(2).toList());
        assertThat(counter(run.err(), "frames received by filter")).as("every record counted")
                .isEqualTo(counter(good.err(), "frames received by filter"));
        assertThat(counter(run.err(), "malformed")).isEqualTo(counter(good.err(), "malformed"));
        assertThat(run.err()).doesNotContain("\tat ").doesNotContain("Exception");
        if (Tools.installed("tcpdump")) {
            Tools.Result tcpdump = Tools.run(30, Map.of("TZ", ZoneId.systemDefault().getId()),
                    List.of("tcpdump", "-nn", "-r", bad.toString(), "arp or rarp"));
            assertThat(sniff("-r", bad.toString(), "-q").out()).isEqualTo(tcpdump.out());
        }
        // -w keeps the record headers as read: with every record matched, the same bytes as the file
        assertThat(sniff("-r", bad.toString(), "-f", "", "-w", copy.toString()).exitCode()).isZero();
        assertThat(Files.readAllBytes(copy)).hasSize(file.length);
        assertThat(Arrays.copyOfRange(Files.readAllBytes(copy), 24, file.length))
                .isEqualTo(Arrays.copyOfRange(file, 24, file.length));
    }

    private static long counter(String summary, String label) {
        return summary.lines().filter(l -> l.endsWith(" " + label)).mapToLong(l -> Long.parseLong(l.split(" ")[0]))
                .findFirst().orElseThrow(() -> new AssertionError("no '" + label + "' in " + summary));
    }

    @Test
    void errorsAreOneLineWithTheirOwnExitCodes() throws Exception {
        Run missing = sniff("-r", dir.resolve("nope.pcap").toString());
        assertThat(missing.exitCode()).isEqualTo(SniffExit.BAD_CAPTURE_FILE);
        assertThat(missing.err()).startsWith("inetkit sniff: cannot read capture file").hasLineCount(1);

        Path notPcap = Files.writeString(dir.resolve("notes.txt"), "these are not packets\n");
        Run garbage = sniff("-r", notPcap.toString());
        assertThat(garbage.exitCode()).isEqualTo(SniffExit.BAD_CAPTURE_FILE);
        assertThat(garbage.err()).contains("unknown file format").hasLineCount(1);

        byte[] whole = Files.readAllBytes(classified);
        Path cut = Files.write(dir.resolve("cut.pcap"), Arrays.copyOf(whole, whole.length - 20));
        Run truncated = sniff("-r", cut.toString());
        assertThat(truncated.exitCode()).isEqualTo(SniffExit.BAD_CAPTURE_FILE);
        assertThat(truncated.out()).hasLineCount(6); // what came before the cut is printed
        assertThat(truncated.err()).contains("6 frames received by filter").endsWith(
                "inetkit sniff: capture file " + cut + " is truncated or damaged after 6 matching frames: truncated dump file; "
                        + "tried to read 60 captured bytes, only got 40\n");

        Run filter = sniff("-r", classified.toString(), "-f", "arp and and");
        assertThat(filter.exitCode()).isEqualTo(SniffExit.BAD_FILTER);
        assertThat(filter.err()).isEqualTo("inetkit sniff: bad BPF filter 'arp and and': can't parse filter expression: "
                + "syntax error\n");

        Run iface = sniff("-i", "nosuch0");
        assertThat(iface.exitCode()).isEqualTo(SniffExit.NO_SUCH_INTERFACE);
        assertThat(iface.err()).isEqualTo("inetkit sniff: no such interface: nosuch0 (inetkit sniff --list-interfaces lists them)\n");

        Run neither = sniff();
        assertThat(neither.exitCode()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(neither.err()).contains("give an interface (-i IFACE) or a capture file (-r FILE)").hasLineCount(1);
        assertThat(sniff("-i", "lo", "-r", classified.toString()).exitCode()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(sniff("-r", classified.toString(), "--format", "xml").exitCode()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(sniff("-r", classified.toString(), "--snaplen", "0").err()).contains("snaplen must be 1-262144: 0");

        Path badState = Files.writeString(dir.resolve("bad-state.json"), "{not json");
        Run state = sniff("-r", classified.toString(), "--state", badState.toString());
        assertThat(state.exitCode()).isEqualTo(SniffExit.FILE);
        assertThat(state.err()).startsWith("inetkit sniff: cannot read state file").hasLineCount(1);

        // a FIFO would block the read for a writer that never comes: its type is checked first
        Path fifo = dir.resolve("state.fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        Run fromFifo = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> sniff("-r", classified.toString(), "--state", fifo.toString()));
        assertThat(fromFifo.exitCode()).isEqualTo(SniffExit.FILE);
        assertThat(fromFifo.err()).isEqualTo("inetkit sniff: cannot read state file " + fifo
                + ": not a regular file (a FIFO, socket or device)\n");
        Run fromDirectory = sniff("-r", classified.toString(), "--state", dir.toString());
        assertThat(fromDirectory.exitCode()).isEqualTo(SniffExit.FILE);
        assertThat(fromDirectory.err()).isEqualTo("inetkit sniff: cannot read state file " + dir
                + ": not a regular file (a directory)\n");

        Run write = sniff("-r", classified.toString(), "-w", dir.resolve("no/such/dir/x.pcap").toString());
        assertThat(write.exitCode()).isEqualTo(SniffExit.FILE);
        assertThat(write.err()).contains("cannot write").doesNotContain("\tat ");
    }

    /** The capture files under examples/ that the README's examples read. */
    @Test
    void theReadmeExamplesPrintWhatTheReadmeShows() throws Exception {
        Run kinds = sniff("-r", "examples/arp-kinds.pcap");
        assertThat(kinds.exitCode()).isZero();
        assertThat(kinds.out().lines().filter(l -> !l.endsWith("[|arp]")).map(l -> l.substring(16))).containsExactly(
                "ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 46",
                "ARP, Reply 10.0.0.2 is-at 02:00:00:00:00:0b, length 46",
                "ARP, Request who-has 10.0.0.3 tell 0.0.0.0, length 46 [probe]",
                "ARP, Request who-has 10.0.0.3 tell 10.0.0.3, length 46 [announcement]",
                "ARP, Reply 10.0.0.2 is-at 02:00:00:00:00:0b, length 46 [gratuitous]",
                "ARP, Reply 10.0.0.2 is-at 02:00:00:00:00:0d, length 46");
        assertThat(kinds.out().lines().map(l -> l.substring(15))).contains("  [|arp]");
        assertThat(kinds.err()).endsWith("7 frames received by filter\n7 matched the filter\n6 decoded as ARP\n1 malformed\n0 not ARP\n");
        Run watch = sniff("-r", "examples/arp-kinds.pcap", "-f", "arp or (vlan and arp)", "--watch");
        assertThat(watch.out()).contains("length 42 [vlan 100]").contains("station table: 3 stations");
        assertThat(watch.err()).contains("alert duplicate-address: duplicate address 10.0.0.2 claimed by "
                + "02:00:00:00:00:0d and by 02:00:00:00:00:0b 1.0 s earlier");
        String golden;
        try (InputStream in = getClass().getResourceAsStream("/lecture-two-frames.txt")) {
            golden = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(sniff("-r", "examples/lecture.pcap", "--format", "seed").out()).isEqualTo(golden);
    }

    @Test
    void listsInterfaces() {
        Run run = sniff("--list-interfaces");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).containsPattern("(?m)^1\\. \\S+").contains(" lo ");
    }
}
