package io.inetkit.common.framing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * Whole frames that arrived together, as one buffer: what an {@linkplain Framing#newEchoDecoder() echo
 * decoder} passes on. The frames keep their framing bytes and follow each other as on the wire, so writing
 * the buffer back echoes every one of them, in one write.
 *
 * <pre>
 * wire:      | H i \n | t h e r e \n | h o  (rest of a frame still to come)
 * FrameRun:  | H i \n | t h e r e \n |       frames() = 2
 * </pre>
 */
public final class FrameRun extends DefaultByteBufHolder {

    private final int frames;

    /**
     * @param frames whole frames in {@code content}
     */
    public FrameRun(ByteBuf content, int frames) {
        super(content);
        if (frames <= 0) {
            throw new IllegalArgumentException("frames must be > 0: " + frames);
        }
        this.frames = frames;
    }

    /** Whole frames in {@link #content()}. */
    public int frames() {
        return frames;
    }

    @Override
    public FrameRun replace(ByteBuf content) {
        return new FrameRun(content, frames);
    }

    @Override
    public FrameRun copy() {
        return (FrameRun) super.copy();
    }

    @Override
    public FrameRun duplicate() {
        return (FrameRun) super.duplicate();
    }

    @Override
    public FrameRun retainedDuplicate() {
        return (FrameRun) super.retainedDuplicate();
    }

    @Override
    public FrameRun retain() {
        super.retain();
        return this;
    }

    @Override
    public FrameRun retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public FrameRun touch() {
        super.touch();
        return this;
    }

    @Override
    public FrameRun touch(Object hint) {
        super.touch(hint);
        return this;
    }

    @Override
    public String toString() {
        return "FrameRun(" + frames + " frames, " + content().readableBytes() + " bytes)";
    }
}
