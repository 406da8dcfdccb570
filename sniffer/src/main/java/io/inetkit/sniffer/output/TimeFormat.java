package io.inetkit.sniffer.output;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Formats capture timestamps (microseconds since the epoch) fast: the date and time of day are worked
 * out once per second of capture time and cached, the microseconds appended as digits.
 * <pre>
 *   local time   22:13:20.123456               (tcpdump's default)
 *   local        2023-11-14 22:13:20.123456    (station table)
 *   UTC ISO      2023-11-14T22:13:20.123456Z   (JSON)
 * </pre>
 * One instance per formatter: it is not thread-safe.
 */
final class TimeFormat {

    private final ZoneId zone;
    private long localSecond = Long.MIN_VALUE;
    private final char[] localDateTime = new char[19];
    private long utcSecond = Long.MIN_VALUE;
    private final char[] utcDateTime = new char[19];

    TimeFormat(ZoneId zone) {
        this.zone = zone;
    }

    /** Appends {@code HH:MM:SS.uuuuuu} in the local zone. */
    void appendTime(StringBuilder sb, long micros) {
        appendTime(sb, Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L));
    }

    /**
     * Appends {@code HH:MM:SS.uuuuuu} of a record's seconds and microseconds fields; a field of a million or
     * more prints as it is, as tcpdump prints it ({@code 22:13:21.1500000}).
     */
    void appendTime(StringBuilder sb, long second, long fraction) {
        refreshLocalSecond(second);
        sb.append(localDateTime, 11, 8).append('.');
        appendFraction(sb, fraction);
    }

    /** Appends {@code YYYY-MM-DD HH:MM:SS.uuuuuu} of a record's fields, as {@link #appendTime(StringBuilder, long, long)}. */
    void appendDateTime(StringBuilder sb, long second, long fraction) {
        refreshLocalSecond(second);
        sb.append(localDateTime, 0, 19).append('.');
        appendFraction(sb, fraction);
    }

    /** Appends {@code SSSSSSSSSS.uuuuuu}, seconds since the epoch ({@code -tt}). */
    static void appendEpoch(StringBuilder sb, long second, long fraction) {
        sb.append(second).append('.');
        appendFraction(sb, fraction);
    }

    /**
     * Appends a difference in microseconds as tcpdump's {@code -ttt} and {@code -ttttt} do: its sign (a space
     * when not negative), then {@code HH:MM:SS.uuuuuu} ({@code clock}) or {@code S.uuuuuu}.
     */
    static void appendDelta(StringBuilder sb, long micros, boolean clock) {
        sb.append(micros < 0 ? '-' : ' ');
        long abs = Math.abs(micros);
        long s = abs / 1_000_000L;
        long us = abs % 1_000_000L;
        if (clock) {
            put2(sb, s / 3600);
            sb.append(':');
            put2(sb, s / 60 % 60);
            sb.append(':');
            put2(sb, s % 60);
        } else {
            sb.append(s);
        }
        sb.append('.');
        appendFraction(sb, us);
    }

    private static void put2(StringBuilder sb, long v) {
        if (v < 10) {
            sb.append('0');
        }
        sb.append(v);
    }

    private static void appendFraction(StringBuilder sb, long fraction) {
        if (fraction >= 1_000_000L || fraction < 0) {
            sb.append(fraction);
            return;
        }
        int us = (int) fraction;
        for (int div = 100_000; div > 0; div /= 10) {
            sb.append((char) ('0' + us / div % 10));
        }
    }

    /** Appends {@code YYYY-MM-DD HH:MM:SS.uuuuuu} in the local zone. */
    void appendDateTime(StringBuilder sb, long micros) {
        refreshLocal(micros);
        sb.append(localDateTime, 0, 19).append('.');
        appendMicros(sb, micros);
    }

    private void refreshLocal(long micros) {
        refreshLocalSecond(Math.floorDiv(micros, 1_000_000L));
    }

    private void refreshLocalSecond(long second) {
        if (second != localSecond) {
            ZoneOffset offset = zone.getRules().getOffset(Instant.ofEpochSecond(second));
            fill(localDateTime, LocalDateTime.ofEpochSecond(second, 0, offset), ' ');
            localSecond = second;
        }
    }

    /** Appends {@code YYYY-MM-DDTHH:MM:SS.uuuuuuZ}. */
    void appendIsoUtc(StringBuilder sb, long micros) {
        long second = Math.floorDiv(micros, 1_000_000L);
        if (second != utcSecond) {
            fill(utcDateTime, LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC), 'T');
            utcSecond = second;
        }
        sb.append(utcDateTime, 0, 19).append('.');
        appendMicros(sb, micros);
        sb.append('Z');
    }

    String isoUtc(long micros) {
        StringBuilder sb = new StringBuilder(27);
        appendIsoUtc(sb, micros);
        return sb.toString();
    }

    private static void appendMicros(StringBuilder sb, long micros) {
        int us = (int) Math.floorMod(micros, 1_000_000L);
        for (int div = 100_000; div > 0; div /= 10) {
            sb.append((char) ('0' + us / div % 10));
        }
    }

    private static void fill(char[] dst, LocalDateTime t, char separator) {
        int year = t.getYear();
        if (year < 0 || year > 9999) {
            year = Math.floorMod(year, 10000); // pcap seconds are 32-bit: cannot happen, keep 4 digits anyway
        }
        put4(dst, 0, year);
        dst[4] = '-';
        put2(dst, 5, t.getMonthValue());
        dst[7] = '-';
        put2(dst, 8, t.getDayOfMonth());
        dst[10] = separator;
        put2(dst, 11, t.getHour());
        dst[13] = ':';
        put2(dst, 14, t.getMinute());
        dst[16] = ':';
        put2(dst, 17, t.getSecond());
    }

    private static void put2(char[] dst, int at, int v) {
        dst[at] = (char) ('0' + v / 10);
        dst[at + 1] = (char) ('0' + v % 10);
    }

    private static void put4(char[] dst, int at, int v) {
        put2(dst, at, v / 100);
        put2(dst, at + 2, v % 100);
    }
}
