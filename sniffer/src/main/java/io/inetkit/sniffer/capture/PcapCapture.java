package io.inetkit.sniffer.capture;

import io.inetkit.common.cli.Cli;
import io.inetkit.common.cli.UserException;
import io.inetkit.sniffer.chain.ArpPipeline;
import io.inetkit.sniffer.chain.CaptureStats;
import io.inetkit.sniffer.chain.CaptureSummary;
import io.inetkit.sniffer.chain.FrameSink;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.PcapStat;
import org.pcap4j.core.Pcaps;
import io.inetkit.sniffer.packet.LinkType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * An open pcap4j handle on a {@link CaptureSource}, live or a file, of a link type the sniffer decodes
 * (Ethernet, Linux cooked SLL and SLL2), with its filter set: what the
 * command runs ({@link #run}), stops ({@link #stop}) and closes. Every libpcap failure becomes one
 * {@link UserException} line with its {@link SniffExit} code ({@link PcapErrors}).
 *
 * <p>Frames come through {@code pcap_dispatch} as raw bytes: pcap4j's own packet objects are never built,
 * the pipeline decodes ({@link CaptureLoop}). A live capture never blocks for long on a quiet link: it
 * runs in immediate mode with a {@value #LIVE_READ_TIMEOUT_MILLIS} ms read timeout (libpcap then uses
 * TPACKET_V2, whose poll honours the timeout, unlike TPACKET_V3's), so the loop sees a stop request
 * within that time even if {@code pcap_breakloop} could not wake it.
 *
 * <p>The filter runs where libpcap puts it: in the kernel for a live capture, inside libpcap's file reader
 * for a file. Either way the sniffer only sees what matched; "received" in the statistics is the kernel's
 * count for a live capture and the frames libpcap delivered from a file. (Filtering here instead, with
 * {@code pcap_offline_filter}, would count what the filter rejects, but JNA's marshalling makes it
 * costly: see the sniffer's BENCHMARKS.md.)
 */
public final class PcapCapture implements AutoCloseable {

    static final int LIVE_READ_TIMEOUT_MILLIS = 100;
    /** libpcap's pseudo-interface for every interface at once (Linux cooked capture). */
    static final String ANY = "any";

    private static final Logger LOG = LoggerFactory.getLogger(PcapCapture.class);

    private final PcapHandle handle;
    private final CaptureSource source;
    private final CaptureLoop loop;
    private DumpWriter dump;

    private PcapCapture(PcapHandle handle, CaptureSource source) {
        this.handle = handle;
        this.source = source;
        this.loop = new CaptureLoop(handle, source);
    }

    /**
     * Opens {@code source}: the interface or the file, then (one path for both) checks that it is
     * Ethernet and sets the filter.
     */
    public static PcapCapture open(CaptureSource source) {
        PcapHandle handle = source.live() ? openInterface(source) : openFile(source);
        try {
            if (source.live() && ANY.equals(source.interfaceName())) {
                // as tcpdump 4.99 does: SLL2 carries the interface index, SLL (libpcap's default) does not
                NativePcap.pcap_set_datalink(NativePcap.pointer(handle), LinkType.LINUX_SLL2);
            }
            int dlt = NativePcap.pcap_datalink(NativePcap.pointer(handle));
            if (!LinkType.decodable(dlt)) {
                throw PcapErrors.notDecodable(source, linkTypeName(dlt));
            }
            if (source.filtered()) {
                handle.setFilter(source.filter(), BpfProgram.BpfCompileMode.OPTIMIZE, PcapHandle.PCAP_NETMASK_UNKNOWN);
            }
            return new PcapCapture(handle, source);
        } catch (PcapNativeException e) {
            handle.close();
            throw PcapErrors.badFilter(source.filter(), e);
        } catch (UserException e) {
            handle.close();
            throw e;
        } catch (NotOpenException | RuntimeException e) {
            handle.close();
            throw new UserException(Cli.describe(e), Cli.EXIT_RUNTIME, e);
        }
    }

    private static PcapHandle openInterface(CaptureSource s) {
        String name = s.interfaceName();
        try {
            PcapNetworkInterface nif = Pcaps.getDevByName(name);
            if (nif == null) {
                throw PcapErrors.noSuchInterface(name);
            }
            return new PcapHandle.Builder(name)
                    .snaplen(s.snaplen())
                    .promiscuousMode(s.promiscuous() ? PromiscuousMode.PROMISCUOUS : PromiscuousMode.NONPROMISCUOUS)
                    .timeoutMillis(LIVE_READ_TIMEOUT_MILLIS)
                    .immediateMode(true)
                    .build();
        } catch (PcapNativeException e) {
            throw PcapErrors.openInterface(name, e);
        }
    }

    private static PcapHandle openFile(CaptureSource s) {
        try {
            return Pcaps.openOffline(s.file().toString());
        } catch (PcapNativeException e) {
            throw PcapErrors.unreadableFile(s.file(), e);
        }
    }

    /** The {@code -w} file name that means stdout, as for tcpdump. */
    public static final String STDOUT = "-";

    /**
     * Opens {@code file} for the matched frames ({@code -w}; {@value #STDOUT} is stdout, which then carries
     * only the pcap stream); the dump has this capture's link type and snapshot length, so tcpdump and
     * Wireshark read it. {@link #close()} closes it.
     */
    public FrameSink writeTo(Path file) {
        boolean stdout = file.toString().equals(STDOUT);
        try {
            OutputStream os = stdout ? new FileOutputStream(FileDescriptor.out) : Files.newOutputStream(file);
            dump = new DumpWriter(new BufferedOutputStream(os, 1 << 16), linkType(), handle.getSnapshot(), !stdout);
            return dump;
        } catch (IOException | NotOpenException e) {
            throw new UserException("cannot write " + (stdout ? "stdout" : file) + ": " + e.getMessage(),
                    SniffExit.FILE);
        }
    }

    /** The IPv4 subnets of the live interface ({@code 192.168.1.0/24}); empty for a file or an interface without. */
    public java.util.List<io.inetkit.sniffer.watch.LocalNetwork> interfaceNetworks() {
        java.util.List<io.inetkit.sniffer.watch.LocalNetwork> nets = new java.util.ArrayList<>();
        if (!source.live()) {
            return nets;
        }
        try {
            PcapNetworkInterface nif = Pcaps.getDevByName(source.interfaceName());
            if (nif == null) {
                return nets;
            }
            for (org.pcap4j.core.PcapAddress a : nif.getAddresses()) {
                if (a.getAddress() instanceof java.net.Inet4Address ip && a.getNetmask() != null) {
                    int prefix = Integer.bitCount(java.nio.ByteBuffer.wrap(a.getNetmask().getAddress()).getInt());
                    nets.add(new io.inetkit.sniffer.watch.LocalNetwork(
                            io.inetkit.sniffer.packet.Address.of(ip.getAddress()), prefix));
                }
            }
        } catch (PcapNativeException e) {
            LOG.debug("no interface addresses: {}", e.toString());
        }
        return nets;
    }

    /**
     * True once the {@code -w} file (or stdout) could not be written: the command stops the capture then.
     */
    public boolean writeFailed() {
        return dump != null && dump.failure() != null;
    }

    /** The {@code -w} write error as one line and {@link SniffExit#FILE}, or null. */
    public UserException writeFailure(Path file) {
        if (dump == null || dump.failure() == null) {
            return null;
        }
        String target = file.toString().equals(STDOUT) ? "stdout" : file.toString();
        return new UserException("cannot write " + target + ": " + dump.failure().getMessage(), SniffExit.FILE);
    }

    /** The capture's link type (a {@code DLT_} value). */
    public int linkType() {
        return NativePcap.pcap_datalink(NativePcap.pointer(handle));
    }

    /** libpcap's name of a link type, as tcpdump prints it: {@code LINUX_SLL2 (Linux cooked v2)}, or the number. */
    public static String linkTypeName(int dlt) {
        String name = NativePcap.pcap_datalink_val_to_name(dlt);
        if (name == null) {
            return String.valueOf(dlt);
        }
        String description = NativePcap.pcap_datalink_val_to_description(dlt);
        return description == null ? name : name + " (" + description + ")";
    }

    /**
     * Feeds frames to {@code pipeline} until the file ends, {@code count} frames matched (0: no limit), or
     * {@link #stop()}; stops early too when {@code outputBroken} says stdout is gone. A read error ends the
     * capture; {@link #failure()} then tells what it was.
     */
    public void run(ArpPipeline pipeline, CaptureStats stats, long count, BooleanSupplier outputBroken) {
        loop.run(pipeline, stats, count, outputBroken);
    }

    /** Asks the capture to stop: the loop ends within one read timeout. Safe from any thread. */
    public void stop() {
        loop.stop();
    }

    /** What ended the capture early, or null. */
    public UserException failure() {
        return loop.failure();
    }

    /**
     * What tcpdump says when it starts: {@code listening on eth0, link-type EN10MB (Ethernet), snapshot
     * length 262144 bytes} or {@code reading from file x.pcap, link-type EN10MB (Ethernet), snapshot
     * length 65535}, with the filter.
     */
    public String banner() {
        String snaplen;
        try {
            snaplen = String.valueOf(handle.getSnapshot());
        } catch (NotOpenException e) {
            snaplen = "?";
        }
        boolean live = source.live();
        return (live ? "listening on " + source.interfaceName() : "reading from file " + source.file())
                + ", link-type " + linkTypeName(linkType()) + ", snapshot length " + snaplen + (live ? " bytes" : "")
                + (source.filtered() ? ", filter '" + source.filter() + "'" : ", no filter");
    }

    /** The statistics, with the kernel's counters for a live capture. */
    public CaptureSummary summary(CaptureStats stats) {
        if (!source.live()) {
            return stats.fileSummary();
        }
        long received = 0;
        long dropped = 0;
        try {
            PcapStat ps = handle.getStats();
            received = ps.getNumPacketsReceived();
            dropped = ps.getNumPacketsDropped();
        } catch (PcapNativeException | NotOpenException e) {
            LOG.debug("no statistics: {}", e.toString());
        }
        return stats.liveSummary(received, dropped);
    }

    /** Closes the {@code -w} file, then the handle. */
    @Override
    public void close() {
        if (dump != null) {
            try {
                dump.close();
            } catch (IOException e) {
                LOG.warn("closing the -w file: {}", e.toString());
            }
            dump = null;
        }
        if (handle.isOpen()) {
            handle.close();
        }
    }
}
