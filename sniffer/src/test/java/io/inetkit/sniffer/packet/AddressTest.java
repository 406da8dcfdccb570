package io.inetkit.sniffer.packet;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AddressTest {

    @Test
    void printsAMacThreeWays() {
        Address mac = Address.mac("00:24:b2:84:19:22");
        assertThat(mac.toColonHex()).isEqualTo("00:24:b2:84:19:22");
        assertThat(mac.toHex()).isEqualTo("0024b2841922");
        assertThat(mac.toString()).isEqualTo("00:24:b2:84:19:22");
        assertThat(mac.length()).isEqualTo(6);
        assertThat(mac.get(2)).isEqualTo(0xb2);
    }

    @Test
    void printsAnIpv4AddressDotted() {
        Address ip = Address.of(new byte[] {(byte) 192, (byte) 168, 1, 27});
        assertThat(ip.toDotted()).isEqualTo("192.168.1.27");
        assertThat(ip).hasToString("192.168.1.27").isEqualTo(Address.ipv4("192.168.1.27"));
    }

    @Test
    void readsBytesFromAnOffsetAndCopiesThem() {
        byte[] data = {9, 9, 1, 2, 3, 4, 9};
        Address a = Address.of(data, 2, 4);
        data[2] = 7;
        assertThat(a.toByteArray()).containsExactly(1, 2, 3, 4);
        byte[] dst = new byte[6];
        a.copyTo(dst, 1);
        assertThat(dst).containsExactly(0, 1, 2, 3, 4, 0);
    }

    @Test
    void longAddressesWorkTheSameAsShortOnes() {
        byte[] twenty = new byte[20];
        for (int i = 0; i < twenty.length; i++) {
            twenty[i] = (byte) (0xf0 + i);
        }
        Address a = Address.of(twenty);
        assertThat(a.length()).isEqualTo(20);
        assertThat(a.toHex()).startsWith("f0f1f2").endsWith("0203");
        assertThat(a).isEqualTo(Address.of(twenty.clone())).hasSameHashCodeAs(Address.of(twenty.clone()));
        assertThat(a.isZero()).isFalse();
        assertThat(Address.of(new byte[20]).isZero()).isTrue();
        assertThat(a.toByteArray()).isEqualTo(twenty);
    }

    @Test
    void equalityNeedsTheSameLengthAndBytes() {
        assertThat(Address.of(new byte[] {0, 1})).isNotEqualTo(Address.of(new byte[] {0, 0, 1}));
        assertThat(Address.of(new byte[] {0, 1})).isEqualTo(Address.of(new byte[] {0, 1}));
    }

    @Test
    void zeroGroupAndOrder() {
        assertThat(Address.mac("00:00:00:00:00:00").isZero()).isTrue();
        assertThat(Address.mac("ff:ff:ff:ff:ff:ff").isGroup()).isTrue();
        assertThat(Address.mac("01:00:5e:00:00:01").isGroup()).isTrue();
        assertThat(Address.mac("02:00:00:00:00:01").isGroup()).isFalse();
        assertThat(Address.ipv4("10.0.0.9")).isLessThan(Address.ipv4("10.0.0.10"));
        assertThat(Address.ipv4("10.0.0.200")).isGreaterThan(Address.ipv4("10.0.0.10"));
    }

    @Test
    void parsesMacsWithDashesOrBare() {
        assertThat(Address.mac("00-24-B2-84-19-22")).isEqualTo(Address.mac("0024b2841922"));
    }

    @Test
    void rejectsWhatIsNotAnAddressNamingIt() {
        assertThatThrownBy(() -> Address.mac("00:24:b2")).hasMessageContaining("'00:24:b2'");
        assertThatThrownBy(() -> Address.mac("zz:24:b2:84:19:22")).hasMessageContaining("not a MAC");
        assertThatThrownBy(() -> Address.ipv4("10.0.0.256")).hasMessageContaining("'10.0.0.256'");
        assertThatThrownBy(() -> Address.ipv4("10.0.0")).hasMessageContaining("not an IPv4");
        assertThatThrownBy(() -> Address.ipv4("10..0.1")).hasMessageContaining("not an IPv4");
        assertThatThrownBy(() -> Address.of(new byte[4], 2, 4)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
