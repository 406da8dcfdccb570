package io.inetkit.server;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The few meters of Micrometer's binders whose Prometheus names break Prometheus's own conventions, mended so
 * that {@code /metrics} passes {@code promtool check metrics}:
 *
 * <pre>
 *   netty_allocator_memory_used   had no # HELP line: gets one (the name stays: dashboards and tests read it)
 *   process_cpu_time_ns_total     a unit in an abbreviation, nanoseconds: replaced by the usual
 *                                 process_cpu_seconds_total (what every Prometheus client library exports)
 *   system_cpu_count              "_count" belongs to histograms and summaries: system_cpu_available
 * </pre>
 */
final class PrometheusConventions implements MeterFilter {

    private static final String NETTY_MEMORY = "netty.allocator.memory.used";
    private static final String CPU_TIME = "process.cpu.time";
    private static final String CPU_COUNT = "system.cpu.count";

    /** Installs the filter (before any meter is registered) and the meters that replace denied ones. */
    static void apply(MeterRegistry registry) {
        registry.config().meterFilter(new PrometheusConventions());
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean hotspot && hotspot.getProcessCpuTime() >= 0) {
            FunctionCounter.builder("process.cpu", hotspot, b -> b.getProcessCpuTime() / 1e9)
                    .baseUnit("seconds")
                    .description("CPU time the JVM process used, user and system")
                    .register(registry);
        }
    }

    @Override
    public MeterFilterReply accept(Meter.Id id) {
        return id.getName().equals(CPU_TIME) ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
    }

    @Override
    public Meter.Id map(Meter.Id id) {
        return switch (id.getName()) {
            case NETTY_MEMORY -> withDescription(id, "Memory held by Netty's buffer allocator, direct or heap (memory_type)");
            case CPU_COUNT -> id.withName("system.cpu.available");
            default -> id;
        };
    }

    private static Meter.Id withDescription(Meter.Id id, String description) {
        if (id.getDescription() != null && !id.getDescription().isBlank()) {
            return id;
        }
        return new Meter.Id(id.getName(), io.micrometer.core.instrument.Tags.of(id.getTags()), id.getBaseUnit(),
                description, id.getType());
    }
}
