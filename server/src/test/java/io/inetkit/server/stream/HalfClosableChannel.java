package io.inetkit.server.stream;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;

/**
 * An {@link EmbeddedChannel} that can half-close like a TCP socket: {@link #shutdownOutput()} is the FIN a
 * lingering close sends ({@link GracefulClose}), and {@link #peerShutdown()} the peer's.
 */
public final class HalfClosableChannel extends EmbeddedChannel implements DuplexChannel {

    private boolean inputShutdown;
    private boolean outputShutdown;

    public HalfClosableChannel(ChannelHandler... handlers) {
        super(handlers);
    }

    /** The peer's FIN: input ends, as Netty reports it with {@code ALLOW_HALF_CLOSURE}. */
    public void peerShutdown() {
        inputShutdown = true;
        pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        runPendingTasks();
    }

    @Override
    public boolean isInputShutdown() {
        return inputShutdown;
    }

    @Override
    public ChannelFuture shutdownInput() {
        return shutdownInput(newPromise());
    }

    @Override
    public ChannelFuture shutdownInput(ChannelPromise promise) {
        inputShutdown = true;
        return promise.setSuccess();
    }

    @Override
    public boolean isOutputShutdown() {
        return outputShutdown;
    }

    @Override
    public ChannelFuture shutdownOutput() {
        return shutdownOutput(newPromise());
    }

    @Override
    public ChannelFuture shutdownOutput(ChannelPromise promise) {
        outputShutdown = true;
        return promise.setSuccess();
    }

    @Override
    public boolean isShutdown() {
        return inputShutdown && outputShutdown;
    }

    @Override
    public ChannelFuture shutdown() {
        return shutdown(newPromise());
    }

    @Override
    public ChannelFuture shutdown(ChannelPromise promise) {
        inputShutdown = true;
        outputShutdown = true;
        return promise.setSuccess();
    }
}
