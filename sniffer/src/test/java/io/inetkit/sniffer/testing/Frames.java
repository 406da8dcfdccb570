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

    /** A random frame, or an ARP frame (possibly tagged, cooked or ATM) with random damage. */
    public static byte[] hostile(java.util.SplittableRandom r) {
        if (r.nextInt(4) == 0) {
            byte[] b = new byte[r.nextInt(0, 80)];
            r.nextBytes(b);
            return b;
        }
        byte[] f = LECTURE.clone();
        int kind = r.nextInt(6);
        if (kind == 0) { // a tag or two in front of the type, 0x8100 / 0x88a8 / 0x9100
            int[] tpids = {0x8100, 0x88a8, 0x9100};
            int tags = r.nextInt(1, 10);
            byte[] t = new byte[f.length + 4 * tags];
            System.arraycopy(f, 0, t, 0, 12);
            for (int i = 0; i < tags; i++) {
                int tpid = tpids[r.nextInt(3)];
                t[12 + 4 * i] = (byte) (tpid >> 8);
                t[13 + 4 * i] = (byte) tpid;
                t[14 + 4 * i] = (byte) r.nextInt(256);
                t[15 + 4 * i] = (byte) r.nextInt(256);
            }
            System.arraycopy(f, 12, t, 12 + 4 * tags, f.length - 12);
            f = t;
        } else if (kind == 1) { // random sizes and types
            f[14] = (byte) r.nextInt(256);
            f[15] = (byte) (r.nextBoolean() ? 19 : r.nextInt(256));
            f[18] = (byte) r.nextInt(256);
            f[19] = (byte) r.nextInt(256);
        } else if (kind == 2) {
            f[13] = 0x35; // RARP
        }
        for (int n = r.nextInt(0, 4); n > 0; n--) {
            f[r.nextInt(f.length)] ^= (byte) (1 << r.nextInt(8));
        }
        return r.nextInt(3) == 0 ? java.util.Arrays.copyOf(f, r.nextInt(f.length + 1)) : f;
    }
}
