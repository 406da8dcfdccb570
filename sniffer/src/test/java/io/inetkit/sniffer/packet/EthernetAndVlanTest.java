package io.inetkit.sniffer.packet;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EthernetAndVlanTest {

    @Test
    void ethernetHeaderRoundTrips() throws Exception {
        EthernetHeader h = new EthernetHeader(Address.mac("ff:ff:ff:ff:ff:ff"), Address.mac("00:24:b2:84:19:22"),
                EthernetHeader.TYPE_VLAN);
        byte[] bytes = new byte[EthernetHeader.LENGTH];
        h.writeTo(bytes, 0);
        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo("ffffffffffff0024b28419228100");
        assertThat(EthernetHeader.parse(bytes, 0, bytes.length)).isEqualTo(h);
    }

    @Test
    void aFrameShorterThanTheHeaderIsTruncated() {
        assertThatThrownBy(() -> EthernetHeader.parse(new byte[13], 0, 13))
                .isInstanceOfSatisfying(MalformedPacketException.class, e -> {
                    assertThat(e.protocol()).isEqualTo("Ethernet");
                    assertThat(e.problem()).isEqualTo(MalformedPacketException.Problem.TRUNCATED);
                })
                .hasMessage("Ethernet truncated: the header needs 14 bytes, 13 available");
    }

    @Test
    void vlanTagRoundTripsPriorityDropEligibleAndId() throws Exception {
        VlanTag tag = new VlanTag(EthernetHeader.TYPE_VLAN, 5, true, 4094);
        byte[] bytes = new byte[4];
        tag.writeTo(bytes, 0);
        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo("8100bffe");
        assertThat(VlanTag.parse(EthernetHeader.TYPE_VLAN, bytes, 2, 2 + 2)).isEqualTo(tag);
    }

    @Test
    void aShortTagIsTruncated() {
        assertThatThrownBy(() -> VlanTag.parse(EthernetHeader.TYPE_VLAN, new byte[3], 0, 3))
                .isInstanceOfSatisfying(MalformedPacketException.class,
                        e -> assertThat(e.problem()).isEqualTo(MalformedPacketException.Problem.TRUNCATED));
    }

    @Test
    void knowsTheVlanTagTypes() {
        assertThat(EthernetHeader.isVlanTag(0x8100)).isTrue();
        assertThat(EthernetHeader.isVlanTag(0x88a8)).isTrue();
        assertThat(EthernetHeader.isVlanTag(0x9100)).isTrue();
        assertThat(EthernetHeader.isVlanTag(0x0806)).isFalse();
        assertThatThrownBy(() -> new VlanTag(0x0806, 0, false, 1)).hasMessageContaining("0x806");
        assertThatThrownBy(() -> new VlanTag(0x8100, 8, false, 1)).hasMessage("priority must be 0-7: 8");
        assertThatThrownBy(() -> new VlanTag(0x8100, 0, false, 4096)).hasMessage("vlanId must be 0-4095: 4096");
    }
}
