package io.inetkit.sniffer.capture;

import io.inetkit.common.cli.Cli;
import io.inetkit.common.cli.UserException;
import org.pcap4j.core.PcapAddress;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.Pcaps;
import org.pcap4j.util.LinkLayerAddress;
import io.netty.util.NetUtil;

import java.util.ArrayList;
import java.util.List;

/** libpcap itself: whether it loads, and the interfaces it can capture on ({@code -D}). */
public final class Libpcap {

    private Libpcap() {
    }

    /** Loads libpcap and returns its version, or fails with {@link SniffExit#NO_LIBPCAP}. */
    public static String check() {
        try {
            return Pcaps.libVersion();
        } catch (LinkageError e) {
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof UnsatisfiedLinkError)) {
                cause = cause.getCause();
            }
            String detail = cause.getMessage() == null ? cause.toString() : cause.getMessage().lines().findFirst().orElse("");
            throw new UserException("libpcap not found (install it: apt-get install libpcap0.8): " + detail,
                    SniffExit.NO_LIBPCAP);
        }
    }

    /**
     * One line per interface, numbered as {@code tcpdump -D} numbers them:
     * {@code 1. eth0 [up, running] 02:42:ac:11:00:02 172.17.0.2}.
     */
    public static List<String> interfaces() {
        check();
        List<PcapNetworkInterface> all;
        try {
            all = Pcaps.findAllDevs();
        } catch (PcapNativeException e) {
            throw new UserException("cannot list interfaces: " + PcapErrors.message(e), Cli.EXIT_RUNTIME);
        }
        List<String> lines = new ArrayList<>(all.size());
        int i = 1;
        for (PcapNetworkInterface nif : all) {
            List<String> flags = new ArrayList<>();
            if (nif.isUp()) {
                flags.add("up");
            }
            if (nif.isRunning()) {
                flags.add("running");
            }
            if (nif.isLoopBack()) {
                flags.add("loopback");
            }
            StringBuilder line = new StringBuilder().append(i++).append(". ").append(nif.getName());
            if (nif.getDescription() != null) {
                line.append(" (").append(nif.getDescription()).append(')');
            }
            line.append(" [").append(String.join(", ", flags)).append(']');
            for (LinkLayerAddress mac : nif.getLinkLayerAddresses()) {
                line.append(' ').append(mac);
            }
            for (PcapAddress a : nif.getAddresses()) {
                line.append(' ').append(NetUtil.toAddressString(a.getAddress()));
            }
            lines.add(line.toString());
        }
        return lines;
    }
}
