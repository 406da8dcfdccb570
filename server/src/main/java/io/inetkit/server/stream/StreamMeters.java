package io.inetkit.server.stream;

import io.inetkit.server.ServerMetrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The meters of one TCP listener, every one tagged {@code listener="tcp/PORT"}:
 *
 * <pre>
 * inetkit_connections_active                              open connections
 * inetkit_connections_accepted_total                      connections served
 * inetkit_connections_rejected_total{reason}              refused by a limit: denied, max_connections,
 *                                                         max_connections_per_ip, draining; on a PROXY
 *                                                         listener also untrusted_proxy, proxy_header_malformed,
 *                                                         proxy_header_timeout
 * inetkit_connections_idle_closed_total                   closed after --idle-timeout of silence
 * inetkit_received_bytes_total, inetkit_sent_bytes_total  bytes of frames in and echoed out
 * inetkit_received_frames_total, inetkit_sent_frames_total
 * inetkit_discarded_bytes_total                           bytes dropped: an unfinished frame at EOF, input while closing
 * inetkit_frame_errors_total{kind}                        too_long, corrupt, incomplete, other
 * inetkit_listener_info{framing}                          1, names the framing of the listener
 * </pre>
 *
 * Counters are updated on the event loops and read by the scrape; the drain report at shutdown
 * ({@link #summary()}) compares what came in with what went out.
 */
public final class StreamMeters {

    /** Why a connection was refused: the {@code reason} tag. */
    public enum Rejection {
        DENIED("denied"),
        MAX_CONNECTIONS("max_connections"),
        MAX_CONNECTIONS_PER_IP("max_connections_per_ip"),
        DRAINING("draining"),
        // the three below only on a listener whose connections start with a PROXY header
        /** A PROXY listener's peer outside {@code --proxy-trusted}: anyone could claim any address. */
        UNTRUSTED_PROXY("untrusted_proxy"),
        /** No PROXY header (other bytes came first), or a broken one. */
        PROXY_HEADER_MALFORMED("proxy_header_malformed"),
        /** The PROXY header was not whole within {@code --proxy-header-timeout}. */
        PROXY_HEADER_TIMEOUT("proxy_header_timeout");

        final String tag;

        Rejection(String tag) {
            this.tag = tag;
        }

        /** True for the reasons only a PROXY listener has: a plain one shows no series that is always zero. */
        boolean proxyOnly() {
            return this == UNTRUSTED_PROXY || this == PROXY_HEADER_MALFORMED || this == PROXY_HEADER_TIMEOUT;
        }
    }

    /** What was wrong with a frame: the {@code kind} tag. */
    public enum FrameError {
        TOO_LONG("too_long"),
        CORRUPT("corrupt"),
        INCOMPLETE("incomplete"),
        OTHER("other");

        final String tag;

        FrameError(String tag) {
            this.tag = tag;
        }
    }

    /** "tcp/5005": the actual port once bound. */
    public final String name;
    private final String description;
    public final AtomicInteger active = new AtomicInteger();
    public final Counter accepted;
    public final Counter idleClosed;
    public final Counter bytesIn;
    public final Counter bytesOut;
    final Counter framesIn;
    final Counter framesOut;
    public final Counter discardedBytes;
    private final Map<Rejection, Counter> rejected = new EnumMap<>(Rejection.class);
    private final Map<FrameError, Counter> frameErrors = new EnumMap<>(FrameError.class);

    /**
     * @param name        {@code tcp/PORT}, the {@code listener} tag
     * @param description what the listener speaks ({@code line:8192}), the {@code framing} tag of its info meter
     * @param proxy       its connections start with a PROXY header: the proxy-only refusal reasons are counted too
     */
    StreamMeters(MeterRegistry registry, String name, String description, boolean proxy) {
        this.name = name;
        this.description = description;
        Gauge.builder("inetkit.listener.info", () -> 1).tag("listener", name).tag("framing", description)
                .description("A listener and its framing").register(registry);
        Gauge.builder("inetkit.connections.active", active, AtomicInteger::get).tag("listener", name)
                .description("Open TCP connections").register(registry);
        accepted = counter(registry, "inetkit.connections.accepted", "TCP connections served");
        idleClosed = counter(registry, "inetkit.connections.idle.closed", "TCP connections closed for silence");
        bytesIn = Counter.builder("inetkit.received.bytes").baseUnit("bytes").tag("listener", name)
                .description("Bytes received (of whole frames)").register(registry);
        bytesOut = Counter.builder("inetkit.sent.bytes").baseUnit("bytes").tag("listener", name)
                .description("Bytes echoed").register(registry);
        framesIn = counter(registry, "inetkit.received.frames", "Frames received");
        framesOut = counter(registry, "inetkit.sent.frames", "Frames echoed");
        discardedBytes = Counter.builder("inetkit.discarded.bytes").baseUnit("bytes").tag("listener", name)
                .description("Bytes dropped: an unfinished frame at EOF, input while closing").register(registry);
        for (Rejection r : Rejection.values()) {
            if (r.proxyOnly() && !proxy) {
                continue;
            }
            rejected.put(r, Counter.builder("inetkit.connections.rejected").tag("listener", name)
                    .tag("reason", r.tag).description("TCP connections refused by a limit").register(registry));
        }
        for (FrameError e : FrameError.values()) {
            frameErrors.put(e, Counter.builder("inetkit.frame.errors").tag("listener", name).tag("kind", e.tag)
                    .description("Bad frames").register(registry));
        }
    }

    private Counter counter(MeterRegistry registry, String meter, String help) {
        return Counter.builder(meter).tag("listener", name).description(help).register(registry);
    }

    public Counter rejected(Rejection reason) {
        return rejected.get(reason);
    }

    public Counter frameErrors(FrameError kind) {
        return frameErrors.get(kind);
    }

    public void frameIn(int frames, int bytes) {
        framesIn.increment(frames);
        bytesIn.increment(bytes);
    }

    public void frameOut(int frames, int bytes) {
        framesOut.increment(frames);
        bytesOut.increment(bytes);
    }

    public long frameErrorCount() {
        return ServerMetrics.total(frameErrors.values());
    }

    long rejectedCount() {
        return ServerMetrics.total(rejected.values());
    }

    /** "tcp/5005 line:8192: 3 connections, ... bytes in, ... bytes out, ...": the drain report line. */
    String summary() {
        return name + " " + description + ": " + (long) accepted.count() + " connections ("
                + rejectedCount() + " refused, " + (long) idleClosed.count() + " idle-closed), "
                + (long) framesIn.count() + " frames / " + (long) bytesIn.count() + " bytes in, "
                + (long) framesOut.count() + " frames / " + (long) bytesOut.count() + " bytes out, "
                + frameErrorCount() + " frame errors, " + (long) discardedBytes.count() + " bytes discarded";
    }
}
