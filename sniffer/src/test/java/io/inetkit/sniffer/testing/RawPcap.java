package io.inetkit.sniffer.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * A pcap file written byte by byte, for records libpcap's own dumper would not write: any link type,
 * wire lengths above the captured ones, any microseconds field. Frames are given as hex and raw bytes.
 */
public final class RawPcap {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private long seconds = 1_700_000_000L;
    private int count;

    public RawPcap(int linkType) {
        ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(linkType);
        bytes.writeBytes(h.array());
    }

    /** A record one second after the previous, its microseconds field its index. */
    public RawPcap add(byte[] data) {
        return add(seconds++, count, data, data.length);
    }

    public RawPcap add(long sec, long usec, byte[] data, int wireLength) {
        ByteBuffer r = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        r.putInt((int) sec).putInt((int) usec).putInt(data.length).putInt(wireLength);
        bytes.writeBytes(r.array());
        bytes.writeBytes(data);
        count++;
        return this;
    }

    public byte[] toByteArray() {
        return bytes.toByteArray();
    }

    public Path write(Path file) throws IOException {
        return Files.write(file, toByteArray());
    }

    /** Bytes from hex, spaces ignored. */
    public static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    /** {@code parts} one after the other, then zeros up to {@code minLength} (Ethernet's 60). */
    public static byte[] concat(int minLength, byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        while (b.size() < minLength) {
            b.write(0);
        }
        return b.toByteArray();
    }
}
