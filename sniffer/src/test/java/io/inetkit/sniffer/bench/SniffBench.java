package io.inetkit.sniffer.bench;

import io.inetkit.sniffer.chain.ArpPipeline;
import io.inetkit.sniffer.chain.ArpPipelineInitializer;
import io.inetkit.sniffer.chain.CaptureStats;
import io.inetkit.sniffer.chain.PipelineSettings;
import io.inetkit.sniffer.packet.CapturedFrame;
import io.inetkit.sniffer.watch.StationTable;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;
import org.pcap4j.core.RawPacketListener;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The sniffer's benchmark (not a test): {@code generate FILE N} writes an N-frame ARP capture,
 * {@code decode FILE} measures how many frames per second the handler chain decodes.
 * Run by {@code sniffer/bench/sniff-bench.sh}.
 */
public final class SniffBench {

    private SniffBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 3 && args[0].equals("generate")) {
            generate(Path.of(args[1]), Integer.parseInt(args[2]));
        } else if (args.length >= 2 && args[0].equals("decode")) {
            decode(Path.of(args[1]));
        } else {
            System.err.println("usage: SniffBench generate FILE FRAMES | decode FILE");
            System.exit(2);
        }
    }

    /**
     * A LAN's worth of ARP: 254 hosts of 10.0.0.0/24 asking for each other (60 %) and answering (37 %),
     * with a few announcements (2 %) and probes (1 %); untagged, so that the default filter {@code arp}
     * and tcpdump without a filter see the same million frames; Ethernet frames padded to the
     * 60-byte minimum, 1 to 20 microseconds apart. Written straight in the pcap format (24-byte file
     * header, 16-byte record headers): pcap4j's dumper goes through JNA per frame and takes minutes for a
     * million frames, and the format is fixed (tcpdump reads the file, the script checks it).
     */
    static void generate(Path file, int frames) throws IOException {
        SplittableRandom random = new SplittableRandom(42);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                    .putInt(65535).putInt(1); // magic, version 2.4, zone, sigfigs, snaplen, EN10MB
            long t = 1_700_000_000_000_000L;
            for (int i = 0; i < frames; i++) {
                if (b.remaining() < 128) {
                    b.flip();
                    ch.write(b);
                    b.clear();
                }
                t += 1 + random.nextInt(20);
                int sender = 1 + random.nextInt(254);
                int target = 1 + random.nextInt(254);
                int kind = random.nextInt(100);
                int op = kind < 60 || kind >= 97 ? 1 : 2;
                boolean vlan = false;
                if (kind >= 97) {
                    target = kind == 99 ? target : sender; // announcements, then probes below
                }
                int length = vlan ? 64 : 60;
                b.putInt((int) (t / 1_000_000)).putInt((int) (t % 1_000_000)).putInt(length).putInt(length);
                b.order(ByteOrder.BIG_ENDIAN);
                if (op == 1) {
                    b.putInt(-1).putShort((short) -1);
                } else {
                    b.putInt(0x02000000).putShort((short) target);
                }
                b.putInt(0x02000000).putShort((short) sender);
                if (vlan) {
                    b.putShort((short) 0x8100).putShort((short) (100 + kind % 7));
                }
                b.putShort((short) 0x0806).putShort((short) 1).putShort((short) 0x0800)
                        .put((byte) 6).put((byte) 4).putShort((short) op);
                b.putInt(0x02000000).putShort((short) sender).putInt(kind == 99 ? 0 : 0x0a000000 | sender);
                if (op == 1) {
                    b.putInt(0).putShort((short) 0);
                } else {
                    b.putInt(0x02000000).putShort((short) target);
                }
                b.putInt(0x0a000000 | target);
                b.put(new byte[18]);
                b.order(ByteOrder.LITTLE_ENDIAN);
            }
            b.flip();
            ch.write(b);
        }
    }

    static void decode(Path file) throws Exception {
        List<CapturedFrame> frames = read(file);
        System.out.printf(Locale.ROOT, "read %,d frames from %s%n", frames.size(), file);
        PipelineSettings base = PipelineSettings.builder().zone(ZoneId.of("UTC")).build();
        for (int round = 1; round <= 5; round++) {
            report("decode (ethernet, vlan, arp, classify)", round, frames, base, false);
            report("decode + line format", round, frames, base, true);
            report("decode + watch + line format", round, frames, base.withWatch(true), true);
        }
    }

    private static void report(String what, int round, List<CapturedFrame> frames, PipelineSettings settings,
                               boolean format) {
        CaptureStats stats = new CaptureStats();
        PrintWriter nul = new PrintWriter(new BufferedOutputStream(OutputStream.nullOutputStream(), 1 << 16));
        long[] consumed = new long[1];
        ArpPipeline pipeline = new ArpPipeline(new ArpPipelineInitializer(settings, stats,
                settings.watch() ? new StationTable(Duration.ofSeconds(10)) : null, null, nul, nul));
        {
            if (!format) {
                pipeline.pipeline().replace(ArpPipelineInitializer.OUTPUT, "count", (ctx, msg) -> consumed[0]++);
            }
            long start = System.nanoTime();
            int i = 0;
            for (CapturedFrame f : frames) {
                pipeline.frame(f);
                if (++i % 4096 == 0) {
                    pipeline.batchComplete();
                }
            }
            pipeline.batchComplete();
            long nanos = System.nanoTime() - start;
            System.out.printf(Locale.ROOT, "round %d  %-40s %,12.0f frames/s  (%,d decoded, %,d malformed)%n",
                    round, what, frames.size() * 1e9 / nanos, stats.fileSummary().decoded(),
                    stats.fileSummary().malformed());
        }
    }

    private static List<CapturedFrame> read(Path file) throws Exception {
        List<CapturedFrame> frames = new ArrayList<>();
        try (PcapHandle handle = Pcaps.openOffline(file.toString())) {
            RawPacketListener listener = packet -> {
                java.sql.Timestamp t = handle.getTimestamp();
                frames.add(new CapturedFrame(t.getTime() / 1000 * 1_000_000 + t.getNanos() / 1000,
                        Math.max(handle.getOriginalLength(), packet.length), packet));
            };
            while (handle.dispatch(65536, listener) > 0) {
                // until the end of the file
            }
        }
        return frames;
    }
}
