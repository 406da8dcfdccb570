package io.inetkit.client.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The {@code --html} report: one self-contained page (inline CSS and SVG, no script, no web font) with
 * the run's date, command line and machine, the result table, the latency-by-percentile plot (the x axis stretched as HdrHistogram's plotter
 * does, 1/(1-p) on a log scale, so 99.99% is as far from 99.9% as 99% from 90%), latency over time (p50, p99
 * and max of each second: where a stall shows) and throughput over time.
 */
final class HtmlReport {

    private static final int W = 760;
    private static final int H = 320;
    private static final int LEFT = 70;
    private static final int RIGHT = 45;
    private static final int TOP = 20;
    private static final int BOTTOM = 45;

    private HtmlReport() {
    }

    static void write(LoadResult r, Path file) throws IOException {
        Files.writeString(file, html(r), StandardCharsets.UTF_8);
    }

    static String html(LoadResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>inetkit load: ")
                .append(esc(r.target())).append("</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:24px;color:#222;background:#fff}\n")
                .append("h1{font-size:20px} h2{font-size:16px;margin-top:28px}\n")
                .append("table{border-collapse:collapse;font-size:14px} td{padding:3px 12px;border-bottom:1px solid #ddd}\n")
                .append("td:first-child{color:#555} .bad{color:#b00020;font-weight:bold}\n")
                .append("svg{background:#fafafa;border:1px solid #ddd} .grid{stroke:#ddd;stroke-width:1}\n")
                .append(".axis{stroke:#444;stroke-width:1} .curve{fill:none;stroke:#1565c0;stroke-width:2}\n")
                .append(".dot{fill:#1565c0} text{font-size:11px;fill:#444}\n")
                .append(".p50{stroke:#2e7d32} .p99{stroke:#ef6c00} .max{stroke:#b00020;stroke-dasharray:4 3}\n")
                .append(".run td{border:none;padding:1px 12px 1px 0} code{font-size:13px}\n</style></head><body>\n");
        sb.append("<h1>inetkit load: ").append(esc(r.target())).append("</h1>\n");
        sb.append("<table class=\"run\" id=\"run\">\n");
        runRow(sb, "date", r.run().date());
        runRow(sb, "command", r.run().commandLine());
        runRow(sb, "machine", r.run().machine());
        sb.append("</table>\n");
        sb.append("<h2>Latency by percentile</h2>\n").append(latencySvg(r.latency()));
        sb.append("<h2>Latency over time (p50, p99 and max per second)</h2>\n").append(latencyOverTimeSvg(r.series()));
        sb.append("<h2>Throughput over time</h2>\n").append(throughputSvg(r.series()));
        sb.append("<h2>Result</h2>\n<table id=\"summary\">\n");
        for (String[] row : Reports.rows(r)) {
            boolean bad = (row[0].startsWith("  ") || row[0].equals("errors")) && !row[1].equals("0");
            sb.append("<tr><td>").append(esc(row[0].trim())).append("</td><td").append(bad ? " class=\"bad\"" : "")
                    .append('>').append(esc(row[1])).append("</td></tr>\n");
        }
        sb.append("</table>\n");
        sb.append("</body></html>\n");
        return sb.toString();
    }

    private static void runRow(StringBuilder sb, String label, String value) {
        if (!value.isEmpty()) {
            sb.append("<tr><td>").append(label).append("</td><td>")
                    .append(label.equals("command") ? "<code>" + esc(value) + "</code>" : esc(value))
                    .append("</td></tr>\n");
        }
    }

    /** x of percentile p: log10(1 / (1 - p/100)), so 0 → 0, 90% → 1, 99% → 2, ... */
    private static double stretch(double percentile) {
        double q = Math.max(1e-7, 1 - percentile / 100.0);
        return Math.log10(1 / q);
    }

    static String latencySvg(Histogram h) {
        StringBuilder sb = new StringBuilder();
        sb.append("<svg id=\"latency-by-percentile\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W)
                .append("\" height=\"").append(H).append("\" viewBox=\"0 0 ").append(W).append(' ').append(H)
                .append("\" role=\"img\" aria-label=\"latency by percentile\">\n");
        if (h.getTotalCount() == 0) {
            sb.append("<text x=\"").append(W / 2 - 40).append("\" y=\"").append(H / 2).append("\">no samples</text></svg>\n");
            return sb.toString();
        }
        List<double[]> points = new ArrayList<>();
        for (HistogramIterationValue v : h.percentiles(5)) {
            points.add(new double[] {stretch(v.getPercentileLevelIteratedTo()), v.getValueIteratedTo() / 1e6});
        }
        double xMax = Math.max(3, Math.ceil(Math.min(7, stretch(100.0 * (h.getTotalCount() - 1) / h.getTotalCount()))));
        double yMax = niceCeiling(h.getMaxValue() / 1e6);
        axes(sb, xMax, yMax, "latency (ms)");
        for (int i = 0; i <= (int) xMax; i++) {
            double x = LEFT + (W - LEFT - RIGHT) * i / xMax;
            String label = i == 0 ? "0%" : i == 1 ? "90%" : i == 2 ? "99%" : "99." + "9".repeat(i - 2) + "%";
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x,
                    H - BOTTOM + 16, label));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">percentile</text>%n",
                LEFT + (W - LEFT - RIGHT) / 2, H - 6));
        sb.append("<polyline class=\"curve\" points=\"");
        for (double[] p : points) {
            double x = LEFT + (W - LEFT - RIGHT) * Math.min(p[0], xMax) / xMax;
            double y = H - BOTTOM - (H - TOP - BOTTOM) * p[1] / yMax;
            sb.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        sb.append("\"/>\n</svg>\n");
        return sb.toString();
    }

    /** One curve of a chart over time: its CSS class, its legend, and its value at each point. */
    private record Curve(String css, String legend, ToDoubleFunction<SeriesPoint> value) {
    }

    static String throughputSvg(List<SeriesPoint> series) {
        return timeSvg("throughput-over-time", "throughput over time", series, "msgs/s",
                List.of(new Curve("curve", "msgs/s", SeriesPoint::msgsPerSecond)), true);
    }

    /** p50, p99 and max of each second: the chart that shows a stall (p99 and max jump, p50 stays). */
    static String latencyOverTimeSvg(List<SeriesPoint> series) {
        List<SeriesPoint> sampled = series.stream().filter(SeriesPoint::hasLatency).toList();
        return timeSvg("latency-over-time", "latency over time: p50, p99 and max per second", sampled,
                "latency (ms)", List.of(new Curve("curve p50", "p50", p -> p.p50() / 1e6),
                        new Curve("curve p99", "p99", p -> p.p99() / 1e6),
                        new Curve("curve max", "max", p -> p.max() / 1e6)), false);
    }

    private static String timeSvg(String id, String aria, List<SeriesPoint> series, String yLabel,
                                  List<Curve> curves, boolean dots) {
        StringBuilder sb = new StringBuilder();
        sb.append("<svg id=\"").append(id).append("\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W)
                .append("\" height=\"").append(H).append("\" viewBox=\"0 0 ").append(W).append(' ').append(H)
                .append("\" role=\"img\" aria-label=\"").append(esc(aria)).append("\">\n");
        if (series.isEmpty()) {
            sb.append("<text x=\"").append(W / 2 - 40).append("\" y=\"").append(H / 2).append("\">no samples</text></svg>\n");
            return sb.toString();
        }
        double tMax = Math.max(1, Math.ceil(series.get(series.size() - 1).seconds()));
        double yMax = niceCeiling(curves.stream().flatMapToDouble(c -> series.stream().mapToDouble(c.value()))
                .max().orElse(1));
        axes(sb, tMax, yMax, yLabel);
        int step = (int) Math.max(1, Math.ceil(tMax / 10));
        for (int t = 0; t <= tMax; t += step) {
            double x = LEFT + (W - LEFT - RIGHT) * t / tMax;
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%ds</text>%n", x,
                    H - BOTTOM + 16, t));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">time in the measured window</text>%n",
                LEFT + (W - LEFT - RIGHT) / 2, H - 6));
        StringBuilder marks = new StringBuilder();
        int legendX = LEFT + 10;
        for (Curve c : curves) {
            sb.append("<polyline class=\"").append(c.css()).append("\" points=\"");
            for (SeriesPoint p : series) {
                double x = LEFT + (W - LEFT - RIGHT) * p.seconds() / tMax;
                double y = H - BOTTOM - (H - TOP - BOTTOM) * c.value().applyAsDouble(p) / yMax;
                sb.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                if (dots) {
                    marks.append(String.format(Locale.ROOT, "<circle class=\"dot\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\"/>%n", x, y));
                }
            }
            sb.append("\"/>\n");
            if (curves.size() > 1) {
                marks.append(String.format(Locale.ROOT, "<line class=\"%s\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
                        + "<text x=\"%d\" y=\"%d\">%s</text>%n", c.css(), legendX, TOP + 8, legendX + 18, TOP + 8,
                        legendX + 22, TOP + 12, esc(c.legend())));
                legendX += 70;
            }
        }
        sb.append(marks).append("</svg>\n");
        return sb.toString();
    }

    private static void axes(StringBuilder sb, double xMax, double yMax, String yLabel) {
        int plotW = W - LEFT - RIGHT;
        int plotH = H - TOP - BOTTOM;
        for (int i = 0; i <= 4; i++) {
            double y = H - BOTTOM - plotH * i / 4.0;
            sb.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>%n",
                    LEFT, y, LEFT + plotW, y));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT - 6,
                    y + 4, number(yMax * i / 4.0)));
        }
        sb.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>%n", LEFT,
                H - BOTTOM, LEFT + plotW, H - BOTTOM));
        sb.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>%n", LEFT,
                TOP, LEFT, H - BOTTOM));
        sb.append(String.format(Locale.ROOT,
                "<text x=\"14\" y=\"%d\" transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\">%s</text>%n",
                TOP + plotH / 2, TOP + plotH / 2, esc(yLabel)));
    }

    private static String number(double v) {
        if (v == 0) {
            return "0";
        }
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", v / 1e6);
        }
        if (v >= 1e4) {
            return String.format(Locale.ROOT, "%.0fk", v / 1e3);
        }
        if (v >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    /** 1, 2 or 5 times a power of ten, at or above {@code v}. */
    static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
