package io.inetkit.client.load;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves the generator's background threads, the JVM's JIT compiler threads and the reporting thread, to
 * Linux's {@code SCHED_IDLE} class for an open-loop run's window, and back to {@code SCHED_OTHER} after.
 * Only the event loops that send and receive stay in the normal class.
 *
 * <p>Why: on the generator's core, a C2 compile (or the reporter's once-a-second work) that starts while
 * the event loop sleeps keeps the core for its whole time slice, about 1.5 ms under EEVDF with two CPUs:
 * a normal task that wakes does not preempt another normal task before that. The loop's next send is
 * then late by up to the slice, and an open-loop latency, measured from the intended send time, counts
 * every microsecond of it (measured at 10,000 msgs/s: p99 1.3-2.3 ms, against 0.2-0.3 ms for the C
 * loadgen, with every late send inside a compile's slice). A waking normal task preempts a
 * {@code SCHED_IDLE} one at once. A nice value does not do this: a nice-19 compile keeps its slice too
 * (measured: p99 no better), and the compiles it delays spill into the window.
 *
 * <p>The move is made in the warm-up's last second, not at the window's start: the move itself runs on
 * the reporting thread, and the window opens with the core already arranged. Compiles still queued then
 * go on in the loops' idle time. Only open loop, where the loops have idle time by design: a closed loop
 * keeps its core busy, and an idle-class compiler would starve there.
 *
 * <p>Compiler threads are found by name in {@code /proc/self/task/<tid>/comm} ("C1 CompilerThre",
 * "C2 CompilerThre"; threads the JIT adds later are made by a compiler thread and inherit its class).
 * Anything that does not work (another OS, no native access, a policy the kernel refuses) leaves the
 * threads as they were: this improves the measurement and is never a condition of the run. Going back
 * from {@code SCHED_IDLE} needs root or an {@code RLIMIT_NICE} of 20; a process that may not keeps the
 * class until it exits, which for the command line is right after the report.
 */
final class SchedIdle {

    private static final Logger log = LoggerFactory.getLogger(SchedIdle.class);
    private static final int SCHED_OTHER = 0;
    private static final int SCHED_IDLE = 5;
    private static final Path TASKS = Path.of("/proc/self/task");

    private final CLib c;
    private final List<Integer> lowered = new ArrayList<>();

    private SchedIdle(CLib c) {
        this.c = c;
    }

    /**
     * Loads the C library's calls and makes a first one, so that {@link #lower} later is a few system
     * calls and nothing else (loading JNA and its first call take tens of milliseconds of CPU).
     */
    static SchedIdle load() {
        CLib c = null;
        if (Platform.isLinux()) {
            try {
                c = CLib.load();
                int self = currentThread();
                c.sched_setscheduler(self, c.sched_getscheduler(self), new int[] {0}); // changes nothing
                compilerThreads();
            } catch (LinkageError | LastErrorException | IOException e) {
                log.debug("threads will be left in their scheduling class: {}", e.toString());
                c = null;
            }
        }
        return new SchedIdle(c);
    }

    /**
     * Moves every JIT compiler thread of this JVM, and the calling thread, that is in {@code SCHED_OTHER}
     * to {@code SCHED_IDLE}.
     */
    void lower() {
        if (c == null) {
            return;
        }
        try {
            List<Integer> tids = compilerThreads();
            tids.add(currentThread());
            int[] param = {0};
            for (int tid : tids) {
                try {
                    if (c.sched_getscheduler(tid) == SCHED_OTHER) {
                        c.sched_setscheduler(tid, SCHED_IDLE, param);
                        lowered.add(tid);
                    }
                } catch (LastErrorException e) {
                    log.debug("thread {} not moved to SCHED_IDLE: errno {}", tid, e.getErrorCode());
                }
            }
        } catch (IOException e) {
            log.debug("threads left in their scheduling class: {}", e.toString());
        }
        log.debug("threads moved to SCHED_IDLE: {}", lowered);
    }

    /** The threads {@link #lower} moved and {@link #restore} has not put back. */
    List<Integer> lowered() {
        return List.copyOf(lowered);
    }

    /** Puts the moved threads back to {@code SCHED_OTHER}, as far as the process may. */
    void restore() {
        int[] param = {0};
        for (int tid : lowered) {
            try {
                c.sched_setscheduler(tid, SCHED_OTHER, param);
            } catch (LastErrorException e) {
                // EPERM without root: the class stays until the process ends; ESRCH: the thread is gone
                log.debug("thread {} left in SCHED_IDLE: errno {}", tid, e.getErrorCode());
            }
        }
        lowered.clear();
    }

    /** The thread ids of this JVM's JIT compiler threads, by their names. */
    static List<Integer> compilerThreads() throws IOException {
        List<Integer> tids = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                String comm;
                try {
                    comm = Files.readString(task.resolve("comm")).strip();
                } catch (IOException gone) {
                    continue; // the thread ended while we listed
                }
                if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
                    tids.add(Integer.parseInt(task.getFileName().toString()));
                }
            }
        }
        return tids;
    }

    /** The calling thread's id: {@code /proc/thread-self} links to {@code <pid>/task/<tid>}. */
    static int currentThread() throws IOException {
        return Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
    }

    /** The C library's scheduling calls ({@code struct sched_param} is one int: an int[1] stands for it). */
    private interface CLib extends Library {
        static CLib load() {
            return Native.load("c", CLib.class);
        }

        int sched_getscheduler(int pid) throws LastErrorException;

        int sched_setscheduler(int pid, int policy, int[] param) throws LastErrorException;
    }
}
