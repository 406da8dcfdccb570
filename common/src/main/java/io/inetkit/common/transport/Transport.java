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
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.Locale;

/**
 * The I/O transports inetkit can run on, and the one place that picks between them.
 *
 * <p>{@code epoll} and {@code io_uring} are Linux's native event interfaces (Netty's JNI transports);
 * {@code nio} is the JDK's portable selector. {@code auto} takes the first one available in
 * {@link #AUTO_ORDER}; when a native one is unavailable the {@link Selection} says why.
 */
public enum Transport {
    IO_URING("io_uring"),
    EPOLL("epoll"),
    NIO("nio");

    /** Preference of {@code auto}: epoll first; it was measured no slower than io_uring on loopback echo here. */
    static final Transport[] AUTO_ORDER = {EPOLL, IO_URING, NIO};

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
        String name = requested == null ? "auto" : requested.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        if (name.equals("auto")) {
            StringBuilder why = new StringBuilder();
            for (Transport t : AUTO_ORDER) {
                String cause = t.unavailabilityCause();
                if (cause == null) {
                    return new Selection(t, why.length() == 0 ? null : why.toString());
                }
                if (why.length() > 0) {
                    why.append("; ");
                }
                why.append(t.label).append(" unavailable: ").append(cause);
            }
            throw new IllegalStateException("no transport available"); // unreachable: NIO always is
        }
        for (Transport t : values()) {
            if (t.label.equals(name) || (t == IO_URING && name.equals("iouring"))) {
                String cause = t.unavailabilityCause();
                if (cause != null) {
                    throw new IllegalArgumentException(t.label + " transport is not available here: " + cause);
                }
                return new Selection(t, null);
            }
        }
        throw new IllegalArgumentException("unknown transport '" + requested
                + "'; expected auto, io_uring, epoll or nio");
    }

    /**
     * A chosen transport, with why the better ones were passed over ({@code null} when none was).
     */
    public record Selection(Transport transport, String fallbackReason) {
    }
}
