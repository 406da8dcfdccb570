package io.inetkit.common.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CidrTest {

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
            "10.0.0.0/8, 10.255.1.2, true",
            "10.0.0.0/8, 11.0.0.1, false",
            "127.0.0.66/32, 127.0.0.66, true",
            "127.0.0.66/32, 127.0.0.67, false",
            "127.0.0.0/24, 127.0.1.5, false",
            "0.0.0.0/0, 203.0.113.9, true",
            "192.0.2.7, 192.0.2.7, true",
            "192.0.2.7, 192.0.2.8, false",
            "::1/128, ::1, true",
            "::1, ::1, true",
            "fd00::/8, fd12:3456::1, true",
            "fd00::/8, fe80::1, false",
            "2001:db8::/32, 2001:db8:ffff::1, true",
            "::/0, 2001:db8::1, true",
            "10.0.0.0/8, ::1, false",
            "::/0, 10.0.0.1, false",
    })
    void containsByPrefix(String cidr, String address, boolean expected) throws Exception {
        assertThat(Cidr.parse(cidr).contains(ip(address))).isEqualTo(expected);
    }

    @Test
    void printsAndComparesByNetworkAndPrefix() {
        assertThat(Cidr.parse(" 10.0.0.0/8 ")).hasToString("10.0.0.0/8").isEqualTo(Cidr.parse("10.0.0.0/8"));
        assertThat(Cidr.parse("[::1]")).hasToString("::1/128");
        assertThat(Cidr.parse("192.0.2.7").prefixLength()).isEqualTo(32);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "example.com/8", "10.0.0.0/33", "::1/129", "10.0.0.0/x", "10.0.0.0/-1", "1.2.3/8"})
    void rejectsWhatIsNotACidrWithoutAskingDns(String bad) {
        assertThatThrownBy(() -> Cidr.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("bad CIDR '" + bad + "'");
    }

    @ParameterizedTest(name = "{0} #{1} is {2}")
    @CsvSource({
            "10.0.0.0/16, 0, 10.0.0.0",
            "10.0.0.0/16, 1, 10.0.0.1",
            "10.0.0.0/16, 258, 10.0.1.2",
            "10.0.0.0/16, 65537, 10.0.0.1",
            "10.1.2.3/8, 5, 10.0.0.5",
            "192.0.2.7/32, 9, 192.0.2.7",
            "2001:db8::/64, 65536, 2001:db8::1:0",
            "::/0, 1, ::1",
    })
    void theNthAddressOfANetworkWraps(String cidr, long index, String expected) throws Exception {
        assertThat(Cidr.parse(cidr).address(index)).isEqualTo(ip(expected));
        assertThat(Cidr.parse(cidr).contains(Cidr.parse(cidr).address(index))).isTrue();
    }

    @Test
    void aNegativeIndexIsRefused() {
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/8").address(-1)).hasMessageContaining("-1");
    }
}
