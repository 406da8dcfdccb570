package io.inetkit.common.transport;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The I/O transports inetkit can run on, and the one place that picks between them.
 *
 * <p>{@code epoll} and {@code io_uring} are Linux's native event interfaces (Netty's JNI transports);
 * {@code nio} is the JDK's portable selector. {@code auto} takes the first one available in
 * {@link #AUTO_ORDER}; the {@link Selection} says why not a better one (for the server's log line).
 */
public enum Transport {
    IO_URING("io_uring"),
    EPOLL("epoll"),
    NIO("nio");

    /**
     * Preference of {@code auto}: epoll before io_uring, which spends less CPU per TCP message but more memory
     * per idle connection (see bench/README.md, "epoll or io_uring").
     */
    static final Transport[] AUTO_ORDER = {EPOLL, IO_URING, NIO};

    /** Why {@code auto} takes epoll over an available io_uring. */
    static final String IO_URING_NOT_DEFAULT =
            "io_uring is available but not the default: it costs ~1 KiB more per idle connection, see bench/README.md";

    private final String label;

    Transport(String label) {
        this.label = label;
    }

    /** The name used on the command line: {@code io_uring}, {@code epoll} or {@code nio}. */
    public String label() {
        return label;
    }

    /** Why this transport cannot be used here, or {@code null} when it can. */
    public String unavailabilityCause() {
        Throwable cause = switch (this) {
            case IO_URING -> IoUring.isAvailable() ? null : IoUring.unavailabilityCause();
            case EPOLL -> Epoll.isAvailable() ? null : Epoll.unavailabilityCause();
            case NIO -> null;
        };
        if (cause == null) {
            return null;
        }
        String message = cause.getMessage();
        if (cause.getCause() != null && cause.getCause().getMessage() != null) {
            message = message + ": " + cause.getCause().getMessage();
        }
        return message == null ? cause.getClass().getSimpleName() : message;
    }

    public IoHandlerFactory ioHandlerFactory() {
        return switch (this) {
            case IO_URING -> IoUringIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
        };
    }

    /** A new event loop group of {@code threads} threads named {@code name-N}. */
    public EventLoopGroup newGroup(int threads, String name) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), ioHandlerFactory());
    }

    public Class<? extends ServerChannel> serverChannelClass() {
        return switch (this) {
            case IO_URING -> IoUringServerSocketChannel.class;
            case EPOLL -> EpollServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
        };
    }

    public Class<? extends Channel> socketChannelClass() {
        return switch (this) {
            case IO_URING -> IoUringSocketChannel.class;
            case EPOLL -> EpollSocketChannel.class;
            case NIO -> NioSocketChannel.class;
        };
    }

    public Class<? extends DatagramChannel> datagramChannelClass() {
        return switch (this) {
            case IO_URING -> IoUringDatagramChannel.class;
            case EPOLL -> EpollDatagramChannel.class;
            case NIO -> NioDatagramChannel.class;
        };
    }

    /**
     * A new, unregistered UDP socket of {@code family}: an IPv4 socket for an IPv4 bind address (the default
     * socket is IPv6 with IPv4-mapped addresses, which costs every datagram a detour through the IPv6 code
     * of the kernel).
     */
    public DatagramChannel newDatagramChannel(SocketProtocolFamily family) {
        return switch (this) {
            case IO_URING -> new IoUringDatagramChannel(family);
            case EPOLL -> new EpollDatagramChannel(family);
            case NIO -> new NioDatagramChannel(family);
        };
    }

    /** True for the native transports, which support SO_REUSEPORT. */
    public boolean isNative() {
        return this != NIO;
    }

    /**
     * Resolves a {@code --transport} value: {@code auto}, {@code io_uring}, {@code epoll} or {@code nio}.
     *
     * @throws IllegalArgumentException for an unknown name, or a named transport that is unavailable here
     */
    public static Selection select(String requested) {
        return select(requested, Transport::unavailabilityCause);
    }

    /** {@link #select(String)} with the availability of each transport given (tests pretend one is missing). */
    static Selection select(String requested, Function<Transport, String> unavailability) {
        String name = normalize(requested);
        if (name.equals("auto")) {
            List<String> passedOver = new ArrayList<>();
            for (Transport t : AUTO_ORDER) {
                String cause = unavailability.apply(t);
                if (cause == null) {
                    if (t != EPOLL) {
                        return new Selection(t, () -> String.join("; ", passedOver));
                    }
                    // whether io_uring would have done is asked only when someone reads the reason (the
                    // server's log line): probing it loads its native library, which a one-shot command,
                    // starting in a blink, has no use for
                    return new Selection(t, () -> {
                        String uring = unavailability.apply(IO_URING);
                        return uring == null ? IO_URING_NOT_DEFAULT : IO_URING.label + ": " + uring;
                    });
                }
                passedOver.add(t.label + ": " + cause);
            }
            throw new IllegalStateException("no transport available"); // unreachable: NIO always is
        }
        Transport t = named(name);
        if (t == null) {
            throw unknown(requested);
        }
        String cause = unavailability.apply(t);
        if (cause != null) {
            throw new IllegalArgumentException(t.label + " transport is not available here: " + cause);
        }
        return new Selection(t, () -> "--transport " + t.label);
    }

    private static String normalize(String requested) {
        return requested == null ? "auto" : requested.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    }

    /** The transport of a normalized name, or null. */
    private static Transport named(String name) {
        for (Transport t : values()) {
            if (t.label.equals(name) || (t == IO_URING && name.equals("iouring"))) {
                return t;
            }
        }
        return null;
    }

    private static IllegalArgumentException unknown(String requested) {
        return new IllegalArgumentException("unknown transport '" + requested
                + "'; expected auto, io_uring, epoll or nio");
    }

    /**
     * Checks a {@code --transport} value without loading any native transport.
     *
     * @throws IllegalArgumentException for a name other than {@code auto}, {@code io_uring}, {@code epoll} or
     *                                  {@code nio}
     */
    public static void requireKnown(String requested) {
        String name = normalize(requested);
        if (!name.equals("auto") && named(name) == null) {
            throw unknown(requested);
        }
    }

    /**
     * A chosen transport, and why: {@code --transport epoll} when it was asked for by name; for {@code auto},
     * why each better one was passed over ({@code epoll: <Netty's unavailability cause>}).
     */
    public static final class Selection {
        private final Transport transport;
        private final Supplier<String> reason;

        private Selection(Transport transport, Supplier<String> reason) {
            this.transport = transport;
            this.reason = reason;
        }

        public Transport transport() {
            return transport;
        }

        /** Why this one (worked out when asked: it may probe another transport's native library). */
        public String reason() {
            return reason.get();
        }
    }
}
