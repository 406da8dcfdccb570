package io.inetkit.client.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inetkit.client.testing.CliRun;
import io.inetkit.common.framing.Framing;
import io.inetkit.server.EchoServer;
import io.inetkit.server.ServerSettings;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
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

    @Test
    void theHtmlPageHasLatencyOverTimeAndSaysWhenHowAndWhereItRan() {
        // second 2 stalled: its p99 and max jump, its p50 does not
        List<SeriesPoint> series = List.of(new SeriesPoint(1, 1000, 100_000, 200_000, 300_000),
                new SeriesPoint(2, 400, 110_000, 250_000_000, 480_000_000), new SeriesPoint(3, 1000, 100_000, 210_000, 290_000));
        LoadResult r = LoadResult.builder().target("127.0.0.1:5005").series(series).errors(Map.of())
                .run(new RunInfo("2026-12-03T11:04:05Z", "inetkit load 127.0.0.1 5005 --message 'a b'",
                        "2 cores, Linux 6.1.0 amd64")).build();
        String page = HtmlReport.html(r);
        String chart = page.substring(page.indexOf("<svg id=\"latency-over-time\""));
        chart = chart.substring(0, chart.indexOf("</svg>"));
        assertThat(chart).contains("class=\"curve p50\"").contains("class=\"curve p99\"")
                .contains("class=\"curve max\"").contains(">p99</text>").contains(">500</text>"); // y axis to 500 ms
        assertThat(page).contains("<td>date</td><td>2026-12-03T11:04:05Z</td>")
                .contains("<code>inetkit load 127.0.0.1 5005 --message 'a b'</code>")
                .contains("<td>machine</td><td>2 cores, Linux 6.1.0 amd64</td>");
    }

    @Test
    void aRunRecordsItsCommandLineDateAndMachine() throws IOException {
        EchoServer server = new EchoServer(ServerSettings.builder().bind("127.0.0.1").ioThreads(1)
                .tcp(0, Framing.parse("line")).build()).start();
        Path json = dir.resolve("r.json");
        String port = String.valueOf(server.tcpAddresses().get(0).getPort());
        try {
            CliRun r = CliRun.run("load", "127.0.0.1", port, "--framing", "line", "-c", "1", "-d", "1100ms",
                    "-w", "0", "-q", "-m", "a b", "--json", json.toString());
            assertThat(r.exit()).as(r.toString()).isZero();
        } finally {
            server.stop();
        }
        JsonNode run = new ObjectMapper().readTree(json.toFile()).get("run");
        assertThat(run.get("command_line").asText()).isEqualTo("inetkit load 127.0.0.1 " + port
                + " --framing line -c 1 -d 1100ms -w 0 -q -m 'a b' --json " + json);
        assertThat(Instant.parse(run.get("date").asText())).isBetween(Instant.now().minusSeconds(60), Instant.now());
        assertThat(run.get("machine").asText()).startsWith(Runtime.getRuntime().availableProcessors() + " core")
                .contains(System.getProperty("os.version"));
        JsonNode first = new ObjectMapper().readTree(json.toFile()).get("throughput_series").get(0);
        assertThat(first.get("p50_us").asDouble()).isPositive();
        assertThat(first.get("max_us").asDouble()).isGreaterThanOrEqualTo(first.get("p99_us").asDouble());
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
    void mergeWarnsWhenTheLogsDoNotOverlapOrTheirModesDiffer() throws IOException {
        long t0 = 1_780_000_000_000L;
        CliRun together = CliRun.run("load", "merge", log("a.hlog", "tcp-closed", t0, 3).toString(),
                log("b.hlog", "tcp-closed", t0 + 1000, 3).toString());
        assertThat(together.exit()).as(together.toString()).isZero();
        assertThat(together.err()).doesNotContain("warning");
        // the merged page has both generators' latencies per second, and each generator's machine
        Path html = dir.resolve("m.html");
        CliRun page = CliRun.run("load", "merge", dir.resolve("a.hlog").toString(), dir.resolve("b.hlog").toString(),
                "--html", html.toString());
        assertThat(page.exit()).as(page.toString()).isZero();
        assertThat(Files.readString(html)).contains("<svg id=\"latency-over-time\"").contains("class=\"curve p50\"")
                .contains("a.hlog: " + Runtime.getRuntime().availableProcessors() + " core")
                .contains("<code>inetkit load merge " + dir.resolve("a.hlog"));

        CliRun apart = CliRun.run("load", "merge", log("c.hlog", "tcp-closed", t0, 3).toString(),
                log("d.hlog", "udp-open", t0 + 60_000, 3).toString());
        assertThat(apart.exit()).as(apart.toString()).isZero();
        assertThat(apart.err()).contains("warning: the logs do not overlap in time (c.hlog 20:26:40-20:26:43, "
                + "d.hlog 20:27:40-20:27:43 UTC)")
                .contains("warning: the logs' modes differ (c.hlog tcp-closed, d.hlog udp-open)");
    }
}
