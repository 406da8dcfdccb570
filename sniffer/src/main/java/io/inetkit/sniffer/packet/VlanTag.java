package io.inetkit.sniffer.packet;

/**
 * One 802.1Q (or 802.1ad) tag. On the wire the tag protocol identifier (TPID) sits where the
 * EtherType was, and the 2-byte tag control information (TCI) and the real EtherType follow:
 * <pre>
 *   12      14                      16      18
 *   +-------+-----------------------+-------+---------
 *   | TPID  | PCP:3 | DEI:1 | VID:12| type  | payload
 *   | 81 00 |  60 64 (PCP 3, VID 100) | 08 06 | ARP ...
 *   +-------+-----------------------+-------+---------
 * </pre>
 *
 * @param tpid         the tag protocol identifier, {@code 0x8100} for 802.1Q
 * @param priority     PCP, 0-7
 * @param dropEligible DEI
 * @param vlanId       VID, 0-4095
 */
public record VlanTag(int tpid, int priority, boolean dropEligible, int vlanId) {

    /** Bytes a tag adds to a frame: TCI and the inner EtherType (the TPID replaces the outer type). */
    public static final int LENGTH = 4;

    public VlanTag {
        if (!EthernetHeader.isVlanTag(tpid)) {
            throw new IllegalArgumentException("not a VLAN tag protocol identifier: 0x" + Integer.toHexString(tpid));
        }
        if (priority < 0 || priority > 7) {
            throw new IllegalArgumentException("priority must be 0-7: " + priority);
        }
        if (vlanId < 0 || vlanId > 4095) {
            throw new IllegalArgumentException("vlanId must be 0-4095: " + vlanId);
        }
    }

    /**
     * Reads the TCI at {@code offset} of a tag whose TPID was {@code tpid}; the inner EtherType is
     * the 2 bytes after it.
     *
     * @throws MalformedPacketException when fewer than {@link #LENGTH} bytes are there
     */
    public static VlanTag parse(int tpid, byte[] data, int offset, int length) throws MalformedPacketException {
        if (length < LENGTH) {
            throw MalformedPacketException.truncated("802.1Q", LENGTH, length, "the VLAN tag");
        }
        int tci = (data[offset] & 0xff) << 8 | data[offset + 1] & 0xff;
        return new VlanTag(tpid, tci >>> 13, (tci & 0x1000) != 0, tci & 0x0fff);
    }

    /** Writes TPID and TCI into {@code dst} at {@code offset} (the TPID's position). */
    public void writeTo(byte[] dst, int offset) {
        int tci = priority << 13 | (dropEligible ? 0x1000 : 0) | vlanId;
        dst[offset] = (byte) (tpid >> 8);
        dst[offset + 1] = (byte) tpid;
        dst[offset + 2] = (byte) (tci >> 8);
        dst[offset + 3] = (byte) tci;
    }
}
