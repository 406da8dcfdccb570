package io.inetkit.sniffer.packet;

import java.util.Objects;

/**
 * An ATM ARP packet (RFC 2225, hardware type 19), whose header differs from RFC 826's: each address has
 * its own length byte, and the ATM addresses have subaddresses.
 * <pre>
 *   0      2      4     5     6      8     9     10    11    12
 *   +------+------+-----+-----+------+-----+-----+-----+-----+------------------------------------+
 *   | hrd  | pro  |shtl |sstl | op   |spln |thtl |tstl |tpln | sha ssa spa tha tsa tpa            |
 *   +------+------+-----+-----+------+-----+-----+-----+-----+------------------------------------+
 *    00 13  08 00  14    00    00 01  04    00    00    04     (20-byte NSAP) (IPv4) (none) (IPv4)
 * </pre>
 * The low 6 bits of {@code shtl}, {@code sstl}, {@code thtl} and {@code tstl} are the lengths (bit 6 is the
 * type: NSAP or E.164).
 */
public record AtmArpPacket(int hardwareType, int protocolType, int opcode,
                           Address senderHardwareAddress, Address senderSubaddress, Address senderProtocolAddress,
                           Address targetHardwareAddress, Address targetSubaddress, Address targetProtocolAddress) {

    public static final int HARDWARE_ATM = 19;
    public static final int HEADER_LENGTH = 12;
    private static final int LENGTH_MASK = 0x3f;

    public AtmArpPacket {
        Objects.requireNonNull(senderHardwareAddress);
        Objects.requireNonNull(senderSubaddress);
        Objects.requireNonNull(senderProtocolAddress);
        Objects.requireNonNull(targetHardwareAddress);
        Objects.requireNonNull(targetSubaddress);
        Objects.requireNonNull(targetProtocolAddress);
    }

    /**
     * Reads an ATM ARP packet from {@code length} bytes of {@code data} at {@code offset}.
     *
     * @throws MalformedPacketException TRUNCATED when the header or its addresses do not fit
     */
    public static AtmArpPacket parse(byte[] data, int offset, int length) throws MalformedPacketException {
        if (length < HEADER_LENGTH) {
            throw MalformedPacketException.truncated("ATM ARP", HEADER_LENGTH, length, "the header");
        }
        int shl = data[offset + 4] & LENGTH_MASK;
        int ssl = data[offset + 5] & LENGTH_MASK;
        int spl = data[offset + 8] & 0xff;
        int thl = data[offset + 9] & LENGTH_MASK;
        int tsl = data[offset + 10] & LENGTH_MASK;
        int tpl = data[offset + 11] & 0xff;
        int needed = HEADER_LENGTH + shl + ssl + spl + thl + tsl + tpl;
        if (length < needed) {
            throw MalformedPacketException.truncated("ATM ARP", needed, length, "the address lengths");
        }
        int at = offset + HEADER_LENGTH;
        Address sha = Address.of(data, at, shl);
        Address ssa = Address.of(data, at += shl, ssl);
        Address spa = Address.of(data, at += ssl, spl);
        Address tha = Address.of(data, at += spl, thl);
        Address tsa = Address.of(data, at += thl, tsl);
        Address tpa = Address.of(data, at + tsl, tpl);
        return new AtmArpPacket(u16(data, offset), u16(data, offset + 2), u16(data, offset + 6),
                sha, ssa, spa, tha, tsa, tpa);
    }

    private static int u16(byte[] data, int offset) {
        return (data[offset] & 0xff) << 8 | data[offset + 1] & 0xff;
    }
}
