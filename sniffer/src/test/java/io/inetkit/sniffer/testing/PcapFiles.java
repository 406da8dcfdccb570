package io.inetkit.sniffer.testing;

import org.pcap4j.core.PcapDumper;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.ArpPacket;
import org.pcap4j.packet.Dot1qVlanTagPacket;
import org.pcap4j.packet.EthernetPacket;
import org.pcap4j.packet.Packet;
import org.pcap4j.packet.namednumber.ArpHardwareType;
import org.pcap4j.packet.namednumber.ArpOperation;
import org.pcap4j.packet.namednumber.DataLinkType;
import org.pcap4j.packet.namednumber.EtherType;
import org.pcap4j.util.MacAddress;

import java.net.InetAddress;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * Capture files for tests, written with pcap4j's dumper ({@code pcap_dump}), and frames built with
 * pcap4j's packet builders: an encoder independent of the sniffer's own.
 */
public final class PcapFiles {

    /** One record: bytes and capture time. */
    public record Record(long micros, byte[] data) {
    }

    private final List<Record> records = new ArrayList<>();
    private long clock = Frames.T0;

    /** Adds a frame 1 ms after the previous one. */
    public PcapFiles add(byte[] data) {
        records.add(new Record(clock, data));
        clock += 1000;
        return this;
    }

    public PcapFiles add(Packet packet) {
        return add(packet.getRawData());
    }

    public PcapFiles addAt(long micros, byte[] data) {
        records.add(new Record(micros, data));
        clock = micros + 1000;
        return this;
    }

    public List<Record> records() {
        return List.copyOf(records);
    }

    /** Writes an Ethernet (EN10MB) pcap file with pcap4j's dumper. */
    public Path write(Path file) throws Exception {
        try (PcapHandle dead = Pcaps.openDead(DataLinkType.EN10MB, 65536)) {
            PcapDumper dumper = dead.dumpOpen(file.toString());
            try {
                for (Record r : records) {
                    Timestamp t = new Timestamp(Math.floorDiv(r.micros(), 1_000_000L) * 1000);
                    t.setNanos((int) Math.floorMod(r.micros(), 1_000_000L) * 1000);
                    dumper.dumpRaw(r.data(), t);
                }
            } finally {
                dumper.close();
            }
        }
        return file;
    }

    /** An ARP frame built by pcap4j, padded to Ethernet's 60-byte minimum, optionally VLAN-tagged. */
    public static Packet arp(ArpOperation op, String sha, String spa, String tha, String tpa, String ethDst,
                             Integer vlan) throws Exception {
        ArpPacket.Builder arp = new ArpPacket.Builder()
                .hardwareType(ArpHardwareType.ETHERNET)
                .protocolType(EtherType.IPV4)
                .hardwareAddrLength((byte) MacAddress.SIZE_IN_BYTES)
                .protocolAddrLength((byte) 4)
                .operation(op)
                .srcHardwareAddr(MacAddress.getByName(sha))
                .srcProtocolAddr(InetAddress.getByName(spa))
                .dstHardwareAddr(MacAddress.getByName(tha))
                .dstProtocolAddr(InetAddress.getByName(tpa));
        EthernetPacket.Builder eth = new EthernetPacket.Builder()
                .dstAddr(MacAddress.getByName(ethDst))
                .srcAddr(MacAddress.getByName(sha))
                .paddingAtBuild(true);
        if (vlan == null) {
            eth.type(EtherType.ARP).payloadBuilder(arp);
        } else {
            eth.type(EtherType.DOT1Q_VLAN_TAGGED_FRAMES).payloadBuilder(new Dot1qVlanTagPacket.Builder()
                    .priority((byte) 3).cfi(false).vid(vlan.shortValue()).type(EtherType.ARP).payloadBuilder(arp));
        }
        return eth.build();
    }
}
