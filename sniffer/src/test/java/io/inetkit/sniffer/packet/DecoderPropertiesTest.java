package io.inetkit.sniffer.packet;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/** The decoders on hostile input: random bytes, any offset and length, every truncation of a valid packet. */
class DecoderPropertiesTest {

    @Property(tries = 2000)
    void randomBytesDecodeOrFailWithATypedError(@ForAll @Size(max = 120) byte[] data,
                                                @ForAll @IntRange(max = 120) int offset) {
        int off = Math.min(offset, data.length);
        int len = data.length - off;
        decodeAll(data, off, len);
    }

    @Property(tries = 1000)
    void everyTruncationOfAValidPacketIsReportedAsTruncated(@ForAll("packets") ArpPacket arp) {
        byte[] bytes = arp.toBytes();
        for (int len = 0; len < bytes.length; len++) {
            int length = len;
            assertThatThrownBy(() -> ArpPacket.parse(bytes, 0, length))
                    .isInstanceOfSatisfying(MalformedPacketException.class,
                            e -> assertThat(e.problem()).isEqualTo(MalformedPacketException.Problem.TRUNCATED));
        }
    }

    @Property(tries = 1000)
    void validPacketsRoundTripWithAnyTrailingPadding(@ForAll("packets") ArpPacket arp,
                                                     @ForAll @Size(max = 40) byte[] padding) throws Exception {
        byte[] bytes = arp.toBytes();
        byte[] frame = new byte[3 + bytes.length + padding.length];
        System.arraycopy(bytes, 0, frame, 3, bytes.length);
        System.arraycopy(padding, 0, frame, 3 + bytes.length, padding.length);
        assertThat(ArpPacket.parse(frame, 3, frame.length - 3)).isEqualTo(arp);
    }

    @Property(tries = 1000)
    void ethernetHeadersRoundTrip(@ForAll @Size(6) byte[] dst, @ForAll @Size(6) byte[] src,
                                  @ForAll @IntRange(max = 0xffff) int type) throws Exception {
        EthernetHeader h = new EthernetHeader(Address.of(dst), Address.of(src), type);
        byte[] bytes = new byte[EthernetHeader.LENGTH];
        h.writeTo(bytes, 0);
        assertThat(EthernetHeader.parse(bytes, 0, bytes.length)).isEqualTo(h);
    }

    @Provide
    Arbitrary<ArpPacket> packets() {
        Arbitrary<Integer> hw = Arbitraries.integers().between(1, 20);
        Arbitrary<Integer> pr = Arbitraries.integers().between(1, 20);
        Arbitrary<ArpPacket> general = Combinators.combine(hw, pr, Arbitraries.integers().between(0, 0xffff),
                        Arbitraries.bytes().array(byte[].class).ofSize(80))
                .as((h, p, op, b) -> new ArpPacket(6, 0x86dd, h, p, op,
                        Address.of(b, 0, h), Address.of(b, 20, p), Address.of(b, 40, h), Address.of(b, 60, p)));
        Arbitrary<ArpPacket> ethernetIpv4 = Combinators.combine(Arbitraries.integers().between(0, 0xffff),
                        Arbitraries.bytes().array(byte[].class).ofSize(20))
                .as((op, b) -> ArpPacket.ethernetIpv4(op, Address.of(b, 0, 6), Address.of(b, 6, 4),
                        Address.of(b, 10, 6), Address.of(b, 16, 4)));
        return Arbitraries.oneOf(general, ethernetIpv4);
    }

    private static void decodeAll(byte[] data, int off, int len) {
        try {
            EthernetHeader.parse(data, off, len);
        } catch (MalformedPacketException e) {
            assertThat(len).isLessThan(EthernetHeader.LENGTH);
        } catch (RuntimeException e) {
            fail("Ethernet decoder threw " + e);
        }
        try {
            VlanTag.parse(EthernetHeader.TYPE_VLAN, data, off, len);
        } catch (MalformedPacketException e) {
            assertThat(len).isLessThan(VlanTag.LENGTH);
        } catch (RuntimeException e) {
            fail("VLAN decoder threw " + e);
        }
        try {
            ArpPacket arp = ArpPacket.parse(data, off, len);
            assertThat(arp.length()).isLessThanOrEqualTo(len);
            byte[] again = arp.toBytes();
            assertThat(java.util.Arrays.equals(again, 0, again.length, data, off, off + again.length)).isTrue();
            ArpClassification.of(arp);
        } catch (MalformedPacketException e) {
            assertThat(e.getMessage()).startsWith("ARP ");
        } catch (RuntimeException e) {
            fail("ARP decoder threw " + e);
        }
    }
}
