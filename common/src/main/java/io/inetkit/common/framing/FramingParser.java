package io.inetkit.common.framing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Parses and prints framing specs; see {@link Framing} for the grammar. */
final class FramingParser {

    private FramingParser() {
    }

    static Framing parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("empty framing spec; expected raw, fixed:N, line[:MAX], "
                    + "delimiter:SEQ[:MAX] or length:W[:MAX]");
        }
        String[] parts = spec.split(":", -1);
        String kind = parts[0].toLowerCase(Locale.ROOT);
        try {
            return switch (kind) {
                case "raw" -> {
                    expectParts(spec, parts, 1, 1);
                    yield new Framing.Raw();
                }
                case "fixed" -> {
                    expectParts(spec, parts, 2, 2);
                    yield new Framing.Fixed(number(parts[1], "frame size"));
                }
                case "line" -> {
                    expectParts(spec, parts, 1, 2);
                    yield new Framing.Line(parts.length == 2 ? number(parts[1], "MAX") : Framing.DEFAULT_MAX_FRAME);
                }
                case "delimiter" -> {
                    expectParts(spec, parts, 2, 3);
                    yield new Framing.Delimiter(unescape(parts[1]),
                            parts.length == 3 ? number(parts[2], "MAX") : Framing.DEFAULT_MAX_FRAME);
                }
                case "length" -> {
                    expectParts(spec, parts, 2, 3);
                    int width = number(parts[1], "header width");
                    // a 1-byte header cannot announce more than 255: that is its default MAX
                    int max = parts.length == 3 ? number(parts[2], "MAX")
                            : width == 1 ? Math.min(255, Framing.DEFAULT_MAX_FRAME) : Framing.DEFAULT_MAX_FRAME;
                    yield new Framing.Length(width, max);
                }
                default -> throw new IllegalArgumentException("unknown framing '" + parts[0]
                        + "'; expected raw, fixed:N, line[:MAX], delimiter:SEQ[:MAX] or length:W[:MAX]");
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad framing '" + spec + "': " + e.getMessage(), e);
        }
    }

    private static void expectParts(String spec, String[] parts, int min, int max) {
        if (parts.length < min || parts.length > max) {
            String usage = switch (parts[0].toLowerCase(Locale.ROOT)) {
                case "raw" -> "raw takes no arguments";
                case "fixed" -> "expected fixed:N";
                case "line" -> "expected line or line:MAX";
                case "delimiter" -> "expected delimiter:SEQ or delimiter:SEQ:MAX (write ':' in SEQ as \\x3a)";
                default -> "expected length:W or length:W:MAX";
            };
            throw new IllegalArgumentException(usage);
        }
    }

    private static int number(String text, String what) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " is not a number: '" + text + "'");
        }
    }

    static void checkMax(int max) {
        if (max <= 0) {
            throw new IllegalArgumentException("MAX must be > 0: " + max);
        }
    }

    /** Turns {@code \0 \r \n \t \\ \xHH} escapes into bytes; other characters stand for their UTF-8 bytes. */
    static byte[] unescape(String seq) {
        if (seq.isEmpty()) {
            throw new IllegalArgumentException("delimiter SEQ must not be empty");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < seq.length(); i++) {
            char c = seq.charAt(i);
            if (c != '\\') {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            if (++i == seq.length()) {
                throw new IllegalArgumentException("delimiter SEQ ends with a lone backslash: '" + seq + "'");
            }
            char e = seq.charAt(i);
            switch (e) {
                case '0' -> out.write(0);
                case 'r' -> out.write('\r');
                case 'n' -> out.write('\n');
                case 't' -> out.write('\t');
                case '\\' -> out.write('\\');
                case 'x' -> {
                    String hex = seq.substring(i + 1, Math.min(i + 3, seq.length()));
                    if (hex.length() != 2 || !hex.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)) {
                        throw new IllegalArgumentException("\\x needs two hex digits in '" + seq + "'");
                    }
                    out.write(Integer.parseInt(hex, 16));
                    i += 2;
                }
                default -> throw new IllegalArgumentException("unknown escape \\" + e + " in '" + seq
                        + "' (known: \\0 \\r \\n \\t \\\\ \\xHH)");
            }
        }
        return out.toByteArray();
    }

    /** The inverse of {@link #unescape}: printable ASCII stays, everything else is escaped. */
    static String escape(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            int v = b & 0xff;
            switch (v) {
                case 0 -> sb.append("\\0");
                case '\r' -> sb.append("\\r");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\\' -> sb.append("\\\\");
                case ':' -> sb.append("\\x3a");
                default -> {
                    if (v >= 0x20 && v < 0x7f) {
                        sb.append((char) v);
                    } else {
                        sb.append(String.format("\\x%02x", v));
                    }
                }
            }
        }
        return sb.toString();
    }
}
