package io.inetkit.sniffer.capture;

import io.inetkit.sniffer.chain.FrameSink;
import io.inetkit.sniffer.packet.CapturedFrame;

import java.io.IOException;
import java.io.OutputStream;

/**
 * {@code -w}: each matched frame into a pcap file (or stdout for {@code -w -}), with its record header as
 * it was read: seconds, the microseconds field (out of range too, as tcpdump's {@code -w} would copy it),
 * the captured length and the wire length. The format is libpcap's classic one, little-endian:
 * <pre>
 *   file header (24 bytes):  d4 c3 b2 a1 | 02 00 04 00 | thiszone 0 | sigfigs 0 | snaplen | linktype
 *   record header (16 bytes): ts_sec | ts_usec | caplen | len, then caplen bytes
 * </pre>
 * Written here and not with pcap4j's {@code PcapDumper}: the dumper records the captured length as the
 * wire length (a frame cut by the snapshot length came out whole-looking) and takes a
 * {@code java.sql.Timestamp}, which cannot hold an out-of-range microseconds field.
 */
final class DumpWriter implements FrameSink, AutoCloseable {

    static final int MAGIC_MICROS = 0xa1b2c3d4;

    private final OutputStream out;
    private final byte[] header = new byte[16];
    private final boolean closeStream;
    /** The first write error (a full disk, a pipe whose reader left): the capture stops on it. */
    private volatile IOException failure;

    /**
     * Writes the file header to {@code out}; {@code closeStream} false leaves stdout open on {@link #close()}.
     */
    DumpWriter(OutputStream out, int linkType, int snaplen, boolean closeStream) throws IOException {
        this.out = out;
        this.closeStream = closeStream;
        byte[] file = new byte[24];
        putInt(file, 0, MAGIC_MICROS);
        file[4] = 2; // version 2.4
        file[6] = 4;
        putInt(file, 16, snaplen);
        putInt(file, 20, linkType);
        out.write(file);
    }

    /** Writes one record; a write error is kept ({@link #failure()}), not thrown: it is no frame's fault. */
    @Override
    public void write(CapturedFrame frame) {
        if (failure != null) {
            return;
        }
        byte[] data = frame.data();
        putInt(header, 0, (int) frame.seconds());
        putInt(header, 4, (int) frame.microsecondsField());
        putInt(header, 8, data.length);
        putInt(header, 12, frame.originalLength());
        try {
            out.write(header);
            out.write(data);
        } catch (IOException e) {
            failure = e;
        }
    }

    /** End of a batch: what is written reaches the file or the pipe (a reader of {@code -w -} sees it now). */
    @Override
    public void flush() {
        if (failure != null) {
            return;
        }
        try {
            out.flush();
        } catch (IOException e) {
            failure = e;
        }
    }

    /** The first write error, or null. */
    IOException failure() {
        return failure;
    }

    @Override
    public void close() throws IOException {
        if (closeStream) {
            out.close();
        } else if (failure == null) {
            out.flush();
        }
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >> 8);
        b[at + 2] = (byte) (v >> 16);
        b[at + 3] = (byte) (v >> 24);
    }
}
