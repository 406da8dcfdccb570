package io.inetkit.sniffer.capture;

import io.inetkit.common.cli.UserException;
import io.inetkit.sniffer.chain.ArpPipeline;
import io.inetkit.sniffer.chain.CaptureStats;
import io.inetkit.sniffer.packet.CapturedFrame;
import com.sun.jna.Callback;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The capture loop: feeds an open handle's frames to an {@link ArpPipeline} until the file ends, enough
 * frames matched, or {@link #stop()}.
 *
 * <p>Two threads share the work, like dumpcap and tshark: a capture thread ("pcap-capture") only reads
 * (libpcap and pcap4j's callback, one {@link CapturedFrame} per frame) and hands over batches of
 * frames; the calling thread runs the pipeline on them and writes the output. Reading never waits for a
 * slow terminal (fewer kernel drops on a busy link), and on two cores the halves run side by side. The
 * queue between them is bounded: when the pipeline falls behind, the capture thread waits.
 *
 * <p>A stop is {@code pcap_breakloop} plus a flag: the live handle's read timeout
 * ({@value PcapCapture#LIVE_READ_TIMEOUT_MILLIS} ms) bounds how long the capture thread can miss it.
 */
final class CaptureLoop {

    private static final Logger LOG = LoggerFactory.getLogger(CaptureLoop.class);

    /**
     * The loop whose capture thread is inside a dispatch. The callback catches everything itself
     * ({@link #onRecord}); should anything still escape into JNA (an {@code Error}), JNA's process-wide
     * handler counts the record through the thread instead of printing a stack trace.
     */
    private static final ThreadLocal<CaptureLoop> DISPATCHING = new ThreadLocal<>();

    static {
        Native.setCallbackExceptionHandler(CaptureLoop::callbackFailed);
    }

    /** Frames per dispatch when reading a file: output is flushed after each batch. */
    static final int FILE_BATCH = 4096;
    /** Batches the capture thread may be ahead of the pipeline. */
    static final int QUEUED_BATCHES = 8;
    private static final Object END = new Object();

    private final PcapHandle handle;
    private final Pointer pcap;
    /** Held in a field: JNA frees a callback's native stub once its Java object is unreachable. */
    private final NativePcap.PcapHandler handler = NativePcap.handler(this::onRecord);
    private final CaptureSource source;
    private volatile boolean stopRequested;
    private volatile UserException failure;
    /** Frames the capture thread has read (for the message of a damaged file). */
    private long framesRead;
    /** Frames the capture thread could not hand over (counted as malformed). */
    private long unreadable;
    /** The frames read since the last hand-over; the capture thread's alone. */
    private List<CapturedFrame> pending = new ArrayList<>(FILE_BATCH);

    CaptureLoop(PcapHandle handle, CaptureSource source) {
        this.handle = handle;
        this.pcap = NativePcap.pointer(handle);
        this.source = source;
    }

    /**
     * Runs the capture on this thread's pipeline; stops after {@code count} matched frames (0: no limit)
     * or when {@code outputBroken} says stdout is gone. A read error ends it: {@link #failure()}.
     */
    void run(ArpPipeline pipeline, CaptureStats stats, long count, BooleanSupplier outputBroken) {
        BlockingQueue<Object> batches = new ArrayBlockingQueue<>(QUEUED_BATCHES);
        Thread reader = new Thread(() -> read(batches), "pcap-capture");
        reader.setDaemon(true);
        reader.start();
        boolean countReached = false;
        try {
            while (!countReached) {
                Object next = batches.take();
                if (next == END) {
                    break;
                }
                @SuppressWarnings("unchecked")
                List<CapturedFrame> batch = (List<CapturedFrame>) next;
                for (CapturedFrame frame : batch) {
                    stats.matched();
                    pipeline.frame(frame);
                    if (count > 0 && stats.matchedCount() >= count) {
                        countReached = true;
                        break;
                    }
                }
                pipeline.batchComplete();
                if (outputBroken.getAsBoolean()) {
                    stop();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stop();
            batches.clear(); // unblocks a reader waiting to hand over a batch
            try {
                reader.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stats.unreadable(unreadable);
        }
        if (countReached) {
            failure = null; // what the reader found past the last frame asked for does not matter
        }
    }

    /** Asks the loop to stop: it ends within one read timeout. Safe from any thread. */
    void stop() {
        stopRequested = true;
        try {
            handle.breakLoop();
        } catch (NotOpenException e) {
            // already closed: nothing to break
        }
    }

    /** What ended the capture early, or null. */
    UserException failure() {
        return failure;
    }

    /** The capture thread: dispatch, hand over batches, then {@link #END}. */
    private void read(BlockingQueue<Object> batches) {
        boolean live = source.live();
        DISPATCHING.set(this);
        try {
            while (!stopRequested) {
                int n = NativePcap.pcap_dispatch(pcap, live ? -1 : FILE_BATCH, handler, null);
                if (n == -1) {
                    failure = PcapErrors.readFailed(source, framesRead, NativePcap.pcap_geterr(pcap));
                    break;
                }
                if (!hand(batches)) {
                    return;
                }
                if (!live && n == 0) {
                    break; // end of file
                }
            }
            hand(batches);
        } finally {
            DISPATCHING.remove();
            put(batches, END);
        }
    }

    /** Hands over the frames collected so far; false when the consumer has gone. */
    private boolean hand(BlockingQueue<Object> batches) {
        if (pending.isEmpty()) {
            return true;
        }
        List<CapturedFrame> full = pending;
        pending = new ArrayList<>(source.live() ? 64 : FILE_BATCH);
        return put(batches, full);
    }

    private boolean put(BlockingQueue<Object> batches, Object item) {
        try {
            while (!batches.offer(item, PcapCapture.LIVE_READ_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                if (stopRequested && item != END) {
                    return false; // stopping, and the pipeline is not taking any more
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** One record, inside {@code pcap_dispatch}: nothing may escape from here into libpcap. */
    private void onRecord(long seconds, long micros, int capturedLength, int wireLength, Pointer bytes) {
        if (stopRequested) {
            return; // the rest of a dispatch after a stop
        }
        try {
            byte[] packet = bytes.getByteArray(0, capturedLength);
            int length = Math.max(wireLength, capturedLength);
            pending.add(CapturedFrame.fromRecord(seconds, micros, length, packet));
            framesRead++;
        } catch (RuntimeException | OutOfMemoryError e) {
            unreadable++;
            LOG.debug("unreadable record {}: {}", framesRead + unreadable, e.toString());
        }
    }

    /** A callback threw before our listener ran: the record is counted as unreadable (malformed). */
    private static void callbackFailed(Callback callback, Throwable e) {
        CaptureLoop loop = DISPATCHING.get();
        if (loop != null) {
            loop.unreadable++;
        }
        LOG.debug("unreadable record: {}", e.toString());
    }
}
