package io.inetkit.sniffer.chain;

/**
 * A handler of a {@link FramePipeline}: Netty's {@code ChannelInboundHandler} cut down to what a capture
 * needs. A handler consumes a message or passes it on, or passes on what it made of it, with
 * {@link FrameContext#fireRead}. Everything has a pass-through default except {@link #read}.
 *
 * <p>A handler that keeps no state may be added to many pipelines (Netty's {@code @Sharable}); one that
 * counts or remembers belongs to one pipeline.
 */
public interface FrameHandler {

    /** A message arrived (Netty's {@code channelRead}). An exception thrown here goes to {@link #exceptionCaught}. */
    void read(FrameContext ctx, Object msg) throws Exception;

    /** The end of a batch of messages (Netty's {@code channelReadComplete}): the time to flush. */
    default void readComplete(FrameContext ctx) throws Exception {
        ctx.fireReadComplete();
    }

    /** An event that is not a message, such as {@link CaptureEnded} (Netty's {@code userEventTriggered}). */
    default void event(FrameContext ctx, Object event) throws Exception {
        ctx.fireEvent(event);
    }

    /** This handler or one before it threw (Netty's {@code exceptionCaught}). */
    default void exceptionCaught(FrameContext ctx, Throwable cause) throws Exception {
        ctx.fireExceptionCaught(cause);
    }
}
