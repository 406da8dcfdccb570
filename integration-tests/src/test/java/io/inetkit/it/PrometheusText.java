package io.inetkit.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A parsed scrape of the Prometheus text exposition format (version 0.0.4), as {@code /metrics} serves it:
 *
 * <pre>
 * # HELP inetkit_connections_rejected_total TCP connections refused by a limit
 * # TYPE inetkit_connections_rejected_total counter
 * inetkit_connections_rejected_total{listener="tcp/5005",reason="max_connections"} 3.0
 * </pre>
 *
 * Every line must parse, every sample must belong to a family declared by a {@code # TYPE} line: a scrape
 * that does not is an error, not a missing number.
 */
final class PrometheusText {

    /** One sample: {@code name{labels} value}. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples = new ArrayList<>();
    private final Map<String, String> types = new LinkedHashMap<>();

    private PrometheusText() {
    }

    static PrometheusText parse(String text) {
        PrometheusText p = new PrometheusText();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            try {
                if (line.startsWith("# TYPE ")) {
                    String[] parts = line.substring(7).trim().split(" ");
                    if (parts.length != 2) {
                        throw new IllegalArgumentException("bad TYPE line");
                    }
                    p.types.put(parts[0], parts[1]);
                } else if (!line.startsWith("#")) {
                    p.samples.add(sample(line));
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("line " + lineNo + " is not Prometheus text (" + e.getMessage()
                        + "): " + line, e);
            }
        }
        for (Sample s : p.samples) {
            if (p.type(s.name()) == null) {
                throw new IllegalArgumentException("sample " + s.name() + " has no # TYPE line");
            }
        }
        return p;
    }

    private static Sample sample(String line) {
        int i = 0;
        while (i < line.length() && isNameChar(line.charAt(i), i == 0)) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("no metric name");
        }
        String name = line.substring(0, i);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int start = i;
                while (isNameChar(line.charAt(i), i == start)) {
                    i++;
                }
                String label = line.substring(start, i);
                if (label.isEmpty() || line.charAt(i) != '=' || line.charAt(i + 1) != '"') {
                    throw new IllegalArgumentException("bad label at column " + i);
                }
                i += 2;
                StringBuilder value = new StringBuilder();
                for (char c; (c = line.charAt(i)) != '"'; i++) {
                    if (c == '\\') {
                        char e = line.charAt(++i);
                        value.append(switch (e) {
                            case 'n' -> '\n';
                            case '\\' -> '\\';
                            case '"' -> '"';
                            default -> throw new IllegalArgumentException("bad escape \\" + e);
                        });
                    } else {
                        value.append(c);
                    }
                }
                i++;
                if (labels.put(label, value.toString()) != null) {
                    throw new IllegalArgumentException("label " + label + " twice");
                }
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        if (i >= line.length() || line.charAt(i) != ' ') {
            throw new IllegalArgumentException("no value");
        }
        String[] rest = line.substring(i).trim().split(" +");
        if (rest.length > 2) {
            throw new IllegalArgumentException("trailing text");
        }
        return new Sample(name, Map.copyOf(labels), number(rest[0]));
    }

    private static double number(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }

    private static boolean isNameChar(char c, boolean first) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':' || !first && c >= '0' && c <= '9';
    }

    /** The declared type of a sample name: {@code counter}, {@code gauge}, ... (summaries: {@code _sum}, {@code _count}...). */
    String type(String sampleName) {
        String t = types.get(sampleName);
        for (String suffix : new String[] {"_sum", "_count", "_max", "_bucket"}) {
            if (t == null && sampleName.endsWith(suffix)) {
                t = types.get(sampleName.substring(0, sampleName.length() - suffix.length()));
            }
        }
        return t;
    }

    List<Sample> samples(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** Names of every sample. */
    Set<String> names() {
        Set<String> names = new TreeSet<>();
        samples.forEach(s -> names.add(s.name()));
        return names;
    }

    private static boolean matches(Sample s, String[] labelPairs) {
        for (int i = 0; i < labelPairs.length; i += 2) {
            if (!labelPairs[i + 1].equals(s.labels().get(labelPairs[i]))) {
                return false;
            }
        }
        return true;
    }

    /** The one sample of {@code name} with these labels ({@code "listener", "tcp/5005", ...}); others may differ. */
    double value(String name, String... labelPairs) {
        List<Sample> found = samples(name).stream().filter(s -> matches(s, labelPairs)).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one sample " + name + " " + List.of(labelPairs) + ", found " + found);
        }
        return found.get(0).value();
    }

    /** The sum of the samples of {@code name} with these labels (0 when there is none). */
    double sum(String name, String... labelPairs) {
        return samples(name).stream().filter(s -> matches(s, labelPairs)).mapToDouble(Sample::value).sum();
    }
}
