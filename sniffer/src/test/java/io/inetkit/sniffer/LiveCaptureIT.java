package io.inetkit.sniffer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inetkit.sniffer.testing.JarProcess;
import io.inetkit.sniffer.testing.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged sniffer on a live link, as root, in network namespaces made for the test (addresses
 * only inside them):
 * <pre>
 *   ns A: vA 10.200.7.1 ==== veth ==== vB 10.200.7.2  :ns B   (inetkit sniff -i vB)
 *                                       |
 *                                 macvlan mvC 10.200.7.2  :ns C   (a second station claiming B's address)
 * </pre>
 * {@code arping} in A asks for 10.200.7.2; B and C both answer, so the sniffer on vB sees the requests,
 * two MACs answering for one IP, and raises a duplicate-address alert. The namespaces carry this JVM's
 * pid and are removed afterwards, whatever happened.
 */
class LiveCaptureIT {

    static final long PID = ProcessHandle.current().pid();
    static final String A = "inetkit-sniff-a-" + PID;
    static final String B = "inetkit-sniff-b-" + PID;
    static final String C = "inetkit-sniff-c-" + PID;
    static final String IP_A = "10.200.7.1";
    static final String IP_B = "10.200.7.2";

    static String macB;
    static String macC;
    /** Whether this class got as far as creating namespaces (and so must remove them). */
    static boolean created;

    @BeforeAll
    static void makeTheLink() throws Exception {
        Assumptions.assumeTrue(Tools.isRoot(), "not root: live capture in network namespaces needs root");
        Assumptions.assumeTrue(Tools.installed("ip"), "iproute2 'ip' is not installed");
        Assumptions.assumeTrue(Tools.installed("arping"), "arping is not installed (apt-get install iputils-arping)");
        created = true;
        Tools.Result probe = Tools.run(20, "ip", "netns", "add", A);
        Assumptions.assumeTrue(probe.exitCode() == 0, "'ip netns add' is unavailable here: " + probe.err().trim());
        sh("ip", "netns", "add", B);
        sh("ip", "netns", "add", C);
        sh("ip", "link", "add", "vA", "netns", A, "type", "veth", "peer", "name", "vB", "netns", B);
        sh("ip", "-n", A, "addr", "add", IP_A + "/24", "dev", "vA");
        sh("ip", "-n", B, "addr", "add", IP_B + "/24", "dev", "vB");
        sh("ip", "-n", A, "link", "set", "vA", "up");
        sh("ip", "-n", B, "link", "set", "vB", "up");
        sh("ip", "-n", B, "link", "add", "mvC", "link", "vB", "type", "macvlan", "mode", "bridge");
        sh("ip", "-n", B, "link", "set", "mvC", "netns", C);
        sh("ip", "-n", C, "addr", "add", IP_B + "/24", "dev", "mvC");
        sh("ip", "-n", C, "link", "set", "mvC", "up");
        macB = mac(B, "vB");
        macC = mac(C, "mvC");
    }

    @AfterAll
    static void removeTheNamespaces() throws Exception {
        if (!created) {
            return; // skipped before making anything
        }
        for (String ns : List.of(A, B, C)) {
            Tools.run(20, "ip", "netns", "del", ns); // deleting A and B also removes the veth and macvlan
        }
        Tools.Result left = Tools.run(20, "ip", "netns", "list");
        assertThat(left.out()).doesNotContain("inetkit-sniff-a-" + PID).doesNotContain("inetkit-sniff-b-" + PID)
                .doesNotContain("inetkit-sniff-c-" + PID);
    }

    static void sh(String... command) throws Exception {
        Tools.Result r = Tools.run(20, command);
        if (r.exitCode() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + r.err().trim());
        }
    }

    static String mac(String ns, String dev) throws Exception {
        String out = Tools.run(20, "ip", "-n", ns, "link", "show", dev).out();
        return out.replaceAll("(?s).*link/ether ([0-9a-f:]{17}).*", "$1");
    }

    static JarProcess sniffInB(String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("-i", "vB"));
        all.addAll(List.of(args));
        JarProcess p = JarProcess.start(List.of("ip", "netns", "exec", B), List.of(), all.toArray(String[]::new));
        await().atMost(Duration.ofSeconds(60)).until(() -> p.err().contains("listening on vB") || !p.isAlive());
        assertThat(p.err()).as("the sniffer did not start").contains("listening on vB");
        return p;
    }

    @Test
    void seesRequestsRepliesAndTwoMacsAnsweringForOneAddress() throws Exception {
        try (JarProcess sniff = sniffInB("--watch", "--format", "json")) {
            Tools.Result arping = Tools.run(30, Map.of(), List.of("ip", "netns", "exec", A,
                    "arping", "-c", "3", "-w", "10", "-I", "vA", IP_B));
            assertThat(arping.out()).contains(macB.toUpperCase()).contains(macC.toUpperCase());
            await().atMost(Duration.ofSeconds(30)).until(() -> sniff.out().contains("\"duplicate-address\""));
            sniff.terminate();
            assertThat(sniff.waitFor(Duration.ofSeconds(30))).as(sniff.err()).isZero();

            ObjectMapper mapper = new ObjectMapper();
            List<JsonNode> lines = new ArrayList<>();
            for (String line : sniff.out().split("\n")) {
                lines.add(mapper.readTree(line));
            }
            List<JsonNode> requests = lines.stream().filter(n -> n.at("/arp/operation").asText().equals("request"))
                    .toList();
            List<JsonNode> replies = lines.stream().filter(n -> n.at("/arp/operation").asText().equals("reply"))
                    .toList();
            // arping -w stops once it has 3 replies: B and C both answer, so 2 requests may be all
            assertThat(requests).hasSizeGreaterThanOrEqualTo(2).allSatisfy(r -> {
                assertThat(r.at("/arp/senderProtocolAddress").asText()).isEqualTo(IP_A);
                assertThat(r.at("/arp/targetProtocolAddress").asText()).isEqualTo(IP_B);
            });
            assertThat(replies).extracting(r -> r.at("/arp/senderHardwareAddress").asText())
                    .contains(macB, macC);
            assertThat(replies).allSatisfy(r -> assertThat(r.at("/arp/senderProtocolAddress").asText()).isEqualTo(IP_B));
            JsonNode duplicate = lines.stream().filter(n -> n.path("alert").asText().equals("duplicate-address"))
                    .findFirst().orElseThrow();
            assertThat(duplicate.get("ip").asText()).isEqualTo(IP_B);
            assertThat(List.of(duplicate.get("mac").asText(), duplicate.get("otherMac").asText()))
                    .containsExactlyInAnyOrder(macB, macC);
            JsonNode stats = lines.get(lines.size() - 1);
            assertThat(stats.get("type").asText()).isEqualTo("stats");
            assertThat(stats.get("live").asBoolean()).isTrue();
            assertThat(stats.get("decoded").asLong()).isEqualTo(requests.size() + replies.size());
            assertThat(stats.get("malformed").asLong()).isZero();
            assertThat(sniff.err()).contains("packets received by filter").contains("dropped by kernel")
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void sigtermOnAQuietLinkStopsCleanlyWithStatistics() throws Exception {
        try (JarProcess sniff = sniffInB("-f", "arp and host 10.200.7.99")) {
            long start = System.nanoTime();
            sniff.terminate();
            assertThat(sniff.waitFor(Duration.ofSeconds(20))).as(sniff.err()).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(sniff.err()).contains("0 matched the filter").contains("dropped by kernel");
            assertThat(sniff.out()).isEmpty();
        }
    }

    @Test
    void theTimeoutEndsACaptureThatSeesNothing() throws Exception {
        try (JarProcess sniff = sniffInB("--timeout", "1s", "-f", "arp and host 10.200.7.99")) {
            assertThat(sniff.waitFor(Duration.ofSeconds(20))).as(sniff.err()).isZero();
            assertThat(sniff.err()).contains("0 decoded as ARP");
        }
    }

    @Test
    void countStopsALiveCapture() throws Exception {
        try (JarProcess sniff = sniffInB("-c", "2")) {
            Tools.run(30, Map.of(), List.of("ip", "netns", "exec", A, "arping", "-c", "3", "-w", "10", "-I", "vA", IP_B));
            assertThat(sniff.waitFor(Duration.ofSeconds(30))).as(sniff.err()).isZero();
            assertThat(sniff.out()).hasLineCount(2).contains("ARP, Request who-has 10.200.7.2");
        }
    }

    /**
     * {@code -i any} captures Linux cooked v2 frames, as tcpdump 4.99 does, and prints them as tcpdump prints
     * the same frames: the file {@code -w} wrote, read back by tcpdump, gives the lines inetkit printed.
     */
    @Test
    void anyCapturesLinuxCookedV2AndPrintsItAsTcpdump() throws Exception {
        Assumptions.assumeTrue(Tools.installed("tcpdump"), "tcpdump is not installed");
        java.nio.file.Path file = java.nio.file.Files.createTempFile("any", ".pcap");
        try {
            JarProcess sniff = JarProcess.start(List.of("ip", "netns", "exec", B), List.of(),
                    "-i", "any", "-c", "4", "-e", "-q", "-w", file.toString());
            try (sniff) {
                await().atMost(Duration.ofSeconds(60)).until(() -> sniff.err().contains("listening on any") || !sniff.isAlive());
                assertThat(sniff.err()).contains("listening on any, link-type LINUX_SLL2 (Linux cooked v2)");
                Tools.run(30, Map.of(), List.of("ip", "netns", "exec", A, "arping", "-c", "4", "-w", "10", "-I", "vA", IP_B));
                assertThat(sniff.waitFor(Duration.ofSeconds(30))).as(sniff.err()).isZero();
            }
            assertThat(sniff.out()).contains("vB    B   ifindex ").contains("ethertype ARP (0x0806), length 48: Request who-has "
                    + IP_B).contains(" Out ifindex ");
            // tcpdump names the interface by its index on the reading machine: read it inside B, as inetkit ran
            Tools.Result tcpdump = Tools.run(30, Map.of("TZ", java.time.ZoneId.systemDefault().getId()),
                    List.of("ip", "netns", "exec", B, "tcpdump", "-nn", "-e", "-r", file.toString()));
            assertThat(tcpdump.err()).contains("link-type LINUX_SLL2");
            assertThat(sniff.out()).isEqualTo(tcpdump.out());
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    /**
     * {@code -w -} writes the pcap stream alone on stdout, so tcpdump reads it from a pipe; the text goes to stderr.
     * ARP only: the default filter takes neighbour discovery too, and a link that just came up may still send a
     * router solicitation of its own.
     */
    @Test
    void writesPcapToStdoutForTcpdumpToReadFromAPipe() throws Exception {
        Assumptions.assumeTrue(Tools.installed("tcpdump"), "tcpdump is not installed");
        java.nio.file.Path err = java.nio.file.Files.createTempFile("pipe", ".err");
        java.nio.file.Path out = java.nio.file.Files.createTempFile("pipe", ".out");
        try {
            String pipeline = "'" + JarProcess.java() + "' -jar '" + JarProcess.jar() + "' sniff -i vB -c 2 --only arp -w - "
                    + "| tcpdump -nn -r -";
            Process p = new ProcessBuilder("ip", "netns", "exec", B, "sh", "-c", pipeline)
                    .redirectError(err.toFile()).redirectOutput(out.toFile()).start();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> java.nio.file.Files.readString(err).contains("listening on vB")
                        || !p.isAlive());
                Tools.run(30, Map.of(), List.of("ip", "netns", "exec", A, "arping", "-c", "3", "-w", "10", "-I", "vA", IP_B));
                assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).isZero();
            } finally {
                p.destroyForcibly();
            }
            String tcpdump = java.nio.file.Files.readString(out);
            String text = java.nio.file.Files.readString(err);
            assertThat(tcpdump.lines()).hasSize(2).allMatch(l -> l.contains(" ARP, "));
            // inetkit's text and tcpdump's banner share the one stderr, so their writes may interleave mid-line:
            // look for each piece, and for the ARP lines wherever they start
            assertThat(text).contains("reading from file -", ", link-type EN10MB (Ethernet)")
                    .contains("listening on vB").contains("2 matched the filter");
            java.util.regex.Matcher arp = java.util.regex.Pattern
                    .compile("\\d\\d:\\d\\d:\\d\\d\\.\\d{6} ARP, .*?, length \\d+").matcher(text);
            List<String> printed = new java.util.ArrayList<>();
            while (arp.find()) {
                printed.add(arp.group());
            }
            // the text inetkit printed (on stderr) carries the same lines as tcpdump's from the pipe
            assertThat(printed).containsExactlyElementsOf(tcpdump.lines().toList());
        } finally {
            java.nio.file.Files.deleteIfExists(err);
            java.nio.file.Files.deleteIfExists(out);
        }
    }

    /**
     * NDP between the namespaces: {@code ping -6} from A to B's address makes A solicit B's MAC and B
     * advertise it; with --watch both become IPv6 stations. The addresses are ULAs inside the namespaces,
     * added without DAD (nodad) so the test does not wait for it.
     */
    @Test
    void seesNeighbourDiscoveryBetweenTheNamespaces() throws Exception {
        Assumptions.assumeTrue(Tools.installed("ping"), "ping is not installed (apt-get install iputils-ping)");
        sh("ip", "-n", A, "addr", "add", "fd00:7::1/64", "dev", "vA", "nodad");
        sh("ip", "-n", B, "addr", "add", "fd00:7::2/64", "dev", "vB", "nodad");
        try (JarProcess sniff = sniffInB("--only", "nd", "--watch", "--format", "json")) {
            Tools.Result ping = Tools.run(30, Map.of(), List.of("ip", "netns", "exec", A, "ping", "-6", "-c", "2", "-w", "10",
                    "fd00:7::2"));
            assertThat(ping.exitCode()).as(ping.out() + ping.err()).isZero();
            await().atMost(Duration.ofSeconds(30)).until(() -> sniff.out().contains("\"neighbor advertisement\""));
            sniff.terminate();
            assertThat(sniff.waitFor(Duration.ofSeconds(30))).as(sniff.err()).isZero();
            ObjectMapper mapper = new ObjectMapper();
            List<JsonNode> lines = new ArrayList<>();
            for (String line : sniff.out().split("\n")) {
                lines.add(mapper.readTree(line));
            }
            JsonNode ns = lines.stream().filter(n -> n.at("/icmp6/type").asInt() == 135).findFirst().orElseThrow();
            assertThat(ns.at("/icmp6/target").asText()).isEqualTo("fd00:7::2");
            assertThat(ns.at("/ipv6/hopLimit").asInt()).isEqualTo(255);
            JsonNode na = lines.stream().filter(n -> n.at("/icmp6/type").asInt() == 136).findFirst().orElseThrow();
            assertThat(na.at("/icmp6/target").asText()).isEqualTo("fd00:7::2");
            assertThat(na.at("/ethernet/source").asText()).isEqualTo(macB);
            assertThat(lines).filteredOn(n -> n.path("type").asText().equals("station"))
                    .extracting(n -> n.get("ip").asText()).contains("fd00:7::1");
            assertThat(sniff.err()).contains("decoded as IPv6 neighbor discovery").doesNotContain("\tat ");
        }
    }
}
