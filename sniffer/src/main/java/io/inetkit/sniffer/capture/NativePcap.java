package io.inetkit.sniffer.capture;

import com.sun.jna.Callback;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import org.pcap4j.core.PcapHandle;

import java.lang.reflect.Field;

/**
 * The few libpcap calls pcap4j 1.8.2 does not offer in a usable form, bound with JNA to the library
 * pcap4j itself loaded:
 * <ul>
 *   <li>{@code pcap_dispatch} with a callback that reads the record header itself. pcap4j's own callback
 *       turns the header's time into a {@code java.sql.Timestamp} before any listener runs, and throws
 *       ({@code IllegalArgumentException: nanos > 999999999 or < 0}) on a record whose microseconds
 *       field is a million or more: the record is lost, and JNA prints the stack trace. Reading
 *       {@code struct pcap_pkthdr} here never throws, and keeps the field as recorded.</li>
 *   <li>{@code pcap_datalink_val_to_name} and {@code _description}: the names tcpdump prints
 *       ({@code LINUX_SLL2 (Linux cooked v2)}); pcap4j's {@code DataLinkType} knows a few dozen.</li>
 * </ul>
 * <pre>
 *   struct pcap_pkthdr {            x86_64 / LP64 offsets
 *       struct timeval ts;          0: tv_sec (long), 8: tv_usec (long)
 *       bpf_u_int32 caplen;         16: bytes captured
 *       bpf_u_int32 len;            20: bytes on the wire
 *   };
 * </pre>
 */
final class NativePcap {

    /** The name pcap4j loads libpcap by (its {@code org.pcap4j.core.pcapLibName} property). */
    private static final String LIBRARY = System.getProperty("org.pcap4j.core.pcapLibName",
            System.getProperty("os.name", "").startsWith("Windows") ? "wpcap" : "pcap");

    static {
        Native.register(NativePcap.class, NativeLibrary.getInstance(LIBRARY));
    }

    private static final int LONG = Native.LONG_SIZE;
    private static final Field HANDLE_POINTER;

    static {
        try {
            HANDLE_POINTER = PcapHandle.class.getDeclaredField("handle");
            HANDLE_POINTER.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private NativePcap() {
    }

    /** One record: its header's fields and its bytes. Must not throw (it runs inside libpcap). */
    interface RecordHandler {
        void record(long seconds, long micros, int capturedLength, int wireLength, Pointer bytes);
    }

    /** libpcap's {@code pcap_handler}. */
    interface PcapHandler extends Callback {
        void callback(Pointer user, Pointer header, Pointer bytes);
    }

    /** A {@code pcap_handler} that reads the header and hands the fields to {@code handler}. */
    static PcapHandler handler(RecordHandler handler) {
        return (user, header, bytes) -> {
            long seconds = LONG == 8 ? header.getLong(0) : header.getInt(0);
            // libpcap reads the file's 32-bit field as signed (bpf_int32) into tv_usec; tcpdump prints it
            // unsigned: so do we
            long micros = (LONG == 8 ? header.getLong(8) : header.getInt(4)) & 0xffff_ffffL;
            int caplen = header.getInt(2L * LONG);
            int len = header.getInt(2L * LONG + 4);
            handler.record(seconds, micros, caplen, len, bytes);
        };
    }

    /** The {@code pcap_t *} inside a pcap4j handle. */
    static Pointer pointer(PcapHandle handle) {
        try {
            return (Pointer) HANDLE_POINTER.get(handle);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code pcap_dispatch}: up to {@code count} records (-1: one buffer); -1 on error, -2 after breakloop. */
    static native int pcap_dispatch(Pointer p, int count, PcapHandler handler, Pointer user);

    static native String pcap_geterr(Pointer p);

    static native int pcap_datalink(Pointer p);

    static native int pcap_set_datalink(Pointer p, int dlt);

    static native String pcap_datalink_val_to_name(int dlt);

    static native String pcap_datalink_val_to_description(int dlt);
}
