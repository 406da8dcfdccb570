package io.inetkit.sniffer.chain;

import io.inetkit.sniffer.packet.CapturedFrame;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The handler chain of {@link ArpPipelineInitializer} in a {@link FramePipeline} that drops what no
 * handler consumed. Every handler runs on the thread that feeds the frames. Feed it frames, mark the
 * end of each batch (output is flushed then), end it once, then print the statistics.
 */
public final class ArpPipeline {

    private final FramePipeline pipeline = new FramePipeline(FramePipeline.Tail.DISCARD);

    public ArpPipeline(ArpPipelineInitializer initializer) {
        try {
            initializer.initPipeline(pipeline);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The handlers, to add or remove some by name. */
    public FramePipeline pipeline() {
        return pipeline;
    }

    /** Runs one frame through the chain. A handler's exception is counted as malformed, never thrown. */
    public void frame(CapturedFrame frame) {
        pipeline.fireRead(frame);
    }

    /** The end of a batch of frames: formatters write what they hold. */
    public void batchComplete() {
        pipeline.fireReadComplete();
    }

    /** The capture has stopped: trackers report (the station table), formatters flush. */
    public void end() {
        pipeline.fireEvent(CaptureEnded.INSTANCE);
        pipeline.fireReadComplete();
    }

    /** Prints the statistics through the formatter, and flushes. */
    public void summary(CaptureSummary summary) {
        pipeline.fireRead(summary);
        pipeline.fireReadComplete();
    }
}
