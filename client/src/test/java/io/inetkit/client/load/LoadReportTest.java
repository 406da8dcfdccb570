package io.inetkit.client.load;

import io.inetkit.client.testing.CliRun;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the table, the HTML page and load merge say about a result. */
class LoadReportTest {

    @TempDir
    Path dir;

    @Test
    void onlyTheErrorKindsThatHappenedAreListedUnderErrors() {
        LoadResult r = LoadResult.builder().errors(Map.of("reset", 2L, "mismatch", 0L, "timeout", 0L)).build();
        String table = Reports.text(r);
        assertThat(table).containsPattern(" errors +\\| 2\n   reset +\\| 2\n");
        assertThat(table).doesNotContain("mismatch").doesNotContain("timeout").doesNotContainPattern("  closed +\\|");
        assertThat(HtmlReport.html(r)).contains("<td>reset</td><td class=\"bad\">2</td>").doesNotContain("mismatch");
        // the JSON keeps every kind: a stable schema for scripts
        assertThat(Reports.json(r).get("errors").toString()).contains("mismatch=0").contains("reset=2");
    }

    /** A log as a run writes it: {@code seconds} one-second intervals from {@code startMs}. */
    private Path log(String name, String mode, long startMs, int seconds) {
        Path file = dir.resolve(name);
        LoadResult r = LoadResult.builder().target("127.0.0.1:9").mode(mode).messages(10L * seconds)
                .durationSeconds(seconds).wireSize(64).payloadSize(64).errors(Map.of()).build();
        try (IntervalLog log = IntervalLog.open(file)) {
            log.start("127.0.0.1:9 " + mode, startMs);
            for (int i = 0; i < seconds; i++) {
                Histogram h = WorkerRecorder.newHistogram();
                h.recordValue(100_000);
                log.interval(h, i * 1000L, (i + 1) * 1000L);
            }
            log.end(WorkerRecorder.newHistogram(), r);
        }
        return file;
    }

    @Test
    void mergeWarnsWhenTheLogsDoNotOverlapOrTheirModesDiffer() {
        long t0 = 1_780_000_000_000L;
        CliRun together = CliRun.run("load", "merge", log("a.hlog", "tcp-closed", t0, 3).toString(),
                log("b.hlog", "tcp-closed", t0 + 1000, 3).toString());
        assertThat(together.exit()).as(together.toString()).isZero();
        assertThat(together.err()).doesNotContain("warning");

        CliRun apart = CliRun.run("load", "merge", log("c.hlog", "tcp-closed", t0, 3).toString(),
                log("d.hlog", "udp-open", t0 + 60_000, 3).toString());
        assertThat(apart.exit()).as(apart.toString()).isZero();
        assertThat(apart.err()).contains("warning: the logs do not overlap in time (c.hlog 20:26:40-20:26:43, "
                + "d.hlog 20:27:40-20:27:43 UTC)")
                .contains("warning: the logs' modes differ (c.hlog tcp-closed, d.hlog udp-open)");
    }
}
