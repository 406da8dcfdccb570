package io.inetkit.sniffer.packet;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArpPacketTest {

    /** The lecture's frame: a broadcast request from 00:24:b2:84:19:22 / 192.168.1.1 for 192.168.1.27. */
    static final byte[] LECTURE_FRAME = HexFormat.of().parseHex(
            "ffffffffffff" + "0024b2841922" + "0806"
                    + "0001" + "0800" + "06" + "04" + "0001"
                    + "0024b2841922" + "c0a80101" + "000000000000" + "c0a8011b");

    @Test
    void decodesTheLectureFrame() throws Exception {
        EthernetHeader eth = EthernetHeader.parse(LECTURE_FRAME, 0, LECTURE_FRAME.length);
        assertThat(eth.destination()).isEqualTo(Address.mac("ff:ff:ff:ff:ff:ff"));
        assertThat(eth.source()).isEqualTo(Address.mac("00:24:b2:84:19:22"));
        assertThat(eth.etherType()).isEqualTo(EthernetHeader.TYPE_ARP);

        ArpPacket arp = ArpPacket.parse(LECTURE_FRAME, 14, LECTURE_FRAME.length - 14);
        assertThat(arp.hardwareType()).isEqualTo(1);
        assertThat(arp.protocolType()).isEqualTo(0x0800);
        assertThat(arp.hardwareSize()).isEqualTo(6);
        assertThat(arp.protocolSize()).isEqualTo(4);
        assertThat(arp.opcode()).isEqualTo(ArpPacket.OP_REQUEST);
        assertThat(arp.senderHardwareAddress()).isEqualTo(Address.mac("00:24:b2:84:19:22"));
        assertThat(arp.senderProtocolAddress()).isEqualTo(Address.ipv4("192.168.1.1"));
        assertThat(arp.targetHardwareAddress().isZero()).isTrue();
        assertThat(arp.targetProtocolAddress()).isEqualTo(Address.ipv4("192.168.1.27"));
        assertThat(arp.length()).isEqualTo(28);
        assertThat(arp.isEthernetIpv4()).isTrue();
    }

    @Test
    void encodesWhatItDecodes() throws Exception {
        ArpPacket arp = ArpPacket.ethernetIpv4(ArpPacket.OP_REPLY, Address.mac("00:11:22:33:44:55"),
                Address.ipv4("192.168.1.27"), Address.mac("00:24:b2:84:19:22"), Address.ipv4("192.168.1.1"));
        byte[] bytes = arp.toBytes();
        assertThat(HexFormat.of().formatHex(bytes))
                .isEqualTo("0001080006040002001122334455c0a8011b0024b2841922c0a80101");
        assertThat(ArpPacket.parse(bytes, 0, bytes.length)).isEqualTo(arp);
    }

    @Test
    void ignoresEthernetPaddingAfterThePacket() throws Exception {
        byte[] padded = new byte[LECTURE_FRAME.length + 18];
        System.arraycopy(LECTURE_FRAME, 0, padded, 0, LECTURE_FRAME.length);
        assertThat(ArpPacket.parse(padded, 14, padded.length - 14))
                .isEqualTo(ArpPacket.parse(LECTURE_FRAME, 14, LECTURE_FRAME.length - 14));
    }

    @Test
    void aShortHeaderIsTruncated() {
        assertThatThrownBy(() -> ArpPacket.parse(LECTURE_FRAME, 14, 5))
                .isInstanceOfSatisfying(MalformedPacketException.class, e -> {
                    assertThat(e.problem()).isEqualTo(MalformedPacketException.Problem.TRUNCATED);
                    assertThat(e.protocol()).isEqualTo("ARP");
                })
                .hasMessage("ARP truncated: the header needs 8 bytes, 5 available");
    }

    @Test
    void addressesThatDoNotFitTheSizesAreTruncated() {
        // hardware size 6 and protocol size 4 announce 28 bytes; only 20 are there
        assertThatThrownBy(() -> ArpPacket.parse(LECTURE_FRAME, 14, 20))
                .isInstanceOfSatisfying(MalformedPacketException.class,
                        e -> assertThat(e.problem()).isEqualTo(MalformedPacketException.Problem.TRUNCATED))
                .hasMessage("ARP truncated: hardware size 6 and protocol size 4 needs 28 bytes, 20 available");
    }

    @Test
    void ethernetWithAHardwareSizeOtherThanSixIsInconsistent() throws Exception {
        byte[] frame = java.util.Arrays.copyOf(LECTURE_FRAME, 14 + 8 + 2 * (8 + 4));
        frame[14 + 4] = 8;
        // read as announced, as tcpdump reads it: the addresses are 8 bytes
        ArpPacket arp = ArpPacket.parse(frame, 14, frame.length - 14);
        assertThat(arp.senderHardwareAddress().length()).isEqualTo(8);
        assertThat(arp.inconsistency()).isEqualTo("hardware type 1 (Ethernet) with hardware size 8");
    }

    @Test
    void ipv4WithAProtocolSizeOtherThanFourIsInconsistent() throws Exception {
        byte[] frame = LECTURE_FRAME.clone();
        frame[14 + 5] = 16;
        frame = java.util.Arrays.copyOf(frame, 14 + 8 + 2 * (6 + 16));
        ArpPacket arp = ArpPacket.parse(frame, 14, frame.length - 14);
        assertThat(arp.senderProtocolAddress().length()).isEqualTo(16);
        assertThat(arp.inconsistency()).isEqualTo("protocol type 0x0800 (IPv4) with protocol size 16");
    }

    @Test
    void zeroSizesAreInconsistent() throws Exception {
        byte[] frame = LECTURE_FRAME.clone();
        frame[14] = 0;
        frame[15] = 6; // hardware type 6 (IEEE 802), so the Ethernet size rule does not apply
        frame[14 + 4] = 0;
        assertThat(ArpPacket.parse(frame, 14, frame.length - 14).inconsistency())
                .isEqualTo("hardware size 0 and protocol size 4 leave no room for addresses");
    }

    @Test
    void otherAddressSizesDecode() throws Exception {
        ArpPacket arp = new ArpPacket(6, 0x86dd, 8, 16, ArpPacket.OP_REQUEST,
                Address.of(new byte[8]), Address.of(new byte[16]), Address.of(new byte[8]), Address.of(new byte[16]));
        byte[] bytes = arp.toBytes();
        assertThat(bytes).hasSize(8 + 2 * (8 + 16));
        assertThat(ArpPacket.parse(bytes, 0, bytes.length)).isEqualTo(arp);
        assertThat(arp.isEthernetIpv4()).isFalse();
    }

    @Test
    void recordValidationNamesTheBadValue() {
        Address mac = Address.mac("00:11:22:33:44:55");
        Address ip = Address.ipv4("10.0.0.1");
        assertThatThrownBy(() -> ArpPacket.ethernetIpv4(70000, mac, ip, mac, ip))
                .hasMessage("opcode must fit 16 bits: 70000");
        assertThatThrownBy(() -> ArpPacket.ethernetIpv4(1, mac, mac, mac, ip))
                .hasMessageContaining("protocol addresses must be protocolSize (4) bytes");
    }

    @Test
    void namesOperationsAsWiresharkDoes() {
        assertThat(ArpPacket.operationName(1)).isEqualTo("request");
        assertThat(ArpPacket.operationName(2)).isEqualTo("reply");
        assertThat(ArpPacket.operationName(3)).isEqualTo("reverse request");
        assertThat(ArpPacket.operationName(9)).isEqualTo("inverse reply");
        assertThat(ArpPacket.operationName(77)).isEqualTo("opcode 77");
    }
}
