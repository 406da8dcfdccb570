package io.inetkit.sniffer.capture;

import io.inetkit.sniffer.chain.FrameSink;
import io.inetkit.sniffer.packet.CapturedFrame;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapDumper;

import java.sql.Timestamp;

/** {@code -w}: each matched frame into a pcap file, with its capture time. */
final class DumpWriter implements FrameSink, AutoCloseable {

    private final PcapDumper dumper;

    DumpWriter(PcapDumper dumper) {
        this.dumper = dumper;
    }

    @Override
    public void write(CapturedFrame frame) throws NotOpenException {
        dumper.dumpRaw(frame.data(), timestamp(frame.timestampMicros()));
    }

    @Override
    public void close() {
        dumper.close();
    }

    static Timestamp timestamp(long micros) {
        Timestamp t = new Timestamp(Math.floorDiv(micros, 1_000_000L) * 1000L);
        t.setNanos((int) Math.floorMod(micros, 1_000_000L) * 1000);
        return t;
    }
}
