package io.inetkit.sniffer.chain;

/** A handler's place in a {@link FramePipeline}: passes things to the handlers after it. */
public interface FrameContext {

    /** The handler's name in the pipeline. */
    String name();

    /** Passes a message to the next handler. */
    void fireRead(Object msg);

    void fireReadComplete();

    void fireEvent(Object event);

    void fireExceptionCaught(Throwable cause);
}
