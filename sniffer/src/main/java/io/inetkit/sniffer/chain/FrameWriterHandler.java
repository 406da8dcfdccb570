package io.inetkit.sniffer.chain;

import io.inetkit.sniffer.packet.CapturedFrame;


/**
 * Writes each {@link CapturedFrame} to a {@link FrameSink} before anything decodes it, so that
 * {@code -w} keeps every frame the filter matched, malformed ones included; then passes it on.
 */
final class FrameWriterHandler implements FrameHandler {

    private final FrameSink sink;

    FrameWriterHandler(FrameSink sink) {
        this.sink = sink;
    }

    @Override
    public void read(FrameContext ctx, Object msg) throws Exception {
        if (msg instanceof CapturedFrame frame) {
            sink.write(frame);
        }
        ctx.fireRead(msg);
    }

    @Override
    public void readComplete(FrameContext ctx) throws Exception {
        sink.flush();
        ctx.fireReadComplete();
    }
}
