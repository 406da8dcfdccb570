package io.inetkit.sniffer.chain;

import io.inetkit.sniffer.output.OutputFormat;
import io.inetkit.sniffer.packet.ArpFrame;
import io.inetkit.sniffer.packet.CapturedFrame;
import io.inetkit.sniffer.testing.Frames;
import io.inetkit.sniffer.watch.StationTable;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.SplittableRandom;

import static io.inetkit.sniffer.testing.Frames.ip;
import static io.inetkit.sniffer.testing.Frames.mac;
import static org.assertj.core.api.Assertions.assertThat;

/** The whole chain as the capture runs it. */
class ArpPipelineTest {

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final CaptureStats stats = new CaptureStats();

    ArpPipeline pipeline(PipelineSettings settings) {
        StationTable table = settings.watch() ? new StationTable(Duration.ofSeconds(10)) : null;
        return new ArpPipeline(new ArpPipelineInitializer(settings, stats, table, null,
                new PrintWriter(out), new PrintWriter(err)));
    }

    static PipelineSettings settings() {
        return PipelineSettings.defaults().withZone(ZoneId.of("UTC"));
    }

    @Test
    void theInitializerListsTheHandlersInOrder() {
        assertThat(pipeline(settings()).pipeline().names()).containsExactly(
                "ethernet", "vlan", "nd", "arp", "classifier", "output", "malformed");
        assertThat(pipeline(settings().withWatch(true)).pipeline().names()).containsExactly(
                "ethernet", "vlan", "nd", "arp", "classifier", "ethernet-mismatch", "stations", "nd-stations",
                "request-storm", "output", "malformed");
        ArpPipeline withWriter = new ArpPipeline(new ArpPipelineInitializer(settings(), stats, null, f -> { },
                new PrintWriter(out), new PrintWriter(err)));
        assertThat(withWriter.pipeline().names()).startsWith("pcap-writer", "ethernet");
    }

    @Test
    void theWholeRouteIsTheInitializersConstantsInTheDiagramsOrder() {
        StationTable table = new StationTable(Duration.ofSeconds(10));
        ArpPipeline everything = new ArpPipeline(new ArpPipelineInitializer(settings().withWatch(true), stats,
                table, f -> { }, new PrintWriter(out), new PrintWriter(err)));
        assertThat(everything.pipeline().names()).containsExactly(
                ArpPipelineInitializer.PCAP_WRITER, ArpPipelineInitializer.ETHERNET, ArpPipelineInitializer.VLAN,
                ArpPipelineInitializer.ND, ArpPipelineInitializer.ARP, ArpPipelineInitializer.CLASSIFIER,
                ArpPipelineInitializer.ETHERNET_MISMATCH, ArpPipelineInitializer.STATIONS,
                ArpPipelineInitializer.ND_STATIONS, ArpPipelineInitializer.REQUEST_STORM, ArpPipelineInitializer.OUTPUT,
                ArpPipelineInitializer.MALFORMED);
        assertThat(everything.pipeline().get(ArpPipelineInitializer.ARP)).isInstanceOf(ArpDecoder.class);
        assertThat(everything.pipeline().get(ArpPipelineInitializer.MALFORMED)).isInstanceOf(MalformedFrameHandler.class);
        for (OutputFormat format : OutputFormat.values()) {
            ArpPipeline p = pipeline(PipelineSettings.builder().format(format).zone(ZoneId.of("UTC")).build());
            assertThat(p.pipeline().names()).as(format.toString()).containsExactly(
                    "ethernet", "vlan", "nd", "arp", "classifier", "output", "malformed");
        }
    }

    @Test
    void truncatedAndGarbageFramesAreCountedAndNeverStopTheChain() {
        ArpPipeline p = pipeline(settings().withWatch(true));
        SplittableRandom random = new SplittableRandom(7);
        int good = 0;
        int garbage = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] frame;
            if (i % 3 == 0) {
                frame = Frames.request(mac("02:00:00:00:00:01"), ip("10.0.0.1"), ip("10.0.0." + (i % 250 + 2)));
                good++;
            } else if (i % 3 == 1) {
                frame = Arrays.copyOf(Frames.LECTURE, random.nextInt(Frames.LECTURE.length)); // every truncation
                garbage++;
            } else {
                frame = new byte[random.nextInt(80)];
                for (int j = 0; j < frame.length; j++) {
                    frame[j] = (byte) random.nextInt(256);
                }
                if (frame.length >= 14) { // make it claim to be ARP, so the ARP decoder sees the garbage
                    frame[12] = 0x08;
                    frame[13] = 0x06;
                }
                garbage++;
            }
            p.frame(CapturedFrame.of(Frames.T0 + i, frame));
        }
        p.batchComplete();
        p.end();
        CaptureSummary s = stats.fileSummary();
        assertThat(s.decoded() + s.malformed() + s.notArp()).isEqualTo(good + garbage);
        assertThat(s.decoded()).isGreaterThanOrEqualTo(good);
        assertThat(s.malformed()).isGreaterThan(garbage / 2);
        assertThat(out.toString()).contains("ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28")
                .contains("station table:");
    }

    @Test
    void aHandlerThatThrowsCountsTheFrameAsMalformedAndTheNextFrameGoesThrough() {
        ArpPipeline p = pipeline(settings());
        int[] seen = {0};
        p.pipeline().addAfter(ArpPipelineInitializer.CLASSIFIER, "flaky", (ctx, msg) -> {
            if (msg instanceof ArpFrame && seen[0]++ == 0) {
                throw new IllegalStateException("first frame upsets me");
            }
            ctx.fireRead(msg);
        });
        p.frame(CapturedFrame.of(Frames.T0, Frames.LECTURE));
        p.frame(CapturedFrame.of(Frames.T0 + 1, Frames.LECTURE));
        p.batchComplete();
        assertThat(stats.fileSummary().malformed()).isEqualTo(1);
        assertThat(out.toString()).hasLineCount(1);
    }

    @Test
    void aTrackerOrFormatterCanBeRemovedWithoutTouchingTheOthers() {
        ArpPipeline p = pipeline(settings().withWatch(true));
        p.pipeline().remove(ArpPipelineInitializer.STATIONS);
        p.pipeline().remove(ArpPipelineInitializer.REQUEST_STORM);
        p.frame(CapturedFrame.of(Frames.T0, Frames.LECTURE));
        p.end();
        assertThat(out.toString()).contains("Request who-has 192.168.1.27").doesNotContain("station table");
        assertThat(err.toString()).doesNotContain("alert");
    }

    @Test
    void theSummaryComesLast() {
        ArpPipeline p = pipeline(settings());
        p.frame(CapturedFrame.of(Frames.T0, Frames.LECTURE));
        p.end();
        p.summary(stats.fileSummary());
        assertThat(err.toString()).isEqualTo("0 frames received by filter\n0 matched the filter\n1 decoded as ARP\n0 malformed\n0 not ARP\n");
    }
}
