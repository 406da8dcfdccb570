package io.inetkit.sniffer.packet;

import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable address of any length as it appears on the wire: a 6-byte MAC, a 4-byte IPv4 address,
 * or whatever size an ARP header announces ({@code hln}, {@code pln}).
 *
 * <p>It prints itself the three ways the sniffer needs, appending to a {@link StringBuilder} so that
 * the hot path allocates no strings:
 * <pre>
 *   bytes 00 24 b2 84 19 22   colon hex  00:24:b2:84:19:22   bare hex  0024b2841922
 *   bytes c0 a8 01 01         dotted     192.168.1.1
 * </pre>
 */
public final class Address implements Comparable<Address> {

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final String[] DECIMAL = new String[256];

    static {
        for (int i = 0; i < 256; i++) {
            DECIMAL[i] = Integer.toString(i);
        }
    }

    /** Addresses up to this long (MACs, IPv4, EUI-64) live in {@link #bits}, with no array to allocate. */
    private static final int INLINE = 8;

    private final int length;
    /** The bytes, big-endian, when {@code length <= INLINE}. */
    private final long bits;
    /** The bytes when longer. */
    private final byte[] bytes;

    private Address(int length, long bits, byte[] bytes) {
        this.length = length;
        this.bits = bits;
        this.bytes = bytes;
    }

    /** The two MACs in nearly every request (destination and target), shared rather than allocated. */
    private static final Address BROADCAST_MAC = new Address(6, 0xffff_ffff_ffffL, null);
    private static final Address ZERO_MAC = new Address(6, 0, null);

    /** The {@code length} bytes of {@code data} from {@code offset}, copied. */
    public static Address of(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        if (length > INLINE) {
            return new Address(length, 0, Arrays.copyOfRange(data, offset, offset + length));
        }
        long v = 0;
        for (int i = 0; i < length; i++) {
            v = v << 8 | (data[offset + i] & 0xff);
        }
        if (length == 6 && (v == 0 || v == BROADCAST_MAC.bits)) {
            return v == 0 ? ZERO_MAC : BROADCAST_MAC;
        }
        return new Address(length, v, null);
    }

    /** A copy of {@code bytes}. */
    public static Address of(byte... bytes) {
        return of(bytes, 0, bytes.length);
    }

    /**
     * Parses a MAC written with colons or dashes ({@code 00:24:b2:84:19:22}) or as bare hex
     * ({@code 0024b2841922}).
     *
     * @throws IllegalArgumentException naming the text when it is not a 6-byte MAC
     */
    public static Address mac(String text) {
        String hex = text.replace(":", "").replace("-", "");
        if (hex.length() != 12) {
            throw new IllegalArgumentException("not a MAC address: '" + text + "'");
        }
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            int hi = Character.digit(hex.charAt(2 * i), 16);
            int lo = Character.digit(hex.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("not a MAC address: '" + text + "'");
            }
            b[i] = (byte) (hi << 4 | lo);
        }
        return of(b);
    }

    /**
     * Parses a dotted IPv4 address ({@code 192.168.1.1}).
     *
     * @throws IllegalArgumentException naming the text when it is not one
     */
    public static Address ipv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            int v;
            try {
                v = parts[i].isEmpty() || parts[i].length() > 3 ? -1 : Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                v = -1;
            }
            if (v < 0 || v > 255) {
                throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
            }
            b[i] = (byte) v;
        }
        return of(b);
    }

    public int length() {
        return length;
    }

    /** The byte at {@code index}, unsigned. */
    public int get(int index) {
        Objects.checkIndex(index, length);
        return bytes != null ? bytes[index] & 0xff : (int) (bits >>> (8 * (length - 1 - index))) & 0xff;
    }

    public byte[] toByteArray() {
        if (bytes != null) {
            return bytes.clone();
        }
        byte[] b = new byte[length];
        copyTo(b, 0);
        return b;
    }

    /** Copies the bytes into {@code dst} at {@code offset}. */
    public void copyTo(byte[] dst, int offset) {
        if (bytes != null) {
            System.arraycopy(bytes, 0, dst, offset, length);
            return;
        }
        for (int i = 0; i < length; i++) {
            dst[offset + i] = (byte) (bits >>> (8 * (length - 1 - i)));
        }
    }

    /** True when every byte is zero (and for the empty address). */
    public boolean isZero() {
        if (bytes == null) {
            return bits == 0;
        }
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** True for a group (multicast or broadcast) MAC: the low bit of the first byte is set. */
    /** True for ff:ff:ff:ff:ff:ff (any length: all bits set). */
    public boolean isBroadcast() {
        for (int i = 0; i < length; i++) {
            if (get(i) != 0xff) {
                return false;
            }
        }
        return length > 0;
    }

    public boolean isGroup() {
        return length > 0 && (get(0) & 1) != 0;
    }

    /** Appends {@code 00:24:b2:84:19:22}. */
    public StringBuilder appendColonHex(StringBuilder sb) {
        for (int i = 0; i < length; i++) {
            if (i > 0) {
                sb.append(':');
            }
            int b = get(i);
            sb.append(HEX[b >> 4]).append(HEX[b & 0xf]);
        }
        return sb;
    }

    /** Appends {@code 0024b2841922}. */
    public StringBuilder appendHex(StringBuilder sb) {
        for (int i = 0; i < length; i++) {
            int b = get(i);
            sb.append(HEX[b >> 4]).append(HEX[b & 0xf]);
        }
        return sb;
    }

    /** Appends {@code 192.168.1.1}: each byte in decimal, dot-separated. */
    public StringBuilder appendDotted(StringBuilder sb) {
        for (int i = 0; i < length; i++) {
            if (i > 0) {
                sb.append('.');
            }
            sb.append(DECIMAL[get(i)]);
        }
        return sb;
    }

    public String toColonHex() {
        return appendColonHex(new StringBuilder(length * 3)).toString();
    }

    public String toHex() {
        return appendHex(new StringBuilder(length * 2)).toString();
    }

    public String toDotted() {
        return appendDotted(new StringBuilder(length * 4)).toString();
    }

    /** Dotted for 4 bytes, colon hex otherwise. */
    @Override
    public String toString() {
        return length == 4 ? toDotted() : length == 16 ? toIpv6() : toColonHex();
    }

    /** A 16-byte address in RFC 5952 form: {@code fd00::2}, not {@code fd00:0:0:0:0:0:0:2}. */
    public String toIpv6() {
        if (length != 16) {
            throw new IllegalStateException("not 16 bytes: " + length);
        }
        return io.netty.util.NetUtil.bytesToIpAddress(toByteArray());
    }

    /** An IPv4 ({@code 10.0.0.1}) or IPv6 ({@code fd00::2}) address. */
    public static Address ip(String text) {
        byte[] b = io.netty.util.NetUtil.createByteArrayFromIpAddressString(text);
        if (b == null) {
            throw new IllegalArgumentException("not an IP address: " + text);
        }
        return of(b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Address a && length == a.length && bits == a.bits && Arrays.equals(bytes, a.bytes);
    }

    @Override
    public int hashCode() {
        return bytes != null ? Arrays.hashCode(bytes) : Long.hashCode(bits * 0x9E3779B97F4A7C15L) * 31 + length;
    }

    /** Shorter addresses first, then unsigned byte order (so 10.0.0.9 sorts before 10.0.0.10). */
    @Override
    public int compareTo(Address o) {
        if (length != o.length) {
            return Integer.compare(length, o.length);
        }
        if (bytes == null) {
            return Long.compareUnsigned(bits, o.bits);
        }
        return Arrays.compareUnsigned(bytes, o.bytes);
    }
}
