package io.inetkit.common.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a duration the way people type one: {@code 5s}, {@code 500ms}, {@code 2m}, {@code 1.5s},
 * {@code 1h}, or a bare number of seconds ({@code 5}); also ISO-8601 ({@code PT5S}). And writes one back the
 * same way ({@link #format}), so that messages and reports show {@code 0s}, not {@code PT0S}.
 */
public final class DurationConverter implements ITypeConverter<Duration> {

    private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|us|ns)?");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    public static Duration parse(String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE.matcher(text);
        if (m.matches()) {
            double amount = Double.parseDouble(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            double nanos = amount * switch (unit) {
                case "ns" -> 1d;
                case "us" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
            };
            return Duration.ofNanos(Math.round(nanos)); // 1.000001 s is 1000000999.99... ns in a double
        }
        try {
            Duration d = Duration.parse(value.trim());
            if (!d.isNegative()) {
                return d;
            }
        } catch (RuntimeException ignored) {
            // fall through to the error below
        }
        throw new TypeConversionException("'" + value + "' is not a duration (e.g. 5s, 500ms, 2m)");
    }

    /** {@code d} in the largest of h, m, s, ms, us, ns that holds it whole: {@code 2m}, {@code 1500ms}, {@code 0s}. */
    public static String format(Duration d) {
        long nanos = d.toNanos();
        if (nanos == 0) {
            return "0s";
        }
        long[] units = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L, 1L};
        String[] names = {"h", "m", "s", "ms", "us", "ns"};
        int i = 0;
        while (nanos % units[i] != 0) {
            i++;
        }
        return nanos / units[i] + names[i];
    }
}
