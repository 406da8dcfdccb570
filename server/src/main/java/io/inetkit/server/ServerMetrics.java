package io.inetkit.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.internal.PlatformDependent;

import java.util.Collection;
import java.util.function.BooleanSupplier;

/**
 * Every meter of one server, in one Micrometer registry that {@code /metrics} renders as Prometheus text.
 *
 * <p>Besides the listeners' own meters ({@link StreamMeters}, {@link DatagramMeters}) it carries:
 * <ul>
 *   <li>{@code inetkit_serving}: 1 while serving, 0 while draining (what {@code /health} answers);</li>
 *   <li>{@code netty_allocator_memory_used{memory_type="direct"|"heap"}}: the memory Netty's buffer
 *       allocator holds, where every byte a connection has in flight lives;</li>
 *   <li>{@code netty_direct_memory_used_bytes}: all of Netty's direct memory, where Netty allocates it
 *       outside the JDK's accounting (otherwise that memory is in {@code jvm_buffer_memory_used_bytes{id="direct"}});</li>
 *   <li>the JVM: {@code jvm_memory_*}, {@code jvm_buffer_*}, {@code jvm_gc_*}, {@code jvm_threads_*},
 *       {@code jvm_classes_*}, {@code process_cpu_usage}, {@code process_cpu_seconds_total}, {@code process_files_open_files},
 *       {@code process_uptime_seconds} and more.</li>
 * </ul>
 * Named as Prometheus wants them: {@code promtool check metrics} passes ({@link PrometheusConventions}).
 */
public final class ServerMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    ServerMetrics(BooleanSupplier serving) {
        PrometheusConventions.apply(registry);
        Gauge.builder("inetkit.serving", () -> serving.getAsBoolean() ? 1 : 0)
                .description("1 while the server serves, 0 while it drains or is stopped")
                .register(registry);
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) {
            new NettyAllocatorMetrics(provider).bindTo(registry);
        }
        if (PlatformDependent.usedDirectMemory() >= 0) {
            Gauge.builder("netty.direct.memory.used", PlatformDependent::usedDirectMemory)
                    .baseUnit("bytes")
                    .description("Direct memory Netty allocated outside the JDK's direct buffer accounting")
                    .register(registry);
        }
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Every meter in the Prometheus text exposition format (version 0.0.4). */
    String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }

    /** The sum of {@code counters}, as a whole number: the totals of the drain report's lines. */
    public static long total(Collection<Counter> counters) {
        long n = 0;
        for (Counter c : counters) {
            n += (long) c.count();
        }
        return n;
    }
}
