package io.inetkit.sniffer.packet;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Wireshark's definitions (packet-arp.c), one case each, and the edges between them. */
class ArpClassificationTest {

    static final Address MAC_A = Address.mac("02:00:00:00:00:0a");
    static final Address MAC_B = Address.mac("02:00:00:00:00:0b");
    static final Address ZERO_MAC = Address.mac("00:00:00:00:00:00");
    static final Address BROADCAST = Address.mac("ff:ff:ff:ff:ff:ff");
    static final Address IP_A = Address.ipv4("10.0.0.1");
    static final Address IP_B = Address.ipv4("10.0.0.2");
    static final Address ZERO_IP = Address.ipv4("0.0.0.0");

    static ArpClassification classify(int op, Address sha, Address spa, Address tha, Address tpa) {
        return ArpClassification.of(ArpPacket.ethernetIpv4(op, sha, spa, tha, tpa));
    }

    @Test
    void anOrdinaryRequest() {
        assertThat(classify(1, MAC_A, IP_A, ZERO_MAC, IP_B)).isEqualTo(ArpClassification.REQUEST);
    }

    @Test
    void anOrdinaryReply() {
        assertThat(classify(2, MAC_B, IP_B, MAC_A, IP_A)).isEqualTo(ArpClassification.REPLY);
    }

    @Test
    void aProbeHasSenderIpZeroAndNoTargetMac() {
        assertThat(classify(1, MAC_A, ZERO_IP, ZERO_MAC, IP_B)).isEqualTo(ArpClassification.PROBE);
    }

    @Test
    void aProbeWithATargetMacIsAPlainRequest() {
        assertThat(classify(1, MAC_A, ZERO_IP, MAC_B, IP_B)).isEqualTo(ArpClassification.REQUEST);
    }

    @Test
    void anAnnouncementIsAGratuitousRequestWithNoTargetMac() {
        ArpClassification c = classify(1, MAC_A, IP_A, ZERO_MAC, IP_A);
        assertThat(c).isEqualTo(ArpClassification.ANNOUNCEMENT);
        assertThat(c.isGratuitous()).isTrue();
    }

    @Test
    void aGratuitousRequestToBroadcastIsGratuitousNotAnAnnouncement() {
        assertThat(classify(1, MAC_A, IP_A, BROADCAST, IP_A)).isEqualTo(ArpClassification.GRATUITOUS);
    }

    @Test
    void aGratuitousReplyIsGratuitous() {
        assertThat(classify(2, MAC_A, IP_A, BROADCAST, IP_A)).isEqualTo(ArpClassification.GRATUITOUS);
        assertThat(classify(2, MAC_A, IP_A, ZERO_MAC, IP_A)).isEqualTo(ArpClassification.GRATUITOUS);
    }

    @Test
    void otherOperationsAreOther() {
        assertThat(classify(3, MAC_A, IP_A, MAC_A, IP_A)).isEqualTo(ArpClassification.OTHER);
        assertThat(classify(8, MAC_A, IP_A, ZERO_MAC, IP_B)).isEqualTo(ArpClassification.OTHER);
        assertThat(ArpClassification.OTHER.isGratuitous()).isFalse();
    }

    @Test
    void labelsAreLowerCase() {
        assertThat(ArpClassification.ANNOUNCEMENT.label()).isEqualTo("announcement");
    }
}
