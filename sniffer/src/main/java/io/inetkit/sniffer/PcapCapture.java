package io.inetkit.sniffer;

import io.inetkit.common.cli.Cli;
import io.inetkit.common.cli.UserException;
import io.inetkit.sniffer.pipeline.ArpPipeline;
import io.inetkit.sniffer.pipeline.CaptureStats;
import io.inetkit.sniffer.pipeline.CaptureSummary;
import io.inetkit.sniffer.pipeline.CapturedFrame;
import io.inetkit.sniffer.pipeline.FrameSink;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapDumper;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.PcapStat;
import org.pcap4j.core.Pcaps;
import org.pcap4j.core.RawPacketListener;
import org.pcap4j.packet.namednumber.DataLinkType;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A pcap4j capture feeding an {@link ArpPipeline}: live from an interface or from a capture file, with
 * every libpcap failure turned into one {@link UserException} line with its exit code.
 *
 * <p>Frames come through {@code pcap_dispatch} as raw bytes ({@link RawPacketListener}): pcap4j's own
 * packet objects are never built, the pipeline decodes. A live capture never blocks for long on a quiet
 * link: it runs in immediate mode with a {@value #LIVE_READ_TIMEOUT_MILLIS} ms read timeout (libpcap
 * then uses TPACKET_V2, whose poll honours the timeout, unlike TPACKET_V3's), so the loop sees a stop
 * request within that time even if {@code pcap_breakloop} could not wake it.
 *
 * <p>The filter runs where libpcap puts it: in the kernel for a live capture, inside libpcap's file reader
 * for a file. Either way the sniffer only sees what matched; "received" in the statistics is the kernel's
 * count for a live capture and the frames libpcap delivered from a file. (Filtering a file's frames here
 * instead, with {@code pcap_offline_filter} through pcap4j, would count the frames the filter rejects,
 * but costs about a fifth of the CPU of a run, in JNA's structure marshalling.)
 */
final class PcapCapture implements AutoCloseable {

    /** Frames per dispatch when reading a file: output is flushed after each batch. */
    static final int FILE_BATCH = 4096;
    /** Batches the capture thread may be ahead of the pipeline. */
    static final int QUEUED_BATCHES = 8;
    private static final Object END = new Object();
    static final int LIVE_READ_TIMEOUT_MILLIS = 100;

    private final PcapHandle handle;
    private final boolean live;
    private final String source;
    private final boolean filtered;
    private volatile boolean stopRequested;
    private volatile UserException failure;
    /** Frames the capture thread has read (for the message of a damaged file). */
    private long framesRead;
    /** Frames the capture thread could not hand over (counted as malformed). */
    private long unreadable;
    /** The frames read since the last hand-over; the capture thread's alone. */
    private List<CapturedFrame> pending = new ArrayList<>(FILE_BATCH);

    private PcapCapture(PcapHandle handle, boolean live, String source, boolean filtered) {
        this.handle = handle;
        this.live = live;
        this.source = source;
        this.filtered = filtered;
    }

    /** Loads libpcap, or fails with {@link SniffCommand#EXIT_NO_LIBPCAP}. */
    static String checkLibpcap() {
        try {
            return Pcaps.libVersion();
        } catch (LinkageError e) {
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof UnsatisfiedLinkError)) {
                cause = cause.getCause();
            }
            String detail = cause.getMessage() == null ? cause.toString() : cause.getMessage().lines().findFirst().orElse("");
            throw new UserException("libpcap not found (install it: apt-get install libpcap0.8): " + detail,
                    SniffCommand.EXIT_NO_LIBPCAP);
        }
    }

    /** Opens the capture {@code settings} ask for, with its filter set. */
    static PcapCapture open(SniffSettings settings) {
        return settings.live() ? openLive(settings) : openFile(settings);
    }

    private static PcapCapture openLive(SniffSettings s) {
        String name = s.interfaceName();
        PcapNetworkInterface nif;
        try {
            nif = Pcaps.getDevByName(name);
        } catch (PcapNativeException e) {
            throw classifyOpenError(name, e);
        }
        if (nif == null) {
            throw noSuchInterface(name);
        }
        PcapHandle handle;
        try {
            handle = new PcapHandle.Builder(name)
                    .snaplen(s.snaplen())
                    .promiscuousMode(s.promiscuous() ? PcapNetworkInterface.PromiscuousMode.PROMISCUOUS
                            : PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
                    .timeoutMillis(LIVE_READ_TIMEOUT_MILLIS)
                    .immediateMode(true)
                    .build();
        } catch (PcapNativeException e) {
            throw classifyOpenError(name, e);
        }
        try {
            if (handle.getDlt() != DataLinkType.EN10MB) {
                throw new UserException("interface " + name + " has link type " + handle.getDlt().name()
                        + "; inetkit sniff decodes Ethernet (EN10MB) interfaces", Cli.EXIT_RUNTIME);
            }
            if (!s.filter().isBlank()) {
                handle.setFilter(s.filter(), BpfProgram.BpfCompileMode.OPTIMIZE, PcapHandle.PCAP_NETMASK_UNKNOWN);
            }
            return new PcapCapture(handle, true, "interface " + name, !s.filter().isBlank());
        } catch (PcapNativeException e) {
            handle.close();
            throw badFilter(s.filter(), e);
        } catch (NotOpenException | RuntimeException e) {
            handle.close();
            throw e instanceof UserException u ? u : new UserException(Cli.describe(e), Cli.EXIT_RUNTIME, e);
        }
    }

    private static PcapCapture openFile(SniffSettings s) {
        Path file = s.readFile();
        PcapHandle handle;
        try {
            handle = Pcaps.openOffline(file.toString());
        } catch (PcapNativeException e) {
            throw new UserException("cannot read capture file " + file + ": " + libpcapMessage(e),
                    SniffCommand.EXIT_BAD_CAPTURE_FILE);
        }
        try {
            if (handle.getDlt() != DataLinkType.EN10MB) {
                throw new UserException("capture file " + file + " has link type " + handle.getDlt().name()
                        + "; inetkit sniff decodes Ethernet (EN10MB) captures", SniffCommand.EXIT_BAD_CAPTURE_FILE);
            }
            if (!s.filter().isBlank()) {
                handle.setFilter(s.filter(), BpfProgram.BpfCompileMode.OPTIMIZE, PcapHandle.PCAP_NETMASK_UNKNOWN);
            }
            return new PcapCapture(handle, false, "capture file " + file, !s.filter().isBlank());
        } catch (PcapNativeException e) {
            handle.close();
            throw badFilter(s.filter(), e);
        } catch (NotOpenException | RuntimeException e) {
            handle.close();
            throw e instanceof UserException u ? u : new UserException(Cli.describe(e), Cli.EXIT_RUNTIME, e);
        }
    }

    private static UserException classifyOpenError(String name, PcapNativeException e) {
        String msg = libpcapMessage(e);
        String lower = msg.toLowerCase(Locale.ROOT);
        if (lower.contains("no such device")) {
            return noSuchInterface(name);
        }
        if (lower.contains("permission") || lower.contains("operation not permitted")) {
            return new UserException("no permission to capture on " + name
                    + ": run as root, or grant CAP_NET_RAW (and CAP_NET_ADMIN for promiscuous mode), e.g. "
                    + "setcap cap_net_raw,cap_net_admin=eip on the java binary (" + msg + ")",
                    SniffCommand.EXIT_NO_PERMISSION);
        }
        return new UserException("cannot capture on " + name + ": " + msg, Cli.EXIT_RUNTIME);
    }

    private static UserException noSuchInterface(String name) {
        return new UserException("no such interface: " + name + " (inetkit sniff --list-interfaces lists them)",
                SniffCommand.EXIT_NO_SUCH_INTERFACE);
    }

    private static UserException badFilter(String filter, PcapNativeException e) {
        return new UserException("bad BPF filter '" + filter + "': " + libpcapMessage(e), SniffCommand.EXIT_BAD_FILTER);
    }

    /** libpcap's message without pcap4j's prefixes and newlines. */
    static String libpcapMessage(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceFirst("^Error occurr?ed( in \\w+(\\(\\))?)?: ", "").replace('\n', ' ').trim();
    }

    /**
     * Opens {@code file} for the matched frames ({@code -w}); the dump has this capture's link type and
     * snapshot length, so tcpdump and Wireshark read it.
     */
    FrameSink openDump(Path file) {
        PcapDumper dumper;
        try {
            dumper = handle.dumpOpen(file.toString());
        } catch (PcapNativeException | NotOpenException e) {
            throw new UserException("cannot write " + file + ": " + libpcapMessage(e), SniffCommand.EXIT_FILE);
        }
        return new DumpSink(dumper);
    }

    /**
     * Feeds frames to {@code pipeline} until the file ends, {@code count} frames matched (0: no limit), or
     * {@link #stop()}; stops early too when {@code outputBroken} says stdout is gone. A read error ends the
     * capture; {@link #failure()} then tells what it was.
     *
     * <p>Two threads share the work, like dumpcap and tshark: a capture thread ("pcap-capture") only reads
     * (libpcap and pcap4j's callback, one {@link CapturedFrame} per frame) and hands over batches of
     * frames; the calling thread runs the pipeline on them and writes the output.
     * Reading never waits for a slow terminal (fewer kernel drops on a busy link), and on two cores the
     * halves run side by side. The queue between them is bounded: when the pipeline falls behind, the
     * capture thread waits.
     */
    void run(ArpPipeline pipeline, CaptureStats stats, long count, BooleanSupplier outputBroken) {
        BlockingQueue<Object> batches = new ArrayBlockingQueue<>(QUEUED_BATCHES);
        Thread reader = new Thread(() -> read(batches), "pcap-capture");
        reader.setDaemon(true);
        reader.start();
        boolean countReached = false;
        try {
            while (!countReached) {
                Object next = batches.take();
                if (next == END) {
                    break;
                }
                @SuppressWarnings("unchecked")
                List<CapturedFrame> batch = (List<CapturedFrame>) next;
                for (CapturedFrame frame : batch) {
                    stats.matched();
                    pipeline.frame(frame);
                    if (count > 0 && stats.matchedCount() >= count) {
                        countReached = true;
                        break;
                    }
                }
                pipeline.batchComplete();
                if (outputBroken.getAsBoolean()) {
                    stop();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stop();
            batches.clear(); // unblocks a reader waiting to hand over a batch
            try {
                reader.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stats.unreadable(unreadable);
        }
        if (countReached) {
            failure = null; // what the reader found past the last frame asked for does not matter
        }
    }

    /** The capture thread: dispatch, hand over batches, then {@link #END}. */
    private void read(BlockingQueue<Object> batches) {
        RawPacketListener listener = this::onPacket;
        try {
            while (!stopRequested) {
                int n;
                try {
                    n = handle.dispatch(live ? -1 : FILE_BATCH, listener);
                } catch (InterruptedException e) {
                    n = -2; // pcap_breakloop: stopRequested is set
                } catch (PcapNativeException e) {
                    failure = live
                            ? new UserException("capture on " + source + " failed: " + libpcapMessage(e),
                                    Cli.EXIT_RUNTIME)
                            : new UserException(source + " is truncated or damaged after " + framesRead
                                    + (filtered ? " matching frames: " : " frames: ") + libpcapMessage(e),
                                    SniffCommand.EXIT_BAD_CAPTURE_FILE);
                    break;
                } catch (NotOpenException e) {
                    break;
                }
                if (!hand(batches)) {
                    return;
                }
                if (!live && n == 0) {
                    break; // end of file
                }
            }
            hand(batches);
        } finally {
            put(batches, END);
        }
    }

    /** Hands over the frames collected so far; false when the consumer has gone. */
    private boolean hand(BlockingQueue<Object> batches) {
        if (pending.isEmpty()) {
            return true;
        }
        List<CapturedFrame> full = pending;
        pending = new ArrayList<>(live ? 64 : FILE_BATCH);
        return put(batches, full);
    }

    private boolean put(BlockingQueue<Object> batches, Object item) {
        try {
            while (!batches.offer(item, LIVE_READ_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                if (stopRequested && item != END) {
                    return false; // stopping, and the pipeline is not taking any more
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void onPacket(byte[] packet) {
        if (stopRequested) {
            return; // the rest of a dispatch after a stop
        }
        try {
            Integer original = handle.getOriginalLength();
            int length = original == null ? packet.length : Math.max(original, packet.length);
            pending.add(new CapturedFrame(micros(handle.getTimestamp()), length, packet));
            framesRead++;
        } catch (RuntimeException e) {
            // an exception must not escape into pcap4j's callback: it would end the capture
            unreadable++;
        }
    }

    static long micros(Timestamp t) {
        return Math.floorDiv(t.getTime(), 1000L) * 1_000_000L + t.getNanos() / 1000;
    }

    static Timestamp timestamp(long micros) {
        Timestamp t = new Timestamp(Math.floorDiv(micros, 1_000_000L) * 1000L);
        t.setNanos((int) Math.floorMod(micros, 1_000_000L) * 1000);
        return t;
    }

    /**
     * What tcpdump says when it starts: {@code listening on eth0, link-type EN10MB (Ethernet), snapshot
     * length 262144 bytes} or {@code reading from file x.pcap, link-type EN10MB (Ethernet), snapshot
     * length 65535}, with the filter.
     */
    String banner(String filter) {
        String snaplen;
        try {
            snaplen = String.valueOf(handle.getSnapshot());
        } catch (NotOpenException e) {
            snaplen = "?";
        }
        return (live ? "listening on " + source.substring("interface ".length())
                : "reading from file " + source.substring("capture file ".length()))
                + ", link-type EN10MB (Ethernet), snapshot length " + snaplen + (live ? " bytes" : "")
                + (filter.isBlank() ? ", no filter" : ", filter '" + filter + "'");
    }

    /** Asks the capture to stop: the loop ends within one read timeout. Safe from any thread. */
    void stop() {
        stopRequested = true;
        try {
            handle.breakLoop();
        } catch (NotOpenException e) {
            // already closed: nothing to break
        }
    }

    boolean live() {
        return live;
    }

    /** What ended the capture early, or null. */
    UserException failure() {
        return failure;
    }

    /** The statistics, with the kernel's counters for a live capture. */
    CaptureSummary summary(CaptureStats stats) {
        long received = 0;
        long dropped = 0;
        if (live) {
            try {
                PcapStat ps = handle.getStats();
                received = ps.getNumPacketsReceived();
                dropped = ps.getNumPacketsDropped();
            } catch (PcapNativeException | NotOpenException e) {
                org.slf4j.LoggerFactory.getLogger(PcapCapture.class).debug("no statistics: {}", e.toString());
            }
        }
        return live ? stats.liveSummary(received, dropped) : stats.fileSummary();
    }

    @Override
    public void close() {
        if (handle.isOpen()) {
            handle.close();
        }
    }

    /** {@code -w}: each matched frame into a pcap file, with its capture time. */
    private static final class DumpSink implements FrameSink, AutoCloseable {
        private final PcapDumper dumper;

        DumpSink(PcapDumper dumper) {
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
    }

    /** Closes a sink returned by {@link #openDump}. */
    static void closeDump(FrameSink sink) {
        if (sink instanceof DumpSink d) {
            d.close();
        }
    }
}
