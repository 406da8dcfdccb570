package io.inetkit.server;

import io.netty.util.NetUtil;
import io.netty.channel.unix.Errors;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The server could not start: a port in use, an unknown address, an unavailable transport. */
public final class ServerStartException extends RuntimeException {

    /**
     * Linux's errno values for the three bind failures a user can act on (asm-generic/errno-base.h and
     * errno.h). They are kernel ABI, and the native transports that report them run on Linux only; Netty
     * names only the connect-side values ({@link Errors#ERROR_ECONNREFUSED_NEGATIVE} and the like).
     */
    static final int EACCES = 13;
    static final int EADDRINUSE = 98;
    static final int EADDRNOTAVAIL = 99;

    /** {@code CAP_NET_BIND_SERVICE}, the bit of {@code CapEff} in /proc/self/status (linux/capability.h). */
    private static final int CAP_NET_BIND_SERVICE = 10;

    /** Linux's first unprivileged port when /proc/sys/net/ipv4/ip_unprivileged_port_start cannot be read. */
    private static final int DEFAULT_UNPRIVILEGED_PORT_START = 1024;

    /** Why a bind failed, in words a user can act on. */
    enum BindFailure {
        IN_USE("address already in use"),
        NO_PERMISSION("permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)"),
        NOT_LOCAL("no such local address");

        final String words;

        BindFailure(String words) {
            this.words = words;
        }
    }

    public ServerStartException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * "cannot listen on tcp 127.0.0.1:5005: address already in use": a failed bind in words a user can act on.
     *
     * @param what {@code tcp}, {@code udp}, {@code admin http}...
     */
    public static ServerStartException bindFailed(String what, InetAddress address, int port, Throwable cause) {
        String why = classify(cause, address, port).map(f -> f.words)
                .orElseGet(() -> cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
        return new ServerStartException("cannot listen on " + what + " " + NetUtil.toSocketAddressString(new InetSocketAddress(address, port))
                + ": " + why, cause);
    }

    /**
     * The cause by type, never by message text. Netty's native transports report the errno itself. The JDK's
     * NIO reports EADDRINUSE, EACCES and EADDRNOTAVAIL all as a bare {@link BindException}, so for it the
     * kernel's own order of checks in {@code inet_bind} is replayed on the facts: first whether the address
     * is this host's, then whether the port needs a privilege the process lacks; what is left is a port in use.
     */
    static Optional<BindFailure> classify(Throwable cause, InetAddress address, int port) {
        if (cause instanceof Errors.NativeIoException nativeIo) {
            return byErrno(-nativeIo.expectedErr());
        }
        if (cause instanceof BindException) {
            if (!isLocal(address)) {
                return Optional.of(BindFailure.NOT_LOCAL);
            }
            if (port != 0 && port < unprivilegedPortStart() && !canBindPrivilegedPorts()) {
                return Optional.of(BindFailure.NO_PERMISSION);
            }
            return Optional.of(BindFailure.IN_USE);
        }
        return Optional.empty();
    }

    static Optional<BindFailure> byErrno(int errno) {
        return switch (errno) {
            case EADDRINUSE -> Optional.of(BindFailure.IN_USE);
            case EACCES -> Optional.of(BindFailure.NO_PERMISSION);
            case EADDRNOTAVAIL -> Optional.of(BindFailure.NOT_LOCAL);
            default -> Optional.empty();
        };
    }

    private static boolean isLocal(InetAddress address) {
        try {
            return address.isAnyLocalAddress() || address.isLoopbackAddress()
                    || NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return true; // cannot tell: do not claim the address is foreign
        }
    }

    private static int unprivilegedPortStart() {
        try {
            return Integer.parseInt(Files.readString(Path.of("/proc/sys/net/ipv4/ip_unprivileged_port_start")).trim());
        } catch (IOException | NumberFormatException e) {
            return DEFAULT_UNPRIVILEGED_PORT_START;
        }
    }

    private static boolean canBindPrivilegedPorts() {
        try {
            List<String> status = Files.readAllLines(Path.of("/proc/self/status"));
            for (String line : status) {
                if (line.startsWith("CapEff:")) {
                    long caps = Long.parseUnsignedLong(line.substring("CapEff:".length()).trim(), 16);
                    return (caps & (1L << CAP_NET_BIND_SERVICE)) != 0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through: cannot tell
        }
        return true; // cannot tell: do not claim a permission problem
    }
}
