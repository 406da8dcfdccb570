package io.inetkit.client.load;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@link LoopPriority} on this JVM's own threads, read back from {@code /proc}. */
class LoopPriorityTest {

    @Test
    void movesTheCompilerThreadsAndTheCallerAsideAndBackAndGivesTheLoopAShortSlice() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux only");
        List<Integer> compilers = LoopPriority.compilerThreads();
        assertThat(compilers).as("HotSpot's JIT threads, by name").isNotEmpty();
        int self = LoopPriority.currentThread();
        assertThat(nice(self)).isZero();
        assumeTrue(LoopPriority.mayRestore(), "moves only when it may move back: CAP_SYS_NICE or RLIMIT_NICE 20");

        // a stand-in event loop: a thread of its own, which asks for nothing itself
        int[] loop = new int[1];
        Thread t = new Thread(() -> {
            try {
                loop[0] = LoopPriority.currentThread();
                Thread.sleep(60_000);
            } catch (IOException | InterruptedException e) {
                // interrupted: the test is over
            }
        });
        t.start();
        try {
            while (loop[0] == 0) {
                Thread.onSpinWait();
            }
            LoopPriority priority = LoopPriority.load();
            long before = priority.slice(loop[0]);
            priority.lower(List.of(loop[0]));
            try {
                List<Integer> moved = priority.lowered();
                assertThat(moved).containsAll(compilers).contains(self).doesNotContain(loop[0]);
                assertNice(moved, 19);
                assertThat(nice(loop[0])).isZero();
                assertThat(priority.slice(loop[0])).isNotEqualTo(before).isEqualTo(LoopPriority.LOOP_SLICE_NANOS);

                priority.restore(); // a loop fell behind
                assertThat(priority.isDown()).isFalse();
                assertThat(priority.lowered()).isEmpty();
                assertNice(moved, 0);

                priority.relower(); // ... and caught up
                assertThat(priority.lowered()).containsExactlyElementsOf(moved);
                assertNice(moved, 19);
            } finally {
                priority.close();
            }
            assertThat(priority.lowered()).isEmpty();
            assertNice(compilers, 0);
            assertThat(nice(self)).isZero();
            priority.relower(); // after the run: nothing moves again
            assertThat(priority.lowered()).isEmpty();
            assertThat(nice(self)).isZero();
        } finally {
            t.interrupt();
            t.join();
        }
    }

    static void assertNice(List<Integer> tids, int nice) throws IOException {
        for (int tid : tids) {
            assertThat(nice(tid)).as("nice value of thread %d", tid).isEqualTo(nice);
        }
    }

    /** The nice value of one of this process's threads: field 19 of its {@code stat}. */
    static int nice(int tid) throws IOException {
        String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
        // the fields after the command name, which is in parentheses and may hold spaces: state is field 3
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(f[19 - 3]);
    }

    /** Every thread of this JVM whose nice value is not 0. */
    static List<Integer> nicedThreads() throws IOException {
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.map(t -> Integer.parseInt(t.getFileName().toString())).filter(tid -> {
                try {
                    return nice(tid) != 0;
                } catch (IOException gone) {
                    return false;
                }
            }).toList();
        }
    }

    @Test
    void systemCallNumbersAreKnownPerArchitectureAndMissingOnesAreNotGuessed() {
        assertThat(LoopPriority.schedSetattrNumber("amd64")).isEqualTo(314);
        assertThat(LoopPriority.schedSetattrNumber("aarch64")).isEqualTo(274);
        assertThat(LoopPriority.schedSetattrNumber("s390x")).isEqualTo(-1);
        assertThat(LoopPriority.schedSetattrNumber(null)).isEqualTo(-1);
    }
}
