package io.inetkit.sniffer.watch;

import io.inetkit.sniffer.chain.FrameContext;
import io.inetkit.sniffer.chain.FrameHandler;
import io.inetkit.sniffer.packet.ArpFrame;
import io.inetkit.sniffer.packet.ArpPacket;

import java.time.Duration;

/**
 * Raises {@link Alert.Kind#REQUEST_STORM} when more than {@code requests} ARP requests arrive within
 * {@code window} (capture time), then starts counting afresh, as Wireshark's storm detection resets
 * its counter after a report.
 *
 * <p>It keeps the times of the last {@code requests} requests in a ring: a new request whose time is
 * less than the window after the oldest one makes {@code requests + 1} within the window.
 * The defaults are {@code PipelineSettings}'.
 */
public final class RequestStormDetector implements FrameHandler {

    private final long[] ring;
    private final long windowMicros;
    private final String limit;
    private int next;
    private int filled;

    public RequestStormDetector(int requests, Duration window) {
        if (requests < 1) {
            throw new IllegalArgumentException("requests must be >= 1: " + requests);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be > 0: " + window);
        }
        this.ring = new long[requests];
        this.windowMicros = window.toNanos() / 1000;
        this.limit = requests + " in " + StationTable.formatMicros(windowMicros);
    }

    @Override
    public void read(FrameContext ctx, Object msg) {
        if (msg instanceof ArpFrame frame && frame.arp().opcode() == ArpPacket.OP_REQUEST) {
            long now = frame.timestampMicros();
            if (filled == ring.length && now - ring[next] < windowMicros) {
                long span = now - ring[next];
                filled = 0;
                next = 0;
                ctx.fireRead(new Alert(Alert.Kind.REQUEST_STORM, now, null, null, null,
                        "request storm: " + (ring.length + 1) + " requests in " + StationTable.formatMicros(span)
                                + " (limit " + limit + ")"));
            }
            ring[next] = now;
            next = (next + 1) % ring.length;
            if (filled < ring.length) {
                filled++;
            }
        }
        ctx.fireRead(msg);
    }
}
