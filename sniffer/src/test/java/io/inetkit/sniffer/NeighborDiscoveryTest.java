package io.inetkit.sniffer;

import com.fasterxml.jackson.databind.JsonNode;
import io.inetkit.sniffer.SniffFileTest.Run;
import io.inetkit.sniffer.packet.Address;
import io.inetkit.sniffer.testing.RawPcap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

import static io.inetkit.sniffer.testing.RawPcap.concat;
import static io.inetkit.sniffer.testing.RawPcap.hex;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * IPv6 neighbour discovery (RFC 4861) and duplicate address detection (RFC 4862): NS, NA, RS, RA and
 * Redirect with link-layer options, printed as tcpdump prints them, in JSON and in the lecture's block
 * style, and watched like ARP.
 */
class NeighborDiscoveryTest {

    static final String A = "02000000000a";
    static final String B = "02000000000b";

    @TempDir
    static Path dir;
    static Path nd;

    static byte[] ip6(String address) {
        return Address.ip(address).toByteArray();
    }

    /** An Ethernet frame with an IPv6 packet carrying an ICMPv6 message (hop limit 255, checksum left 0). */
    static byte[] icmp6(String src, String dstMac, String from, String to, int type, byte[] body) {
        byte[] icmp = concat(0, new byte[] {(byte) type, 0, 0, 0}, body);
        ByteBuffer ip = ByteBuffer.allocate(8).putInt(0x6000_0000).putShort((short) icmp.length).put((byte) 58).put((byte) 255);
        return concat(0, hex(dstMac + src + "86dd"), ip.array(), ip6(from), ip6(to), icmp);
    }

    static byte[] option(int type, String mac) {
        return concat(0, new byte[] {(byte) type, 1}, hex(mac));
    }

    @BeforeAll
    static void capture() throws Exception {
        nd = new RawPcap(1)
                .add(icmp6(A, "3333ff000002", "fe80::a", "ff02::1:ff00:2", 135, concat(0, new byte[4], ip6("fe80::2"), option(1, A))))
                .add(icmp6(B, A, "fe80::2", "fe80::a", 136, concat(0, hex("60000000"), ip6("fe80::2"), option(2, B))))
                .add(icmp6(A, "3333ff000002", "::", "ff02::1:ff00:2", 135, concat(0, new byte[4], ip6("fd00::2"))))
                .add(icmp6(A, "333300000002", "fe80::a", "ff02::2", 133, concat(0, new byte[4], option(1, A))))
                .add(icmp6(B, "333300000001", "fe80::1", "ff02::1", 134, concat(0, hex("40000708 00000000 00000000"), option(1, B))))
                .add(icmp6(B, A, "fe80::1", "fe80::a", 137, concat(0, new byte[4], ip6("fe80::3"), ip6("fd00:0:0:0:0:0:0:9"), option(2, B))))
                .add(icmp6(B, "333300000001", "fe80::2", "ff02::1", 136, concat(0, hex("20000000"), ip6("fd00::2"), option(2, B))))
                .add(icmp6(A, B, "2001:db8:0:0:1:0:0:1", "fe80::2", 135, concat(0, new byte[4], ip6("2001:db8::1:0:0:2"), option(1, A))))
                .add(icmp6(A, B, "fe80::a", "fe80::2", 128, hex("00010001 61626364"))) // an echo request: not ND
                .add(java.util.Arrays.copyOf(icmp6(A, B, "fe80::a", "fe80::2", 135, new byte[20]), 14 + 40 + 10)) // cut short
                .write(dir.resolve("nd.pcap"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-e", "-x", "-tt", "-XX"})
    void ndPrintsAsTcpdumpPrintsIt(String options) throws Exception {
        TcpdumpComparisonTest.assumeTcpdump();
        TcpdumpComparisonTest.compare(nd, "icmp6 and icmp6[icmp6type] >= 133 and icmp6[icmp6type] <= 137",
                options.isEmpty() ? new String[0] : options.split(" "));
    }

    @Test
    void theDefaultFilterCoversArpAndNdAndTheOnlyOptionEither() throws Exception {
        Run both = SniffFileTest.sniff("-r", nd.toString());
        assertThat(both.err()).contains("filter 'arp or rarp or (icmp6 and icmp6[icmp6type] >= 133 and icmp6[icmp6type] <= 137)'")
                .contains("8 decoded as IPv6 neighbor discovery").contains("1 malformed");
        assertThat(both.out()).contains("IP6 truncated-ip6 - 14 bytes missing!fe80::a > fe80::2: ICMP6, neighbor solicitation [|icmp6]");
        assertThat(both.out()).contains("IP6 :: > ff02::1:ff00:2: ICMP6, neighbor solicitation, who has fd00::2, length 24 [dad probe]")
                .contains("IP6 2001:db8::1:0:0:1 > fe80::2: ICMP6, neighbor solicitation, who has 2001:db8::1:0:0:2, length 32")
                .doesNotContain("echo");
        assertThat(SniffFileTest.sniff("-r", nd.toString(), "--only", "arp").out()).isEmpty();
        assertThat(SniffFileTest.sniff("-r", nd.toString(), "--only", "nd").out().lines()).hasSize(9);
        Path arpOnly = TcpdumpComparisonTest.oddArp().write(dir.resolve("odd.pcap"));
        assertThat(SniffFileTest.sniff("-r", arpOnly.toString(), "--only", "nd").out()).isEmpty();
        assertThat(SniffFileTest.sniff("-r", arpOnly.toString(), "--only", "arp").out()).isNotEmpty();
        assertThat(SniffFileTest.sniff("-r", nd.toString(), "--only", "ipx").err())
                .isEqualTo("inetkit sniff: --only takes arp or nd: ipx\n");
    }

    @Test
    void jsonCarriesTheFieldsInRfc5952Form() throws Exception {
        List<JsonNode> frames = SniffFileTest.json(SniffFileTest.sniff("-r", nd.toString(), "--format", "json").out(), "nd");
        assertThat(frames).hasSize(9);
        assertThat(frames.get(8).get("truncated").asBoolean()).isTrue();
        assertThat(frames.get(8).get("missing").asInt()).isEqualTo(14);
        JsonNode ns = frames.get(0);
        assertThat(ns.at("/ipv6/source").asText()).isEqualTo("fe80::a");
        assertThat(ns.at("/ipv6/hopLimit").asInt()).isEqualTo(255);
        assertThat(ns.at("/icmp6/type").asInt()).isEqualTo(135);
        assertThat(ns.at("/icmp6/target").asText()).isEqualTo("fe80::2");
        assertThat(ns.at("/icmp6/sourceLinkAddress").asText()).isEqualTo("02:00:00:00:00:0a");
        JsonNode na = frames.get(1);
        assertThat(na.at("/icmp6/flags").asInt()).isEqualTo(0x60); // solicited, override
        assertThat(na.at("/icmp6/targetLinkAddress").asText()).isEqualTo("02:00:00:00:00:0b");
        assertThat(frames.get(2).get("dadProbe").asBoolean()).isTrue();
        assertThat(frames.get(4).at("/icmp6/routerLifetime").asInt()).isEqualTo(1800);
        assertThat(frames.get(5).at("/icmp6/redirectDestination").asText()).isEqualTo("fd00::9");
        assertThat(frames.get(7).at("/ipv6/source").asText()).isEqualTo("2001:db8::1:0:0:1");
    }

    @Test
    void seedPrintsIpv6AndIcmpv6Blocks() {
        String out = SniffFileTest.sniff("-r", nd.toString(), "--format", "seed", "-c", "1").out();
        assertThat(out).isEqualTo("""
                ****************_ETHERNET_FRAME_****************
                Dest MAC:         3333ff000002
                Source MAC:       02000000000a
                Type:             86dd
                ************************************************
                *****************_IPV6_HEADER_******************
                Source IP:        fe80::a
                Dest IP:          ff02::1:ff00:2
                Next header:      3a
                Hop limit:        ff
                Payload length:   0020
                ************************************************
                ****************_ICMPV6_HEADER_*****************
                Type:             87
                Message:          neighbor solicitation
                Target IP:        fe80::2
                Source MAC:       02000000000a
                Flags:            00
                *************************************************
                """);
    }

    @Test
    void watchTracksIpv6StationsDadAndRogueRouters() throws Exception {
        Run run = SniffFileTest.sniff("-r", nd.toString(), "--watch", "--format", "json", "--router", "02:00:00:00:00:0c");
        List<String> alerts = SniffFileTest.json(run.out(), "alert").stream()
                .map(a -> a.get("alert").asText() + " " + a.get("ip").asText()).toList();
        assertThat(alerts).containsExactly("new-station fe80::a", "new-station fe80::2", "dad-probe fd00::2",
                "rogue-ra fe80::1", "new-station fe80::1", "dad-duplicate fd00::2", "new-station fd00::2",
                "new-station 2001:db8::1:0:0:1");
        assertThat(SniffFileTest.json(run.out(), "station")).extracting(s -> s.get("ip").asText())
                .contains("fe80::a", "fd00::2", "2001:db8::1:0:0:1");
        // the allowed router is no rogue
        Run allowed = SniffFileTest.sniff("-r", nd.toString(), "--watch", "-q", "--router", "02:00:00:00:00:0b");
        assertThat(allowed.err()).doesNotContain("rogue-ra");
        assertThat(allowed.out()).contains("fe80::1          02:00:00:00:00:0b");
    }

    @Test
    void changedMacAndFlipFlopWorkForIpv6() throws Exception {
        Path file = new RawPcap(1)
                .add(icmp6(A, B, "fd00::5", "fe80::2", 135, concat(0, new byte[4], ip6("fe80::2"), option(1, A))))
                .add(icmp6(B, A, "fe80::2", "fd00::5", 136, concat(0, hex("60000000"), ip6("fd00::5"), option(2, B))))
                .add(icmp6(A, B, "fd00::5", "fe80::2", 135, concat(0, new byte[4], ip6("fe80::2"), option(1, A))))
                .write(dir.resolve("flip.pcap"));
        Run run = SniffFileTest.sniff("-r", file.toString(), "--watch", "-q");
        assertThat(run.err()).contains("alert changed-mac: changed MAC fd00::5 from 02:00:00:00:00:0a to 02:00:00:00:00:0b")
                .contains("alert flip-flop: flip-flop fd00::5 back to 02:00:00:00:00:0a from 02:00:00:00:00:0b");
    }
}
