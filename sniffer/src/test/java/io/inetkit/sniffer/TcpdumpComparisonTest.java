package io.inetkit.sniffer;

import io.inetkit.sniffer.SniffFileTest.Run;
import io.inetkit.sniffer.testing.RawPcap;
import io.inetkit.sniffer.testing.Tools;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.inetkit.sniffer.testing.RawPcap.concat;
import static io.inetkit.sniffer.testing.RawPcap.hex;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of ARP frame tcpdump prints, and the link types and options of issue 21, compared with what the
 * installed {@code tcpdump -nn} prints for the same file: the whole output, byte for byte ({@code -q} leaves out
 * inetkit's own marks). Skipped, with a message, where tcpdump is missing; CI installs it.
 */
class TcpdumpComparisonTest {

    static final String BROADCAST = "ffffffffffff";
    static final String MAC_A = "02000000000a";
    static final String MAC_B = "02000000000b";
    static final String IP_A = "0a000001";
    static final String IP_B = "0a000002";

    @TempDir
    static Path dir;

    static Path odd;
    static Path vlans;
    static Path sll;
    static Path sll2;

    @BeforeAll
    static void captures() throws Exception {
        odd = oddArp().write(dir.resolve("arp-odd.pcap"));
        vlans = vlanArp().write(dir.resolve("vlans.pcap"));
        sll = cooked(113).write(dir.resolve("sll.pcap"));
        sll2 = cooked(276).write(dir.resolve("sll2.pcap"));
    }

    /** An ARP packet of any shape: header fields, then the four addresses. */
    static byte[] arp(int htype, int ptype, int hlen, int plen, int op, String sha, String spa, String tha, String tpa) {
        ByteBuffer b = ByteBuffer.allocate(8);
        b.putShort((short) htype).putShort((short) ptype).put((byte) hlen).put((byte) plen).putShort((short) op);
        return concat(0, b.array(), hex(sha), hex(spa), hex(tha), hex(tpa));
    }

    static byte[] ipv4Arp(int op, String tha) {
        return arp(1, 0x0800, 6, 4, op, MAC_A, IP_A, tha, IP_B);
    }

    static byte[] ether(String type, byte[] payload) {
        return concat(60, hex(BROADCAST + MAC_A + type), payload);
    }

    /** Every ARP oddity of the issue: one frame each. */
    static RawPcap oddArp() {
        RawPcap p = new RawPcap(1);
        p.add(ether("0806", ipv4Arp(1, "000000000000")));
        p.add(ether("0806", ipv4Arp(1, MAC_B)));                          // who-has T (THA) tell S
        p.add(ether("0806", ipv4Arp(2, MAC_B)));
        p.add(ether("0806", ipv4Arp(29953, MAC_B)));                      // Unknown (29953) and a hex dump
        p.add(ether("0806", ipv4Arp(10, MAC_B)));                         // NACK Reply and a hex dump
        for (int op : new int[] {3, 4, 8, 9}) {                           // RARP and InARP over ARP's type
            p.add(ether("0806", ipv4Arp(op, MAC_B)));
        }
        p.add(ether("8035", ipv4Arp(3, MAC_A)));                          // RARP, EtherType 0x8035
        p.add(ether("8035", ipv4Arp(4, MAC_A)));
        // hardware lengths other than 6
        p.add(ether("0806", arp(1, 0x0800, 8, 4, 2, MAC_A + "0102", IP_A, MAC_B + "0304", IP_B)));
        p.add(ether("0806", arp(1, 0x0800, 14, 4, 1, MAC_A + "0102030405060708", IP_A, "0000000000000000000000000001", IP_B)));
        p.add(ether("0806", arp(1, 0x0800, 2, 4, 2, "abcd", IP_A, "0000", IP_B)));
        p.add(ether("0806", arp(1, 0x0800, 0, 4, 1, "", IP_A, "", IP_B)));
        // unknown hardware or protocol types, and named ones
        p.add(ether("0806", arp(0x1234, 0x0800, 6, 4, 1, MAC_A, IP_A, "000000000000", IP_B)));
        p.add(ether("0806", arp(1, 0x0825, 6, 4, 1, MAC_A, IP_A, "000000000000", IP_B)));
        p.add(ether("0806", arp(6, 0x86dd, 6, 16, 1, MAC_A, "fd000000000000000000000000000001", MAC_B,
                "fd000000000000000000000000000002")));
        for (int type : new int[] {0x8847, 0x88a8, 0x9100, 0x809b, 0x8137, 0x88cc, 0x1000, 0xfefe, 0x0200, 0x6558}) {
            p.add(ether("0806", arp(7, type, 6, 2, 1, MAC_A, "0001", MAC_B, "0002")));
        }
        // Frame Relay: hardware addresses are Q.922 addresses, printed as their DLCI (2, 3 and 4 bytes; invalid)
        p.add(ether("0806", arp(15, 0x0800, 2, 4, 2, "0401", IP_A, "0000", IP_B)));
        p.add(ether("0806", arp(15, 0x0800, 3, 4, 2, "040001", IP_A, "000000", IP_B)));
        p.add(ether("0806", arp(15, 0x0800, 4, 4, 2, "04000081", IP_A, "00000000", IP_B)));
        p.add(ether("0806", arp(15, 0x0800, 1, 4, 2, "05", IP_A, "00", IP_B)));
        for (int htype : new int[] {6, 7, 15, 23, 24, 32}) {
            p.add(ether("0806", arp(htype, 0x0800, 6, 4, 2, MAC_A, IP_A, MAC_B, IP_B)));
        }
        // cut short: within the header, within the addresses
        p.add(hex(BROADCAST + MAC_A + "0806" + "00010800060400"));
        p.add(concat(0, hex(BROADCAST + MAC_A + "0806"), Arrays.copyOf(ipv4Arp(1, MAC_B), 20)));
        // cut short by the snapshot length: the wire was longer
        byte[] whole = ether("0806", ipv4Arp(1, MAC_B));
        p.add(1_700_000_100L, 7, Arrays.copyOf(whole, 30), whole.length);
        // ATM ARP (RFC 2225): 20-byte NSAP sender, IPv4 addresses, with and without a target ATM address
        String nsap = "47000580ffe1000000f21a3f4d0020481a3f4d00";
        p.add(ether("0806", concat(0, hex("0013 0800 14 00 0001 04 00 00 04"), hex(nsap), hex(IP_A), hex(IP_B))));
        p.add(ether("0806", concat(0, hex("0013 0800 14 00 0002 04 14 00 04"), hex(nsap), hex(IP_A), hex(nsap), hex(IP_B))));
        p.add(ether("0806", concat(0, hex("0013 0800 14 00 0008 04 14 00 04"), hex(nsap), hex(IP_A), hex(nsap), hex(IP_B))));
        p.add(ether("0806", concat(0, hex("0013 0800 14 00 0009 04 14 00 04"), hex(nsap), hex(IP_A), hex(nsap), hex(IP_B))));
        p.add(ether("0806", concat(0, hex("0013 0800 14 00 000a 04 00 00 04"), hex(nsap), hex(IP_A), hex(IP_B))));
        p.add(ether("0806", concat(0, hex("0013 86dd 14 00 0001 10 00 00 10"), hex(nsap),
                hex("fd000000000000000000000000000001"), hex("fd000000000000000000000000000002"))));
        p.add(ether("0806", concat(0, hex("0013 0800 14 00 0001 04"))));
        return p;
    }

    /** 802.1Q, QinQ (0x88a8 outer, 0x8100 inner), three tags deep, and the legacy 0x9100 outer tag. */
    static RawPcap vlanArp() {
        RawPcap p = new RawPcap(1);
        byte[] req = ipv4Arp(1, "000000000000");
        p.add(concat(60, hex(BROADCAST + MAC_A + "8100 6064 0806"), req));
        p.add(concat(60, hex(BROADCAST + MAC_A + "88a8 00c8 8100 6064 0806"), ipv4Arp(2, MAC_B)));
        p.add(concat(60, hex(BROADCAST + MAC_A + "88a8 00c8 8100 1064 8100 0005 0806"), req));
        p.add(concat(60, hex(BROADCAST + MAC_A + "9100 012c 8100 0064 8035"), ipv4Arp(3, MAC_A)));
        p.add(concat(60, hex(BROADCAST + MAC_A + "0806"), req));
        return p;
    }

    /** What {@code tcpdump -i any} writes: SLL (113) or SLL2 (276), incoming broadcast and outgoing. */
    static RawPcap cooked(int linkType) {
        RawPcap p = new RawPcap(linkType);
        for (int packetType : new int[] {1, 4, 0, 3}) {
            byte[] header = linkType == 113
                    ? hex(String.format("%04x 0001 0006", packetType) + MAC_A + "0000 0806")
                    : hex(String.format("0806 0000 00000001 0001 %02x 06", packetType) + MAC_A + "0000");
            p.add(concat(0, header, ipv4Arp(packetType == 4 ? 2 : 1, "000000000000")));
        }
        return p;
    }

    static String tcpdump(List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of("tcpdump", "-nn"));
        command.addAll(args);
        Tools.Result r = Tools.run(60, Map.of("TZ", ZoneId.systemDefault().getId()), command);
        assertThat(r.exitCode()).as(r.err()).isZero();
        return r.out();
    }

    static void assumeTcpdump() {
        Assumptions.assumeTrue(Tools.installed("tcpdump"),
                "tcpdump is not installed (apt-get install tcpdump): the comparison is skipped");
    }

    /** Our output for {@code options}, and tcpdump's for the same file, filter and options. */
    static void compare(Path file, String filter, String... options) throws Exception {
        List<String> ours = new ArrayList<>(List.of(options));
        ours.addAll(List.of("-q", "-r", file.toString(), filter));
        Run run = SniffFileTest.sniff(ours.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> theirs = new ArrayList<>(List.of(options));
        theirs.addAll(List.of("-r", file.toString(), filter));
        assertThat(run.out()).as("inetkit sniff %s", String.join(" ", ours)).isEqualTo(tcpdump(theirs));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-e", "-v", "-e -v", "-x", "-xx", "-X", "-XX", "-t", "-tt", "-ttt", "-tttt", "-ttttt"})
    void everyOddArpFramePrintsAsTcpdumpPrintsIt(String options) throws Exception {
        assumeTcpdump();
        compare(odd, "arp or rarp", options.isEmpty() ? new String[0] : options.split(" "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-e", "-v", "-x", "-XX"})
    void vlanTagsAtAnyDepthPrintAsTcpdumpPrintsThem(String options) throws Exception {
        assumeTcpdump();
        String filter = "(arp or rarp) or (vlan and ((arp or rarp) or (vlan and ((arp or rarp) or (vlan and (arp or rarp))))))";
        assertThat(io.inetkit.sniffer.capture.CaptureSource.vlanFilter("arp or rarp", 3)).isEqualTo(filter);
        compare(vlans, filter, options.isEmpty() ? new String[0] : options.split(" "));
        Run run = SniffFileTest.sniff("-r", vlans.toString(), "--vlan=3", "--only", "arp");
        assertThat(run.err()).contains("filter '" + filter + "'").contains("5 decoded as ARP");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-e", "-v", "-xx"})
    void linuxCookedCapturesPrintAsTcpdumpPrintsThem(String options) throws Exception {
        assumeTcpdump();
        String[] o = options.isEmpty() ? new String[0] : options.split(" ");
        compare(sll, "arp", o);
        compare(sll2, "arp", o);
    }

    @Test
    void theBannerNamesTheLinkTypeAsTcpdumpDoes() throws Exception {
        assumeTcpdump();
        for (Path file : List.of(odd, sll, sll2)) {
            Tools.Result theirs = Tools.run(30, "tcpdump", "-nn", "-c", "1", "-r", file.toString());
            String banner = theirs.err().lines().filter(l -> l.startsWith("reading from file")).findFirst().orElseThrow();
            assertThat(SniffFileTest.sniff("-r", file.toString()).err()).startsWith(banner + ", filter '"
                    + io.inetkit.sniffer.capture.CaptureSource.DEFAULT_FILTER + "'");
        }
    }

    /** A link type without decoder is refused in one line that names it as libpcap (and tcpdump) names it. */
    @Test
    void aLinkTypeWithoutDecoderIsNamedAsLibpcapNamesIt() throws Exception {
        assumeTcpdump();
        for (int dlt : new int[] {143, 105, 12, 300}) { // DOCSIS, IEEE802_11, RAW, and one libpcap has no name for
            Path file = new RawPcap(dlt).add(hex("45000014000000004001000000000000")).write(dir.resolve("dlt-" + dlt + ".pcap"));
            Tools.Result theirs = Tools.run(30, "tcpdump", "-nn", "-c", "1", "-r", file.toString());
            String name = theirs.err().lines().filter(l -> l.startsWith("reading from file")).findFirst()
                    .map(l -> l.replaceAll(".*link-type (.*), snapshot length.*", "$1")).orElseThrow();
            Run run = SniffFileTest.sniff("-r", file.toString());
            assertThat(run.exitCode()).isEqualTo(io.inetkit.sniffer.capture.SniffExit.BAD_CAPTURE_FILE);
            assertThat(run.err()).isEqualTo("inetkit sniff: capture file " + file + " has link type " + name
                    + "; inetkit sniff decodes Ethernet (EN10MB) and Linux cooked (LINUX_SLL, LINUX_SLL2) captures\n");
        }
    }

    @Test
    void theDefaultFilterReachesRarpAndEveryFrameIsCounted() {
        Run run = SniffFileTest.sniff("-r", odd.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("ARP, Reverse Request who-is 02:00:00:00:00:0a tell 02:00:00:00:00:0a")
                .contains(" [|arp]").contains("ARP, Unknown (29953) \n\t0x0000:");
        long records = oddArp().toByteArray().length > 0 ? count(odd) : 0;
        assertThat(run.err()).contains(records + " frames received by filter")
                .contains(records + " matched the filter");
        // every frame is decoded, malformed or not ARP: the three counts add up to the records
        assertThat(counter(run.err(), "decoded as ARP") + counter(run.err(), "malformed")
                + counter(run.err(), "not ARP")).isEqualTo(records);
        Run rarp = SniffFileTest.sniff("-r", odd.toString(), "-f", "rarp", "-q");
        assertThat(rarp.out().lines()).hasSize(2).allMatch(l -> l.contains("ARP, Reverse "));
    }

    static long count(Path pcap) {
        try {
            ByteBuffer b = ByteBuffer.wrap(java.nio.file.Files.readAllBytes(pcap)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            long n = 0;
            for (int at = 24; at + 16 <= b.capacity(); at += 16 + b.getInt(at + 8)) {
                n++;
            }
            return n;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static long counter(String summary, String label) {
        return summary.lines().filter(l -> l.endsWith(" " + label)).mapToLong(l -> Long.parseLong(l.split(" ")[0]))
                .findFirst().orElseThrow(() -> new AssertionError("no '" + label + "' in " + summary));
    }
}
