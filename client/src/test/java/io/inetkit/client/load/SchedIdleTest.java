package io.inetkit.client.load;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@link SchedIdle} on this JVM's own threads, read back from {@code /proc}. */
class SchedIdleTest {

    static final int SCHED_OTHER = 0;
    static final int SCHED_IDLE = 5;

    @Test
    void movesTheCompilerThreadsAndTheCallerToIdleAndBack() throws IOException {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux only");
        List<Integer> compilers = SchedIdle.compilerThreads();
        assertThat(compilers).as("HotSpot's JIT threads, by name").isNotEmpty();
        int self = SchedIdle.currentThread();
        assertThat(policy(self)).isEqualTo(SCHED_OTHER);

        SchedIdle idle = SchedIdle.load();
        idle.lower();
        try {
            assertThat(idle.lowered()).containsAll(compilers).contains(self);
            for (int tid : idle.lowered()) {
                assertThat(policy(tid)).as("policy of thread %d", tid).isEqualTo(SCHED_IDLE);
            }
        } finally {
            idle.restore();
        }
        assertThat(idle.lowered()).isEmpty();
        assumeTrue(isRoot(), "back from SCHED_IDLE needs root (or RLIMIT_NICE 20)");
        for (int tid : compilers) {
            assertThat(policy(tid)).as("policy of thread %d", tid).isEqualTo(SCHED_OTHER);
        }
        assertThat(policy(self)).isEqualTo(SCHED_OTHER);
    }

    /** The scheduling policy of one of this process's threads: field 41 of its {@code stat}. */
    static int policy(int tid) throws IOException {
        String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
        // the fields after the command name, which is in parentheses and may hold spaces: state is field 3
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(f[41 - 3]);
    }

    /** Every thread of this JVM that is in {@code SCHED_IDLE}. */
    static List<Integer> idleThreads() throws IOException {
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.map(t -> Integer.parseInt(t.getFileName().toString())).filter(tid -> {
                try {
                    return policy(tid) == SCHED_IDLE;
                } catch (IOException gone) {
                    return false;
                }
            }).toList();
        }
    }

    static boolean isRoot() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[2].equals("0"));
    }
}
