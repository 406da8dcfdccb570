package io.inetkit.sniffer.chain;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler: every exception a handler throws on a frame ends here, is counted as a malformed
 * frame and logged at DEBUG, and goes no further, so the capture goes on with the next frame.
 */
final class MalformedFrameHandler implements FrameHandler {

    private static final Logger LOG = LoggerFactory.getLogger(MalformedFrameHandler.class);

    private final CaptureStats stats;

    MalformedFrameHandler(CaptureStats stats) {
        this.stats = stats;
    }

    @Override
    public void read(FrameContext ctx, Object msg) {
        ctx.fireRead(msg);
    }

    @Override
    public void exceptionCaught(FrameContext ctx, Throwable cause) {
        stats.malformed();
        if (LOG.isDebugEnabled()) {
            LOG.debug("malformed frame: {}", cause.toString(), cause);
        }
    }
}
