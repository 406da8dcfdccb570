package io.inetkit.sniffer.chain;

import io.inetkit.sniffer.output.OutputFormat;
import io.inetkit.sniffer.output.TcpdumpStyle;
import io.inetkit.sniffer.packet.CapturedFrame;
import io.inetkit.sniffer.packet.LinkType;
import io.inetkit.sniffer.testing.Frames;
import io.inetkit.sniffer.watch.StationTable;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole chain on hostile frames: random bytes and mutated ARP frames (bit flips, cut at any byte,
 * random sizes and types, stacked tags), on every link type, in every format, with and without --watch.
 * No exception escapes the pipeline, and every frame is counted once: decoded, malformed or not ARP.
 */
class PipelinePropertiesTest {

    @Property(tries = 300)
    void noExceptionEscapesAndEveryFrameIsCountedOnce(@ForAll("frames") List<byte[]> frames,
                                                      @ForAll("linkTypes") int linkType,
                                                      @ForAll("formats") OutputFormat format,
                                                      @ForAll boolean watch,
                                                      @ForAll @IntRange(max = 4) int hex,
                                                      @ForAll boolean linkHeader) throws Exception {
        CaptureStats stats = new CaptureStats();
        StringWriter out = new StringWriter();
        PipelineSettings settings = PipelineSettings.builder().format(format).watch(watch).zone(ZoneOffset.UTC)
                .style(new TcpdumpStyle(TcpdumpStyle.Timestamps.TIME, linkHeader, false, hex % 2 == 0, hex)).build();
        List<CapturedFrame> written = new ArrayList<>();
        ArpPipeline pipeline = new ArpPipeline(new ArpPipelineInitializer(settings, stats,
                watch ? new StationTable(Duration.ofSeconds(10)) : null, written::add,
                new PrintWriter(out), new PrintWriter(new StringWriter()), linkType));
        long t = Frames.T0;
        for (byte[] f : frames) {
            stats.matched();
            pipeline.frame(CapturedFrame.of(t += 1000, f));
        }
        pipeline.batchComplete();
        pipeline.end();
        CaptureSummary s = stats.fileSummary();
        pipeline.summary(s);
        assertThat(s.matched()).isEqualTo(frames.size());
        assertThat(s.decoded() + s.malformed() + s.notArp()).as("each frame counted once").isEqualTo(frames.size());
        assertThat(written).as("-w gets every frame").hasSize(frames.size());
    }

    @Provide
    Arbitrary<Integer> linkTypes() {
        return Arbitraries.of(LinkType.EN10MB, LinkType.LINUX_SLL, LinkType.LINUX_SLL2);
    }

    @Provide
    Arbitrary<OutputFormat> formats() {
        return Arbitraries.of(OutputFormat.values());
    }

    @Provide
    Arbitrary<List<byte[]>> frames() {
        return Arbitraries.longs().map(seed -> {
            SplittableRandom r = new SplittableRandom(seed);
            List<byte[]> list = new ArrayList<>();
            for (int i = r.nextInt(1, 40); i > 0; i--) {
                list.add(Frames.hostile(r));
            }
            return list;
        }).withoutEdgeCases();
    }
}
