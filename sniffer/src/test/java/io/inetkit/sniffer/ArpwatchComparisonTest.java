package io.inetkit.sniffer;

import io.inetkit.sniffer.SniffFileTest.Run;
import io.inetkit.sniffer.testing.RawPcap;
import io.inetkit.sniffer.testing.Tools;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.inetkit.sniffer.TcpdumpComparisonTest.arp;
import static io.inetkit.sniffer.testing.RawPcap.concat;
import static io.inetkit.sniffer.testing.RawPcap.hex;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --watch} against arpwatch 2.1 ({@code arpwatch -d -r FILE}, which prints its reports on stdout) on
 * one capture holding each of arpwatch's reports: new station, changed ethernet address, flip flop, new
 * activity, ethernet mismatch, ethernet broadcast, and a 0.0.0.0 sender that both ignore. Every report of
 * arpwatch's is one of inetkit's alerts, for the same address; inetkit's only extra is duplicate-address.
 */
class ArpwatchComparisonTest {

    static final String A = "02000000000a";
    static final String B = "02000000000b";
    static final String C = "02000000000c";

    @TempDir
    Path dir;

    static byte[] frame(String src, String dst, int op, String sha, String spa, String tpa) {
        return concat(60, hex(dst + src + "0806"), arp(1, 0x0800, 6, 4, op, sha, spa, "000000000000", tpa));
    }

    static String ip(String dotted) {
        StringBuilder sb = new StringBuilder();
        for (String part : dotted.split("\\.")) {
            sb.append(String.format("%02x", Integer.parseInt(part)));
        }
        return sb.toString();
    }

    static Path capture(Path file) throws Exception {
        long t = 1_700_000_000L;
        String bcast = "ffffffffffff";
        return new RawPcap(1)
                .add(t, 0, frame(A, bcast, 1, A, ip("10.0.0.1"), ip("10.0.0.2")), 60)        // new station
                .add(t + 1, 0, frame(B, A, 2, B, ip("10.0.0.2"), ip("10.0.0.1")), 60)        // new station
                .add(t + 2, 0, frame(B, A, 2, C, ip("10.0.0.3"), ip("10.0.0.1")), 60)        // ethernet mismatch
                .add(t + 3, 0, frame(A, bcast, 1, bcast, ip("10.0.0.4"), ip("10.0.0.1")), 60) // ethernet broadcast
                .add(t + 4, 0, frame(C, bcast, 1, C, ip("0.0.0.0"), ip("10.0.0.5")), 60)     // probe: ignored
                .add(t + 6, 0, frame(C, bcast, 1, C, ip("10.0.0.2"), ip("10.0.0.1")), 60)    // changed ethernet address
                .add(t + 7, 0, frame(B, bcast, 1, B, ip("10.0.0.2"), ip("10.0.0.1")), 60)    // flip flop
                .add(t + 200 * 86_400L, 0, frame(A, bcast, 1, A, ip("10.0.0.1"), ip("10.0.0.2")), 60) // new activity
                .write(file);
    }

    static final Map<String, String> ARPWATCH_TO_INETKIT = Map.of(
            "new station", "new-station",
            "changed ethernet address", "changed-mac",
            "flip flop", "flip-flop",
            "new activity", "new-activity",
            "ethernet mismatch", "ethernet-mismatch",
            "ethernet broadcast", "broadcast-mac",
            "bogon", "bogon");

    @Test
    void everyArpwatchReportIsAnAlertForTheSameAddress() throws Exception {
        Assumptions.assumeTrue(Tools.installed("arpwatch"),
                "arpwatch is not installed (apt-get install arpwatch): the comparison is skipped");
        Path file = capture(dir.resolve("watch.pcap"));
        Path data = Files.createFile(dir.resolve("arp.dat"));
        Tools.Result arpwatch = Tools.run(60, "arpwatch", "-d", "-r", file.toAbsolutePath().toString(),
                "-f", data.toAbsolutePath().toString());
        Set<String> theirs = new TreeSet<>();
        Matcher subject = Pattern.compile("(?m)^Subject: ([a-z ]+) \\(([0-9.]+)\\)").matcher(arpwatch.out() + arpwatch.err());
        while (subject.find()) {
            theirs.add(ARPWATCH_TO_INETKIT.get(subject.group(1)) + " " + subject.group(2));
        }
        Matcher logged = Pattern.compile("(?m)arpwatch: (ethernet mismatch|ethernet broadcast|bogon) ([0-9.]+)")
                .matcher(arpwatch.out() + arpwatch.err());
        while (logged.find()) {
            theirs.add(ARPWATCH_TO_INETKIT.get(logged.group(1)) + " " + logged.group(2));
        }
        assertThat(theirs).as(arpwatch.out() + arpwatch.err()).contains("new-station 10.0.0.1", "changed-mac 10.0.0.2",
                "flip-flop 10.0.0.2", "new-activity 10.0.0.1", "ethernet-mismatch 10.0.0.3", "broadcast-mac 10.0.0.4");

        Run run = SniffFileTest.sniff("-r", file.toString(), "--watch", "--format", "json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        Set<String> ours = new TreeSet<>();
        for (var alert : SniffFileTest.json(run.out(), "alert")) {
            ours.add(alert.get("alert").asText() + " " + alert.get("ip").asText());
        }
        Set<String> extras = new TreeSet<>(ours);
        extras.removeAll(theirs);
        assertThat(ours).containsAll(theirs);
        assertThat(extras).allMatch(a -> a.startsWith("duplicate-address "));
        // neither learns the mismatched, broadcast or 0.0.0.0 senders; inetkit says so
        assertThat(SniffFileTest.json(run.out(), "station")).extracting(s -> s.get("ip").asText())
                .containsExactly("10.0.0.1", "10.0.0.2");
        assertThat(SniffFileTest.json(run.out(), "ignored")).extracting(s -> s.get("reason").asText())
                .anyMatch(r -> r.startsWith("sender 0.0.0.0")).anyMatch(r -> r.contains("ethernet mismatch"))
                .anyMatch(r -> r.contains("ethernet broadcast"));
    }

    @Test
    void sendersOutsideTheLocalNetworksAreBogonsAndNotLearned() throws Exception {
        Path file = capture(dir.resolve("watch.pcap"));
        Run run = SniffFileTest.sniff("-r", file.toString(), "--watch", "--local-net", "10.0.0.0/30", "-q");
        assertThat(run.exitCode()).as(run.err()).isZero();
        // 10.0.0.1 and .2 are inside 10.0.0.0/30; .3 (mismatched anyway) and .4 (broadcast) are not
        assertThat(run.err()).doesNotContain("bogon 10.0.0.1").doesNotContain("bogon 10.0.0.2");
        Run narrow = SniffFileTest.sniff("-r", file.toString(), "--watch", "--local-net", "10.0.0.2/32", "-q");
        assertThat(narrow.err()).contains("alert bogon: bogon 10.0.0.1 at 02:00:00:00:00:0a: outside the local "
                + "networks [10.0.0.2/32]").contains("watch ignored 2 frames: sender outside the local networks");
        assertThat(narrow.out()).contains("station table: 1 station");
        Run bad = SniffFileTest.sniff("-r", file.toString(), "--watch", "--local-net", "10.0.0/33");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("not an IPv4 network (CIDR, e.g. 192.168.1.0/24): 10.0.0/33").hasLineCount(1);
    }

    @Test
    void newActivityFollowsItsOption() throws Exception {
        Path file = capture(dir.resolve("watch.pcap"));
        assertThat(SniffFileTest.sniff("-r", file.toString(), "--watch", "-q").err())
                .contains("alert new-activity: new activity 10.0.0.1 at 02:00:00:00:00:0a after 200.0 days of silence");
        assertThat(SniffFileTest.sniff("-r", file.toString(), "--watch", "-q", "--new-activity-after", "5000h").err())
                .doesNotContain("new-activity");
        assertThat(SniffFileTest.sniff("-r", file.toString(), "--watch", "-q", "--new-activity-after", "4000h").err())
                .contains("alert new-activity: new activity 10.0.0.1");
    }
}
