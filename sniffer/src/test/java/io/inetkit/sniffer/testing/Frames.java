package io.inetkit.sniffer.testing;

import io.inetkit.sniffer.packet.Address;
import io.inetkit.sniffer.packet.ArpPacket;
import io.inetkit.sniffer.packet.CapturedFrame;
import io.inetkit.sniffer.packet.EthernetHeader;
import io.inetkit.sniffer.packet.VlanTag;

import java.util.HexFormat;

/** Frames for tests, built with the sniffer's own encoders. */
public final class Frames {

    public static final Address BROADCAST = Address.mac("ff:ff:ff:ff:ff:ff");
    public static final Address ZERO_MAC = Address.mac("00:00:00:00:00:00");
    public static final Address ZERO_IP = Address.ipv4("0.0.0.0");

    /** The lecture's frame: a broadcast request from 00:24:b2:84:19:22 / 192.168.1.1 for 192.168.1.27. */
    public static final byte[] LECTURE = HexFormat.of().parseHex(
            "ffffffffffff" + "0024b2841922" + "0806"
                    + "0001" + "0800" + "06" + "04" + "0001"
                    + "0024b2841922" + "c0a80101" + "000000000000" + "c0a8011b");

    /** 2023-11-14 22:13:20.123456 UTC. */
    public static final long T0 = 1_700_000_000_123_456L;

    private Frames() {
    }

    public static Address mac(String s) {
        return Address.mac(s);
    }

    public static Address ip(String s) {
        return Address.ipv4(s);
    }

    /** An Ethernet frame carrying {@code arp}, optionally VLAN-tagged, padded to {@code minLength}. */
    public static byte[] frame(Address dst, Address src, ArpPacket arp, int minLength, VlanTag... tags) {
        int length = Math.max(minLength, EthernetHeader.LENGTH + tags.length * VlanTag.LENGTH + arp.length());
        byte[] b = new byte[length];
        int type = tags.length == 0 ? EthernetHeader.TYPE_ARP : tags[0].tpid();
        new EthernetHeader(dst, src, type).writeTo(b, 0);
        int at = 12;
        for (int i = 0; i < tags.length; i++) {
            tags[i].writeTo(b, at);
            at += VlanTag.LENGTH;
            int next = i + 1 < tags.length ? tags[i + 1].tpid() : EthernetHeader.TYPE_ARP;
            b[at] = (byte) (next >> 8);
            b[at + 1] = (byte) next;
        }
        arp.writeTo(b, at + 2);
        return b;
    }

    public static byte[] request(Address senderMac, Address senderIp, Address targetIp) {
        return frame(BROADCAST, senderMac, ArpPacket.ethernetIpv4(ArpPacket.OP_REQUEST, senderMac, senderIp,
                ZERO_MAC, targetIp), 0);
    }

    public static byte[] reply(Address senderMac, Address senderIp, Address targetMac, Address targetIp) {
        return frame(targetMac, senderMac, ArpPacket.ethernetIpv4(ArpPacket.OP_REPLY, senderMac, senderIp,
                targetMac, targetIp), 0);
    }

    public static CapturedFrame captured(long micros, byte[] data) {
        return CapturedFrame.of(micros, data);
    }
}
