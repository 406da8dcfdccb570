package io.inetkit.client.load;

import io.inetkit.common.cli.Cli;
import io.inetkit.common.cli.UserException;
import io.netty.util.NetUtil;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code --source-ips}: a comma-separated list of IPv4 addresses and ranges, e.g.
 * {@code 127.0.0.2-127.0.0.40} or {@code 127.0.0.2-40,127.0.1.1}. Each local address gives the
 * connections to one server address another ephemeral port range.
 */
final class SourceIps {

    static final int MAX_ADDRESSES = 65536;

    private SourceIps() {
    }

    /**
     * Refuses, before any connect, an address this machine cannot send from: every connect from it would
     * fail with "cannot assign requested address". An address is local when a socket can be bound to it
     * (on Linux every 127.x.y.z is, through the loopback route, without being on an interface).
     *
     * @throws UserException (usage) naming the first address that is not local
     */
    static void requireLocal(List<InetAddress> addresses) {
        for (InetAddress a : addresses) {
            try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(a, 0))) {
                probe.getLocalPort(); // bound: the address is local
            } catch (SocketException e) {
                throw new UserException("--source-ips " + NetUtil.toAddressString(a) + " is not an address of this machine ("
                        + Cli.describe(e) + "): give local addresses ('ip -brief address' lists them; on loopback "
                        + "every 127.x.y.z is local)", Cli.EXIT_USAGE);
            }
        }
    }

    /** @throws IllegalArgumentException naming the bad part */
    static List<InetAddress> parse(String text) {
        List<InetAddress> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int dash = p.indexOf('-');
            if (dash < 0) {
                out.add(ipv4(p, text));
                continue;
            }
            String from = p.substring(0, dash).trim();
            String to = p.substring(dash + 1).trim();
            long a = toLong(ipv4(from, text));
            long b = to.contains(".") ? toLong(ipv4(to, text)) : (a & ~0xffL) | lastOctet(to, text);
            if (b < a) {
                throw new IllegalArgumentException("bad --source-ips range '" + p + "': it ends before it starts");
            }
            if (b - a + 1 + out.size() > MAX_ADDRESSES) {
                throw new IllegalArgumentException("--source-ips '" + text + "' has more than " + MAX_ADDRESSES
                        + " addresses");
            }
            for (long v = a; v <= b; v++) {
                out.add(fromLong(v));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--source-ips is empty");
        }
        return List.copyOf(out);
    }

    private static int lastOctet(String s, String whole) {
        try {
            int v = Integer.parseInt(s);
            if (v >= 0 && v <= 255) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("bad --source-ips '" + whole + "': '" + s + "' is not an address or 0..255");
    }

    private static InetAddress ipv4(String s, String whole) {
        String[] octets = s.split("\\.", -1);
        if (octets.length != 4) {
            throw new IllegalArgumentException("bad --source-ips '" + whole + "': '" + s + "' is not an IPv4 address");
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            b[i] = (byte) lastOctet(octets[i], whole);
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e.getMessage(), e); // 4 bytes: not reached
        }
    }

    private static long toLong(InetAddress a) {
        byte[] b = a.getAddress();
        return ((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL);
    }

    private static InetAddress fromLong(long v) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
