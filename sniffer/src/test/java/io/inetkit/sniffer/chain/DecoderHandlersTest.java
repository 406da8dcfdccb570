package io.inetkit.sniffer.chain;

import io.inetkit.sniffer.packet.ArpClassification;
import io.inetkit.sniffer.packet.ArpFrame;
import io.inetkit.sniffer.packet.ArpPacket;
import io.inetkit.sniffer.packet.CapturedFrame;
import io.inetkit.sniffer.packet.EthernetFrame;
import io.inetkit.sniffer.packet.EthernetHeader;
import io.inetkit.sniffer.packet.MalformedPacketException;
import io.inetkit.sniffer.packet.TruncatedArp;
import io.inetkit.sniffer.packet.VlanTag;
import io.inetkit.sniffer.testing.Frames;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static io.inetkit.sniffer.testing.Frames.ip;
import static io.inetkit.sniffer.testing.Frames.mac;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each decoding handler alone in a pipeline, as Netty's codecs are tested in an EmbeddedChannel. */
class DecoderHandlersTest {

    static final ArpPacket REQUEST = ArpPacket.ethernetIpv4(ArpPacket.OP_REQUEST, mac("02:00:00:00:00:01"),
            ip("10.0.0.1"), Frames.ZERO_MAC, ip("10.0.0.2"));

    @Test
    void ethernetDecoderReadsTheHeader() throws Exception {
        FramePipeline p = FramePipeline.of(EthernetDecoder.INSTANCE);
        CapturedFrame captured = CapturedFrame.of(Frames.T0, Frames.LECTURE);
        p.fireRead(captured);
        EthernetFrame f = p.readInbound();
        assertThat(f.captured()).isSameAs(captured);
        assertThat(f.header().source()).isEqualTo(mac("00:24:b2:84:19:22"));
        assertThat(f.etherType()).isEqualTo(EthernetHeader.TYPE_ARP);
        assertThat(f.payloadOffset()).isEqualTo(14);
        assertThat(f.vlans()).isEmpty();
        assertThat(p.<Object>readInbound()).isNull();
        p.checkException();
    }

    @Test
    void ethernetDecoderRejectsAShortFrameAndPassesOtherMessages() {
        FramePipeline p = FramePipeline.of(EthernetDecoder.INSTANCE);
        p.fireRead(CapturedFrame.of(Frames.T0, new byte[10]));
        p.fireRead("not a frame");
        assertThat(p.<String>readInbound()).isEqualTo("not a frame");
        assertThatThrownBy(p::checkException).isInstanceOfSatisfying(MalformedPacketException.class,
                e -> assertThat(e.problem()).isEqualTo(MalformedPacketException.Problem.TRUNCATED));
    }

    @Test
    void vlanDecoderReadsOneTag() throws Exception {
        byte[] data = Frames.frame(Frames.BROADCAST, mac("02:00:00:00:00:01"), REQUEST, 0,
                new VlanTag(0x8100, 3, false, 100));
        FramePipeline p = FramePipeline.of(EthernetDecoder.INSTANCE, VlanDecoder.INSTANCE);
        p.fireRead(CapturedFrame.of(Frames.T0, data));
        EthernetFrame f = p.readInbound();
        assertThat(f.header().etherType()).isEqualTo(0x8100);
        assertThat(f.vlans()).containsExactly(new VlanTag(0x8100, 3, false, 100));
        assertThat(f.etherType()).isEqualTo(EthernetHeader.TYPE_ARP);
        assertThat(f.payloadOffset()).isEqualTo(18);
        assertThat(f.payloadLength()).isEqualTo(28);
        p.checkException();
    }

    @Test
    void vlanDecoderReadsQinQOuterFirst() throws Exception {
        byte[] data = Frames.frame(Frames.BROADCAST, mac("02:00:00:00:00:01"), REQUEST, 0,
                new VlanTag(0x88a8, 0, true, 200), new VlanTag(0x8100, 5, false, 100));
        FramePipeline p = FramePipeline.of(EthernetDecoder.INSTANCE, VlanDecoder.INSTANCE);
        p.fireRead(CapturedFrame.of(Frames.T0, data));
        EthernetFrame f = p.readInbound();
        assertThat(f.vlans()).extracting(VlanTag::vlanId).containsExactly(200, 100);
        assertThat(f.vlans().get(0).dropEligible()).isTrue();
        assertThat(f.etherType()).isEqualTo(EthernetHeader.TYPE_ARP);
        assertThat(f.payloadOffset()).isEqualTo(22);
        p.checkException();
    }

    @Test
    void vlanDecoderPassesUntaggedFramesAsTheyAre() throws Exception {
        FramePipeline p = FramePipeline.of(VlanDecoder.INSTANCE);
        EthernetFrame untagged = new EthernetFrame(CapturedFrame.of(Frames.T0, Frames.LECTURE),
                EthernetHeader.parse(Frames.LECTURE, 0, 42), java.util.List.of(), 0x0806, 14);
        p.fireRead(untagged);
        assertThat(p.<Object>readInbound()).isSameAs(untagged);
        p.checkException();
    }

    @Test
    void vlanDecoderRejectsATruncatedTagAndEndlessTags() {
        FramePipeline p = FramePipeline.of(EthernetDecoder.INSTANCE, VlanDecoder.INSTANCE);
        byte[] tagged = Frames.frame(Frames.BROADCAST, mac("02:00:00:00:00:01"), REQUEST, 0,
                new VlanTag(0x8100, 0, false, 7));
        p.fireRead(CapturedFrame.of(Frames.T0, Arrays.copyOf(tagged, 16)));
        assertThatThrownBy(p::checkException).isInstanceOf(MalformedPacketException.class)
                .hasMessageContaining("802.1Q truncated");

        byte[] endless = new byte[14 + 4 * 12];
        for (int at = 12; at + 4 <= endless.length; at += 4) {
            endless[at] = (byte) 0x81; // TPID 0x8100, then TCI 0, forever
        }
        p.fireRead(CapturedFrame.of(Frames.T0, endless));
        assertThatThrownBy(p::checkException).isInstanceOfSatisfying(MalformedPacketException.class,
                e -> assertThat(e.problem()).isEqualTo(MalformedPacketException.Problem.INCONSISTENT));
        assertThat(p.<Object>readInbound()).isNull();
    }

    @Test
    void arpDecoderDecodesArpAndCountsIt() throws Exception {
        CaptureStats stats = new CaptureStats();
        FramePipeline p = FramePipeline.of(EthernetDecoder.INSTANCE, new ArpDecoder(stats));
        p.fireRead(CapturedFrame.of(Frames.T0, Frames.LECTURE));
        ArpFrame f = p.readInbound();
        assertThat(f.arp().targetProtocolAddress()).isEqualTo(ip("192.168.1.27"));
        assertThat(f.classification()).isNull();
        assertThat(f.timestampMicros()).isEqualTo(Frames.T0);
        assertThat(stats.fileSummary().decoded()).isEqualTo(1);
        p.checkException();
    }

    @Test
    void arpDecoderCountsOtherTypesAndDropsThem() throws Exception {
        CaptureStats stats = new CaptureStats();
        FramePipeline p = FramePipeline.of(EthernetDecoder.INSTANCE, new ArpDecoder(stats));
        byte[] ipv4 = Frames.LECTURE.clone();
        ipv4[13] = 0x00; // EtherType 0x0800
        p.fireRead(CapturedFrame.of(Frames.T0, ipv4));
        assertThat(p.<Object>readInbound()).isNull();
        assertThat(stats.fileSummary().notArp()).isEqualTo(1);
        p.checkException();
    }

    @Test
    void arpDecoderPassesATruncatedPacketOnAsSuchAndCountsItMalformed() throws Exception {
        CaptureStats stats = new CaptureStats();
        FramePipeline p = FramePipeline.of(EthernetDecoder.INSTANCE, new ArpDecoder(stats));
        p.fireRead(CapturedFrame.of(Frames.T0, Arrays.copyOf(Frames.LECTURE, 30)));
        p.checkException();
        TruncatedArp t = p.readInbound();
        assertThat(t.problem()).hasMessage("ARP truncated: hardware size 6 and protocol size 4 needs 28 bytes, 16 available");
        assertThat(stats.fileSummary().decoded()).isZero();
        assertThat(stats.fileSummary().malformed()).isEqualTo(1);
    }

    @Test
    void classifierSetsTheClassification() throws Exception {
        FramePipeline p = FramePipeline.of(EthernetDecoder.INSTANCE, new ArpDecoder(new CaptureStats()),
                ArpClassifier.INSTANCE);
        p.fireRead(CapturedFrame.of(Frames.T0, Frames.LECTURE));
        p.fireRead(CapturedFrame.of(Frames.T0, Frames.request(mac("02:00:00:00:00:07"), ip("10.0.0.7"),
                ip("10.0.0.7"))));
        assertThat(p.<ArpFrame>readInbound().classification()).isEqualTo(ArpClassification.REQUEST);
        assertThat(p.<ArpFrame>readInbound().classification()).isEqualTo(ArpClassification.ANNOUNCEMENT);
        p.checkException();
    }

    @Test
    void malformedFrameHandlerCountsAndSwallows() throws Exception {
        CaptureStats stats = new CaptureStats();
        FramePipeline p = FramePipeline.of(EthernetDecoder.INSTANCE, new MalformedFrameHandler(stats));
        p.fireRead(CapturedFrame.of(Frames.T0, new byte[3]));
        p.fireRead(CapturedFrame.of(Frames.T0, new byte[0]));
        p.checkException();
        assertThat(stats.fileSummary().malformed()).isEqualTo(2);
    }

    @Test
    void frameWriterWritesEveryFrameBeforeDecodingAndPassesItOn() throws Exception {
        java.util.List<CapturedFrame> written = new java.util.ArrayList<>();
        FramePipeline p = FramePipeline.of(new FrameWriterHandler(written::add));
        CapturedFrame garbage = CapturedFrame.of(Frames.T0, new byte[3]);
        p.fireRead(garbage);
        assertThat(written).containsExactly(garbage);
        assertThat(p.<Object>readInbound()).isSameAs(garbage);
        p.checkException();
    }
}
