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
 * Gives an open-loop run's event loops the generator's core whenever they wake: for the window, the
 * loops ask Linux for a short time slice, and the JVM's JIT compiler threads and the reporting thread
 * run at nice 19; after the window, those go back to nice 0.
 *
 * <p>Why: on the generator's core, a JIT compile (or the reporter's once-a-second work) that started
 * while the event loop slept kept the core for its whole time slice, because under EEVDF a task that
 * wakes does not preempt one whose slice is still protected; the loop's next send was late by up to that
 * slice, and an open-loop latency counts every microsecond of it. A waking task whose requested slice
 * ({@code sched_attr.sched_runtime}, Linux 6.12 and later) is shorter than the running task's cancels
 * that protection, and at nice 19 the compile's deadline is far behind the loop's, so the loop runs at
 * once; neither alone was enough. {@code SCHED_IDLE} would starve the background threads outright, and
 * a loop spinning for a HotSpot lock that an idle-class compiler held stalled; at nice 19 a thread still
 * gets a share. The measurements are in the module's BENCHMARKS.md.
 *
 * <p>The move is made in the warm-up's last second, not at the window's start: it runs on the
 * reporting thread, and the window opens with the core already arranged. Compiles still queued then go
 * on in the loops' idle time. Only open loop, where the loops have idle time by design. Should a loop
 * fall behind its schedule anyway (a deoptimization in the window, say, whose recompile now waits), it
 * puts the background threads back to nice 0 at once and lowers them again once it has caught up
 * ({@link Worker}'s tick). The move is made only by a process that may undo it: raising a nice value
 * back needs CAP_SYS_NICE (root has it) or an {@code RLIMIT_NICE} of 20. Without that, nothing moves.
 *
 * <p>Compiler threads are found by name in {@code /proc/self/task/<tid>/comm} ("C1 CompilerThre",
 * "C2 CompilerThre"; threads the JIT adds later are made by a compiler thread and inherit its nice
 * value). Anything that does not work (another OS, no native access, a call the kernel refuses) leaves
 * the threads as they were: this improves the measurement and is never a condition of the run.
 */
final class LoopPriority {

    private static final Logger log = LoggerFactory.getLogger(LoopPriority.class);
    private static final int PRIO_PROCESS = 0;
    private static final int BACKGROUND_NICE = 19;
    private static final int CAP_SYS_NICE = 23;
    /** The event loops' requested slice: 100 µs, the least Linux takes. */
    static final long LOOP_SLICE_NANOS = 100_000;
    private static final Path TASKS = Path.of("/proc/self/task");
    /** {@code __NR_sched_setattr} in arch/x86/entry/syscalls/syscall_64.tbl. */
    private static final long SCHED_SETATTR_X86_64 = 314;
    /** {@code __NR_sched_setattr} in include/uapi/asm-generic/unistd.h (arm64, riscv64, loongarch64). */
    private static final long SCHED_SETATTR_GENERIC = 274;

    private final CLib c;
    private final long setattr;
    private final List<Integer> moved = new ArrayList<>();
    private volatile boolean down;
    private boolean closed;

    private LoopPriority(CLib c, long setattr) {
        this.c = c;
        this.setattr = setattr;
    }

    /**
     * Loads the C library's calls and makes a first one, so that {@link #lower} later is a few system
     * calls and nothing else (loading JNA and its first call take tens of milliseconds of CPU).
     */
    static LoopPriority load() {
        CLib c = null;
        long setattr = -1;
        if (Platform.isLinux() && mayRestore()) {
            try {
                c = CLib.load();
                int self = currentThread();
                c.setpriority(PRIO_PROCESS, self, c.getpriority(PRIO_PROCESS, self)); // changes nothing
                compilerThreads();
                setattr = schedSetattrNumber(System.getProperty("os.arch"));
            } catch (LinkageError | LastErrorException | IOException e) {
                log.debug("threads will be left as they are: {}", e.toString());
                c = null;
            }
        }
        return new LoopPriority(c, setattr);
    }

    /**
     * Asks for a short time slice for the event loop threads {@code loops}, and moves every JIT compiler
     * thread of this JVM, and the calling thread, to nice 19 (remembered for {@link #restore} and
     * {@link #relower}).
     */
    synchronized void lower(List<Integer> loops) {
        if (c == null || closed) {
            return;
        }
        if (setattr > 0) {
            for (int tid : loops) {
                setSlice(tid, LOOP_SLICE_NANOS);
            }
        }
        try {
            List<Integer> tids = compilerThreads();
            tids.add(currentThread());
            for (int tid : tids) {
                try {
                    if (c.getpriority(PRIO_PROCESS, tid) == 0) {
                        c.setpriority(PRIO_PROCESS, tid, BACKGROUND_NICE);
                        moved.add(tid);
                    }
                } catch (LastErrorException e) {
                    log.debug("thread {} not moved to nice {}: errno {}", tid, BACKGROUND_NICE, e.getErrorCode());
                }
            }
        } catch (IOException e) {
            log.debug("threads left as they are: {}", e.toString());
        }
        down = !moved.isEmpty();
        log.debug("event loops {} asked for {} ns slices; threads moved to nice {}: {}", loops, LOOP_SLICE_NANOS,
                BACKGROUND_NICE, moved);
    }

    /** True while the threads {@link #lower} moved are at nice 19. */
    boolean isDown() {
        return down;
    }

    /** The threads at nice 19 now (none after {@link #restore}). */
    synchronized List<Integer> lowered() {
        return down ? List.copyOf(moved) : List.of();
    }

    /**
     * Puts the moved threads back to nice 0: when an event loop falls behind its schedule (from that
     * loop's thread), so that a compile the loop waits for gets its share of the core again.
     */
    synchronized void restore() {
        if (c != null) {
            nice(0);
        }
        down = false;
    }

    /** Moves the same threads to nice 19 again, once the loop that had fallen behind caught up. */
    synchronized void relower() {
        if (!closed && !down && !moved.isEmpty()) {
            nice(BACKGROUND_NICE);
            down = true;
        }
    }

    /**
     * At the end of the run: {@link #restore}, for good, and the same for any compiler thread the JIT
     * added in the window (made by a compiler thread at nice 19, it was born at nice 19).
     */
    synchronized void close() {
        if (c != null && !moved.isEmpty()) {
            try {
                for (int tid : compilerThreads()) {
                    if (!moved.contains(tid) && c.getpriority(PRIO_PROCESS, tid) == BACKGROUND_NICE) {
                        moved.add(tid);
                    }
                }
            } catch (IOException | LastErrorException e) {
                log.debug("compiler threads not listed again: {}", e.toString());
            }
        }
        restore();
        closed = true;
    }

    private void nice(int value) {
        for (int tid : moved) {
            try {
                c.setpriority(PRIO_PROCESS, tid, value);
            } catch (LastErrorException e) {
                // ESRCH: the thread is gone (a compiler thread the JIT retired)
                log.debug("thread {} not moved to nice {}: errno {}", tid, value, e.getErrorCode());
            }
        }
    }

    /**
     * {@code sched_setattr(tid, {SCHED_OTHER, nice 0, sched_runtime = slice})}: {@code struct sched_attr}
     * (its first version, 48 bytes) as six longs: size and policy, flags, nice and priority, runtime,
     * deadline, period. Kernels before 6.12 take the runtime of a SCHED_OTHER thread and ignore it.
     */
    private void setSlice(int tid, long slice) {
        long[] attr = {48, 0, 0, slice, 0, 0};
        try {
            c.syscall(setattr, (long) tid, attr, 0L);
        } catch (LastErrorException e) {
            log.debug("thread {}: no {} ns slice: errno {}", tid, slice, e.getErrorCode());
        }
    }

    /** The slice that thread {@code tid} asked for (0: the default), from {@code sched_getattr}. */
    long slice(int tid) {
        if (c == null || setattr < 0) {
            return 0; // no native access, or not available on this architecture
        }
        long[] attr = new long[7];
        c.syscall(setattr + 1, (long) tid, attr, 56L, 0L); // sched_getattr is the next system call
        return attr[3];
    }

    /**
     * The system-call number of {@code sched_setattr} on {@code arch} (an {@code os.arch} value), or -1
     * when this table does not know it ({@code sched_getattr} is always the next number). Called through
     * {@code syscall(2)} because glibc has no wrapper for it before 2.41 (this machine's 2.36 exports no
     * {@code sched_setattr}), so there is no symbol to look up by name; the numbers are the kernel's ABI
     * and never change. On an architecture not listed, the loops keep the default slice and only the
     * nice values move.
     */
    static long schedSetattrNumber(String arch) {
        return switch (arch == null ? "" : arch) {
            case "amd64", "x86_64" -> SCHED_SETATTR_X86_64;
            case "aarch64", "arm64", "riscv64", "loongarch64" -> SCHED_SETATTR_GENERIC;
            default -> -1;
        };
    }

    /**
     * True if this process may raise a thread's nice value back to 0: it has CAP_SYS_NICE (root has), or
     * an {@code RLIMIT_NICE} of 20 or more. Without that nothing is moved: a loop that fell behind could
     * not give its compiler back its share.
     */
    static boolean mayRestore() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    long caps = Long.parseUnsignedLong(line.substring(7).strip(), 16);
                    if ((caps & (1L << CAP_SYS_NICE)) != 0) {
                        return true;
                    }
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max nice priority")) {
                    String soft = line.substring("Max nice priority".length()).strip().split("\\s+")[0];
                    return soft.equals("unlimited") || Long.parseLong(soft) >= 20;
                }
            }
        } catch (IOException | RuntimeException e) {
            log.debug("no privilege check possible: {}", e.toString());
        }
        return false;
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

    /** The C library's calls used here. */
    private interface CLib extends Library {
        static CLib load() {
            return Native.load("c", CLib.class);
        }

        int getpriority(int which, int who) throws LastErrorException;

        int setpriority(int which, int who, int prio) throws LastErrorException;

        long syscall(long number, Object... args) throws LastErrorException;
    }
}
