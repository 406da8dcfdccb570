package io.inetkit.client.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The check before a run that the connections asked for fit this machine's limits, so that a run never
 * fails half-way: one file descriptor per connection (RLIMIT_NOFILE), and one local port per connection
 * and source address towards one server address (the ephemeral range,
 * {@code net.ipv4.ip_local_port_range}).
 *
 * <p>The soft fd limit needs no raising by hand: on Linux the JVM raises it to the hard limit when it
 * starts ({@code -XX:+MaxFDLimit}, on by default), which {@code /proc/self/limits} shows.
 *
 * @param softFds     RLIMIT_NOFILE soft limit of this process (-1 when unknown)
 * @param hardFds     RLIMIT_NOFILE hard limit (-1 when unknown)
 * @param openFds     descriptors this process has open already (-1 when unknown)
 * @param portLow     first port of the ephemeral range
 * @param portHigh    last port of the ephemeral range
 */
record Preflight(long softFds, long hardFds, long openFds, int portLow, int portHigh) {

    /** Descriptors kept free besides the connections: event loops, epoll/event fds, output files, the JVM. */
    static final int FD_RESERVE = 64;

    /** The limits of this process and machine, read from /proc (unknown parts are -1 / the Linux defaults). */
    static Preflight ofThisProcess() {
        long soft = -1;
        long hard = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                    soft = parseLimit(f[0]);
                    hard = parseLimit(f[1]);
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux: the checks that need these numbers are skipped
        }
        long open = -1;
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            open = s.count();
        } catch (IOException | RuntimeException ignored) {
            // unknown
        }
        int low = 32768;
        int high = 60999;
        try {
            // readAllLines, not readString: procfs files report size 0, and readString then stops short
            String[] r = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim()
                    .split("\\s+");
            low = Integer.parseInt(r[0]);
            high = Integer.parseInt(r[1]);
        } catch (IOException | RuntimeException ignored) {
            // keep Linux's default range
        }
        return new Preflight(soft, hard, open, low, high);
    }

    private static long parseLimit(String s) {
        return s.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(s);
    }

    int portsPerSource() {
        return portHigh - portLow + 1;
    }

    /** Descriptors a run of {@code connections} needs in all. */
    long fdsNeeded(int connections) {
        return connections + Math.max(0, openFds) + FD_RESERVE;
    }

    /** What the check found, for the log: the limits and what the run needs of them. */
    List<String> describe(int connections, int sources) {
        List<String> out = new ArrayList<>();
        if (softFds >= 0) {
            out.add(String.format("fd limit: soft %s, hard %s%s; %d connections need about %d", show(softFds),
                    show(hardFds), softFds == hardFds ? " (the JVM raised the soft limit to the hard one at start)"
                            : " (soft below hard: the JVM runs with -XX:-MaxFDLimit)",
                    connections, fdsNeeded(connections)));
        }
        out.add(String.format("local ports: %d-%d (%d) x %d source address%s = %d connections per server address",
                portLow, portHigh, portsPerSource(), sources, sources == 1 ? "" : "es",
                (long) portsPerSource() * sources));
        return out;
    }

    /**
     * Why {@code connections} do not fit, with the fix, or null when they do.
     *
     * @param sources local addresses the connections spread over (1 without --source-ips)
     */
    String problem(int connections, int sources, boolean explicitSources) {
        if (softFds >= 0 && fdsNeeded(connections) > softFds) {
            long need = fdsNeeded(connections);
            long fit = Math.max(0, softFds - Math.max(0, openFds) - FD_RESERVE);
            if (hardFds > softFds && need <= hardFds) {
                return connections + " connections need about " + need + " file descriptors, over the soft limit of "
                        + softFds + " (hard " + show(hardFds) + "): raise it with 'ulimit -n " + hardFds
                        + "' or let the JVM do it (drop -XX:-MaxFDLimit)";
            }
            return connections + " connections need about " + need + " file descriptors, but this process may open "
                    + show(hardFds) + " (hard limit; about " + fit + " connections fit): raise the hard limit as root "
                    + "(ulimit -Hn, nofile in /etc/security/limits.conf, LimitNOFILE= for a systemd unit), or run "
                    + "several inetkit load processes with --hdr-log and combine them with 'inetkit load merge'";
        }
        long ports = (long) portsPerSource() * sources;
        if (connections > ports) {
            int needSources = (int) Math.ceil(connections / (double) portsPerSource());
            return connections + " connections to one server address need as many local ports, but the ephemeral "
                    + "range " + portLow + "-" + portHigh + " gives " + portsPerSource() + " per source address"
                    + (explicitSources ? " and --source-ips has " + sources : "") + ": use --source-ips with at least "
                    + needSources + " addresses (e.g. --source-ips 127.0.0.2-127.0.0." + Math.min(255, needSources + 1)
                    + " for a loopback server), or widen the range "
                    + "(sysctl -w net.ipv4.ip_local_port_range=\"1024 65535\")";
        }
        return null;
    }

    private static String show(long v) {
        return v == Long.MAX_VALUE ? "unlimited" : String.valueOf(v);
    }
}
