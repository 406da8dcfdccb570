package io.inetkit.sniffer;

import io.inetkit.sniffer.SniffFileTest.Run;
import io.inetkit.sniffer.capture.SniffExit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Random mutations of valid captures, read with {@code -r}: every run ends by itself with a documented
 * exit code, and nothing on stderr (ours or what pcap4j and JNA print to the process's own stderr) is a
 * stack trace. The mutations are those that broke readers before: bit flips anywhere, truncation at any
 * byte, record lengths from 0 to 2^32-1, microseconds fields past a second, and a damaged file header.
 */
class SniffFuzzTest {

    private static final long SEED = Long.getLong("test.seed", System.nanoTime());
    private static final int FILES = 300;
    private static final int GLOBAL_HEADER = 24;
    private static final int RECORD_HEADER = 16;
    private static final List<Integer> DOCUMENTED = List.of(0, SniffExit.BAD_CAPTURE_FILE);

    @TempDir
    Path dir;

    @Test
    void noMutatedCaptureGetsAStackTraceAHangOrAnUndocumentedExit() throws Exception {
        List<byte[]> seeds = List.of(Files.readAllBytes(Path.of("examples/arp-kinds.pcap")),
                Files.readAllBytes(Path.of("examples/lecture.pcap")));
        SplittableRandom random = new SplittableRandom(SEED);
        PrintStream processErr = System.err;
        ByteArrayOutputStream stray = new ByteArrayOutputStream();
        System.setErr(new PrintStream(stray, true, StandardCharsets.UTF_8));
        // JNA reports a callback's exception through java.util.logging, whose console handler may hold the
        // stderr of before the swap: a handler of our own sees those records whatever the console does
        List<LogRecord> julRecords = new CopyOnWriteArrayList<>();
        Handler jul = new Handler() {
            @Override
            public void publish(LogRecord record) {
                julRecords.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger.getLogger("").addHandler(jul);
        try {
            for (int i = 0; i < FILES; i++) {
                byte[] mutated = mutate(seeds.get(random.nextInt(seeds.size())), random);
                Path file = Files.write(dir.resolve("fuzz-" + i + ".pcap"), mutated);
                String what = "file " + i + " (seed " + SEED + ")";
                Run run = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> SniffFileTest.sniff("-r",
                        file.toString()), what + " hangs");
                assertThat(run.exitCode()).as(what + ": " + run.err()).isIn(DOCUMENTED);
                assertThat(run.err()).as(what).doesNotContain("\tat ").doesNotContain("Exception");
                if (run.exitCode() != 0) {
                    assertThat(run.err().lines().filter(l -> l.startsWith("inetkit sniff: ")))
                            .as(what + ": one error line").hasSize(1);
                }
                assertThat(stray.toString(StandardCharsets.UTF_8)).as(what + ": stray stderr").doesNotContain("\tat ");
                assertThat(julRecords).as(what + ": java.util.logging").extracting(LogRecord::getMessage).isEmpty();
            }
        } finally {
            Logger.getLogger("").removeHandler(jul);
            System.setErr(processErr);
        }
    }

    /**
     * Mutated files read with {@code -f ''}: every record libpcap delivers is counted, the same number that
     * tcpdump prints, and the counts add up (decoded + malformed + not ARP = received). Records with random
     * bytes, random microseconds fields and wire lengths are among them.
     */
    @Test
    void everyRecordIsCountedAsTcpdumpCountsIt() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(io.inetkit.sniffer.testing.Tools.installed("tcpdump"),
                "tcpdump is not installed (apt-get install tcpdump): the count comparison is skipped");
        SplittableRandom random = new SplittableRandom(SEED + 1);
        byte[] seed = Files.readAllBytes(Path.of("examples/arp-kinds.pcap"));
        for (int i = 0; i < 120; i++) {
            io.inetkit.sniffer.testing.RawPcap p = new io.inetkit.sniffer.testing.RawPcap(1);
            for (int n = random.nextInt(1, 30); n > 0; n--) {
                byte[] frame = io.inetkit.sniffer.testing.Frames.hostile(random);
                long usec = random.nextInt(4) == 0 ? random.nextLong(0, 1L << 32) : random.nextInt(1_000_000);
                p.add(1_700_000_000L + n, usec, frame, frame.length + (random.nextBoolean() ? 0 : random.nextInt(100)));
            }
            byte[] file = random.nextBoolean() ? p.toByteArray() : mutate(seed, random);
            Path f = Files.write(dir.resolve("count-" + i + ".pcap"), file);
            String what = "file " + i + " (seed " + SEED + ")";
            Run run = SniffFileTest.sniff("-r", f.toString(), "-f", "", "-q", "-t");
            assertThat(run.exitCode()).as(what + ": " + run.err()).isIn(DOCUMENTED);
            assertThat(run.err()).as(what).doesNotContain("\tat ").doesNotContain("Exception");
            io.inetkit.sniffer.testing.Tools.Result tcpdump = io.inetkit.sniffer.testing.Tools.run(30,
                    "tcpdump", "-nn", "-q", "-t", "-r", f.toString());
            if (run.err().startsWith("inetkit sniff: cannot read capture file")) {
                assertThat(tcpdump.exitCode()).as(what + ": tcpdump cannot open it either").isNotZero();
                continue;
            }
            if (run.err().contains(" has link type ")) {
                continue; // a damaged header named a link type without decoder: refused whole, one line
            }
            long theirs = tcpdump.out().lines().filter(l -> !l.startsWith("\t")).count();
            long received = counter(run.err(), "frames received by filter");
            assertThat(received).as(what + ": every record counted, as tcpdump prints them").isEqualTo(theirs);
            assertThat(counter(run.err(), "decoded as ARP") + counter(run.err(), "malformed")
                    + counter(run.err(), "not ARP")).as(what).isEqualTo(received);
        }
    }

    private static long counter(String summary, String label) {
        return summary.lines().filter(l -> l.endsWith(" " + label)).mapToLong(l -> Long.parseLong(l.split(" ")[0]))
                .findFirst().orElseThrow(() -> new AssertionError("no '" + label + "' in " + summary));
    }

    private static byte[] mutate(byte[] seed, SplittableRandom random) {
        byte[] d = Arrays.copyOf(seed, seed.length);
        ByteBuffer b = ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN);
        int record = recordOffset(b, random.nextInt(4));
        switch (random.nextInt(5)) {
            case 0 -> {
                for (int n = 1 + random.nextInt(8); n > 0; n--) {
                    d[random.nextInt(d.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> d = Arrays.copyOf(d, random.nextInt(d.length));
            case 2 -> {
                int[] lengths = {0, 1, 59, 65_535, 65_536, 262_145, Integer.MAX_VALUE, -1};
                b.putInt(record + 8 + 4 * random.nextInt(2), lengths[random.nextInt(lengths.length)]);
            }
            case 3 -> b.putInt(record + 4, 1_000_000 + random.nextInt(Integer.MAX_VALUE - 1_000_000));
            default -> d[random.nextInt(GLOBAL_HEADER)] = (byte) random.nextInt(256);
        }
        return d;
    }

    /** Where record {@code n} starts (0 = the first), following the captured lengths; the last one if fewer. */
    private static int recordOffset(ByteBuffer b, int n) {
        int at = GLOBAL_HEADER;
        for (int i = 0; i < n; i++) {
            int next = at + RECORD_HEADER + b.getInt(at + 8);
            if (next + RECORD_HEADER > b.capacity()) {
                break;
            }
            at = next;
        }
        return at;
    }
}
