package io.inetkit.server.udp;

import io.inetkit.server.ServerMetrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.EnumMap;
import java.util.Map;

/**
 * The meters of one UDP listener, every one tagged {@code listener="udp/PORT"}:
 *
 * <pre>
 * inetkit_udp_received_datagrams_total, inetkit_udp_sent_datagrams_total
 * inetkit_udp_dropped_datagrams_total{reason}              empty, source_port, rate
 * inetkit_received_bytes_total, inetkit_sent_bytes_total   payload bytes in and echoed out
 * </pre>
 */
public final class DatagramMeters {

    /** Why a datagram got no reply: the {@code reason} tag. */
    public enum Drop {
        /** No payload: see {@link UdpGuardHandler} for why an empty datagram is not echoed. */
        EMPTY("empty"),
        /** From a source port below {@code --udp-min-source-port}: a reflection attempt (echo, chargen...). */
        SOURCE_PORT("source_port"),
        /** Over the source's token bucket ({@code --udp-rate-per-source}). */
        RATE("rate");

        final String tag;

        Drop(String tag) {
            this.tag = tag;
        }
    }

    /** "udp/5005": the actual port once bound. */
    final String name;
    public final Counter datagramsIn;
    public final Counter datagramsOut;
    final Counter bytesIn;
    final Counter bytesOut;
    private final Map<Drop, Counter> dropped = new EnumMap<>(Drop.class);

    DatagramMeters(MeterRegistry registry, String name) {
        this.name = name;
        datagramsIn = Counter.builder("inetkit.udp.received.datagrams").tag("listener", name)
                .description("Datagrams received").register(registry);
        datagramsOut = Counter.builder("inetkit.udp.sent.datagrams").tag("listener", name)
                .description("Datagrams echoed").register(registry);
        bytesIn = Counter.builder("inetkit.received.bytes").baseUnit("bytes").tag("listener", name)
                .description("Bytes received (of whole frames)").register(registry);
        bytesOut = Counter.builder("inetkit.sent.bytes").baseUnit("bytes").tag("listener", name)
                .description("Bytes echoed").register(registry);
        for (Drop d : Drop.values()) {
            dropped.put(d, Counter.builder("inetkit.udp.dropped.datagrams").tag("listener", name).tag("reason", d.tag)
                    .description("Datagrams not echoed").register(registry));
        }
    }

    public Counter dropped(Drop reason) {
        return dropped.get(reason);
    }

    long droppedCount() {
        return ServerMetrics.total(dropped.values());
    }

    /** "udp/5005: 10 datagrams / 640 bytes in, 8 datagrams / 512 bytes out, 2 dropped (...)": the drain report. */
    String summary() {
        StringBuilder s = new StringBuilder(name).append(": ")
                .append((long) datagramsIn.count()).append(" datagrams / ").append((long) bytesIn.count()).append(" bytes in, ")
                .append((long) datagramsOut.count()).append(" datagrams / ").append((long) bytesOut.count()).append(" bytes out, ")
                .append(droppedCount()).append(" dropped");
        String sep = " (";
        for (Drop d : Drop.values()) {
            long n = (long) dropped.get(d).count();
            if (n > 0) {
                s.append(sep).append(n).append(' ').append(d.tag);
                sep = ", ";
            }
        }
        return sep.equals(", ") ? s.append(')').toString() : s.toString();
    }
}
