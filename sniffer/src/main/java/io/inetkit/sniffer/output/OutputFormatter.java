package io.inetkit.sniffer.output;

import io.inetkit.sniffer.chain.CaptureEnded;
import io.inetkit.sniffer.chain.CaptureSummary;
import io.inetkit.sniffer.chain.FrameContext;
import io.inetkit.sniffer.chain.FrameHandler;
import io.inetkit.sniffer.packet.ArpFrame;
import io.inetkit.sniffer.packet.AtmArpFrame;
import io.inetkit.sniffer.packet.NdFrame;
import io.inetkit.sniffer.packet.TruncatedNd;
import io.inetkit.sniffer.packet.TruncatedArp;
import io.inetkit.sniffer.watch.Alert;
import io.inetkit.sniffer.watch.Station;
import io.inetkit.sniffer.watch.IgnoredClaims;
import io.inetkit.sniffer.watch.StationReport;

import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.List;

/**
 * The output stage: turns {@link ArpFrame}s, {@link Alert}s, the {@link StationReport} and the
 * {@link CaptureSummary} into text. It consumes what it prints (nothing goes past it) and passes on
 * anything else.
 *
 * <p>Text is collected in buffers and written once per batch, in {@code channelReadComplete} (or when a
 * buffer grows past {@value #FLUSH_THRESHOLD} characters), to the command's writers. Subclasses format
 * the frames; alerts, the station table and the statistics have a shared text form here, on stderr
 * except the table, which goes to stdout.
 */
abstract class OutputFormatter implements FrameHandler {

    static final int FLUSH_THRESHOLD = 1 << 16;

    private final PrintWriter out;
    private final PrintWriter err;
    private char[] chars = new char[FLUSH_THRESHOLD + 4096];
    protected final StringBuilder outText = new StringBuilder(FLUSH_THRESHOLD + 4096);
    protected final StringBuilder errText = new StringBuilder(256);
    protected final TimeFormat time;

    OutputFormatter(PrintWriter out, PrintWriter err, ZoneId zone) {
        this.out = out;
        this.err = err;
        this.time = new TimeFormat(zone);
    }

    @Override
    public final void read(FrameContext ctx, Object msg) throws Exception {
        if (msg instanceof ArpFrame frame) {
            frame(frame);
        } else if (msg instanceof TruncatedArp frame) {
            truncated(frame);
        } else if (msg instanceof AtmArpFrame frame) {
            atm(frame);
        } else if (msg instanceof NdFrame frame) {
            nd(frame);
        } else if (msg instanceof TruncatedNd frame) {
            truncatedNd(frame);
        } else if (msg instanceof Alert alert) {
            alert(alert);
        } else if (msg instanceof StationReport report) {
            stations(report);
        } else if (msg instanceof IgnoredClaims ignored) {
            ignored(ignored);
        } else if (msg instanceof CaptureSummary summary) {
            summary(summary);
        } else {
            ctx.fireRead(msg);
            return;
        }
        if (outText.length() >= FLUSH_THRESHOLD) {
            flush();
        }
    }

    @Override
    public void readComplete(FrameContext ctx) throws Exception {
        flush();
        ctx.fireReadComplete();
    }

    @Override
    public void event(FrameContext ctx, Object evt) throws Exception {
        if (evt == CaptureEnded.INSTANCE) {
            flush();
        }
        ctx.fireEvent(evt);
    }

    /** Formats one decoded frame. */
    abstract void frame(ArpFrame frame) throws Exception;

    /** Formats an ARP frame cut short (tcpdump's {@code [|arp]}). */
    abstract void truncated(TruncatedArp frame) throws Exception;

    /** Formats an ATM ARP frame (RFC 2225). */
    abstract void atm(AtmArpFrame frame) throws Exception;

    /** Formats an IPv6 neighbour discovery frame. */
    abstract void nd(NdFrame frame) throws Exception;

    /** Formats a neighbour discovery message cut short ({@code [|icmp6]}). */
    abstract void truncatedNd(TruncatedNd frame) throws Exception;

    /** An alert: one line on stderr, {@code 22:13:20.123456 alert duplicate-address: ...}. */
    void alert(Alert alert) throws Exception {
        time.appendTime(errText, alert.timestampMicros());
        errText.append(" alert ").append(alert.kind().label()).append(": ").append(alert.message()).append('\n');
    }

    /** The station table, on stdout, one row per IP address. */
    void stations(StationReport report) throws Exception {
        List<Station> rows = report.stations();
        StringBuilder sb = outText;
        sb.append("station table: ").append(rows.size()).append(rows.size() == 1 ? " station\n" : " stations\n");
        if (rows.isEmpty()) {
            return;
        }
        sb.append(String.format("%-15s  %-17s  %-26s  %-26s  %s%n", "IP", "MAC", "FIRST SEEN", "LAST SEEN", "COUNT"));
        for (Station s : rows) {
            int start = sb.length();
            sb.append(s.ip()); // dotted, or RFC 5952 for IPv6
            pad(sb, start + 17);
            if (sb.length() > start + 17) {
                sb.append("  ");
            }
            s.mac().appendColonHex(sb);
            sb.append("  ");
            time.appendDateTime(sb, s.firstSeen());
            sb.append("  ");
            time.appendDateTime(sb, s.lastSeen());
            sb.append("  ").append(s.count());
            if (s.previousMac() != null) {
                sb.append("  (was ").append(s.previousMac().toColonHex()).append(')');
            }
            sb.append('\n');
        }
    }

    /** What --watch did not learn, on stderr: {@code watch ignored 2 frames: sender 0.0.0.0 (...)}. */
    void ignored(IgnoredClaims ignored) throws Exception {
        ignored.counts().forEach((reason, n) -> errText.append("watch ignored ").append(n)
                .append(n == 1 ? " frame: " : " frames: ").append(reason).append('\n'));
    }

    /** The statistics, on stderr, one count per line as tcpdump prints its own. */
    void summary(CaptureSummary s) throws Exception {
        errText.append(s.received()).append(s.live() ? " packets received by filter\n" : " frames received by filter\n")
                .append(s.matched()).append(" matched the filter\n")
                .append(s.decoded()).append(" decoded as ARP\n")
                .append(s.malformed()).append(" malformed\n")
                .append(s.notArp()).append(" not ARP\n");
        if (s.neighborDiscovery() > 0) {
            errText.append(s.neighborDiscovery()).append(" decoded as IPv6 neighbor discovery\n");
        }
        if (s.live()) {
            errText.append(s.droppedByKernel()).append(" dropped by kernel\n");
        }
    }

    static void pad(StringBuilder sb, int column) {
        while (sb.length() < column) {
            sb.append(' ');
        }
    }

    /** Writes the buffered text and flushes the writers: stderr first, as alerts come before their frame. */
    void flush() throws Exception {
        write(err, errText);
        write(out, outText);
    }

    private void write(PrintWriter w, StringBuilder text) {
        int n = text.length();
        if (n == 0) {
            return;
        }
        if (chars.length < n) {
            chars = new char[n];
        }
        text.getChars(0, n, chars, 0);
        text.setLength(0);
        w.write(chars, 0, n);
        w.flush();
    }
}
