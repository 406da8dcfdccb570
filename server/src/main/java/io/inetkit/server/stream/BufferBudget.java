package io.inetkit.server.stream;

import io.inetkit.server.RateLimitedLog;
import io.inetkit.server.ServerContext;

import io.inetkit.common.framing.Cumulating;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.AttributeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server-wide budget ({@code --max-buffered}) for what connections hold in Netty buffers:
 *
 * <pre>
 *   held by a connection = outbound bytes queued for its peer   (as Netty counts them against the water mark)
 *                        + its decoder's cumulation            ({@link Cumulating}: the unfinished frame's buffer)
 * </pre>
 *
 * Each connection alone is bounded by the water mark, the receive buffer and its framing's MAX; this bounds
 * their sum, which the number of connections would otherwise decide. Every {@link #sweep()} (the server runs
 * one every {@value #SWEEP_MILLIS} ms) adds up what each open connection holds, publishes it as
 * {@code inetkit_buffered_bytes}, and when it is over the budget closes the connections holding the most,
 * largest first, until the rest fit: a peer that does not read its echoes is the one that goes, not the next
 * client whose buffer could not be allocated. Each closure is counted in
 * {@code inetkit_connections_budget_closed_total} and logged at a rate-limited WARN.
 *
 * <p>The sweep runs on one thread and reads the other connections' figures as their event loops last wrote
 * them (both are volatile): an estimate a few microseconds old, which is all a budget needs.
 */
public final class BufferBudget {

    /** How often the server sweeps: short next to how fast 256 MiB fill at loopback speeds (a second or more). */
    public static final long SWEEP_MILLIS = 100;

    private static final Logger log = LoggerFactory.getLogger(BufferBudget.class);

    /** Set on a connection the budget closed: its close runs on its event loop, after the sweep that chose it. */
    private static final AttributeKey<Boolean> CLOSED = AttributeKey.valueOf(BufferBudget.class, "closed");

    private final long maxBytes;
    private final Collection<Channel> connections;
    private final RateLimitedLog warnings;
    private final AtomicLong inUse = new AtomicLong();
    final Counter closed;

    /**
     * @param maxBytes    the budget, {@code --max-buffered}
     * @param connections every open connection (the server's set; iterated while it changes)
     */
    public BufferBudget(long maxBytes, Collection<Channel> connections, MeterRegistry registry, RateLimitedLog warnings) {
        this.maxBytes = maxBytes;
        this.connections = connections;
        this.warnings = warnings;
        Gauge.builder("inetkit.buffered", inUse, AtomicLong::get).baseUnit("bytes")
                .description("Bytes connections hold in buffers: queued echoes and unfinished frames")
                .register(registry);
        closed = Counter.builder("inetkit.connections.budget.closed")
                .description("Connections closed because all held more than --max-buffered").register(registry);
    }

    /** The budget of {@code --max-buffered} over every connection of the server, logging through its rate limit. */
    public static BufferBudget of(ServerContext context) {
        return new BufferBudget(context.settings.limits().maxBuffered(), context.connections,
                context.metrics.registry(), context.rateLimitedLog(log));
    }

    /** What {@code ch} holds now, in bytes. */
    static long held(Channel ch) {
        ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
        long bytes = out == null ? 0 : out.totalPendingWriteBytes();
        Cumulating decoder = ch.pipeline().get(Cumulating.class);
        return decoder == null ? bytes : bytes + decoder.cumulatedBytes();
    }

    private record Holder(Channel channel, long bytes) {
    }

    /** One pass: adds up, publishes, closes the largest holders while over the budget; returns what is left. */
    public long sweep() {
        List<Holder> holders = new ArrayList<>();
        long total = 0;
        for (Channel ch : connections) {
            if (ch.hasAttr(CLOSED)) {
                continue; // closing: counted once, and what it holds goes with it
            }
            long bytes = held(ch);
            if (bytes > 0) {
                holders.add(new Holder(ch, bytes));
                total += bytes;
            }
        }
        if (total > maxBytes) {
            long over = total;
            holders.sort(Comparator.comparingLong(Holder::bytes).reversed());
            for (Holder h : holders) {
                if (total <= maxBytes) {
                    break;
                }
                total -= h.bytes();
                h.channel().attr(CLOSED).set(Boolean.TRUE);
                closed.increment();
                warnings.warn("{}: holds {} bytes of buffers, the most while all connections held {} bytes, over "
                        + "--max-buffered {}; closing", ClientAddress.of(h.channel()), h.bytes(), over, maxBytes);
                h.channel().close();
            }
        }
        inUse.set(total);
        return total;
    }

    /** Bytes held at the last sweep, after its closures. */
    public long inUse() {
        return inUse.get();
    }
}
