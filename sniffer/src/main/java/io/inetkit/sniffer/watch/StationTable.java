package io.inetkit.sniffer.watch;

import io.inetkit.common.cli.DurationConverter;
import io.inetkit.sniffer.packet.Address;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * arpwatch's station table: IP address to MAC, with the alerts a new claim raises.
 *
 * <p>A claim is an (IP, MAC) pair an ARP sender announces about itself. For a claim at time t:
 * <ul>
 *   <li>an IP never seen: {@code new-station};</li>
 *   <li>the same MAC as last time: the row is refreshed, no alert;</li>
 *   <li>another MAC: {@code flip-flop} when it is the MAC before the last one, else {@code changed-mac};
 *       and, when the last MAC's claim is at most the duplicate window old, {@code duplicate-address}
 *       as well: two stations answer for one address.</li>
 * </ul>
 * Times are capture times, so a capture file replays to the same alerts.
 */
public final class StationTable {

    /** Default duplicate window: two MACs claiming one IP within it are reported as a duplicate. */
    public static final String DEFAULT_DUPLICATE_WINDOW_TEXT = "10s";
    public static final Duration DEFAULT_DUPLICATE_WINDOW = DurationConverter.parse(DEFAULT_DUPLICATE_WINDOW_TEXT);

    /** arpwatch's NEWACTIVITY_DELTA: six months of 30 days. */
    public static final String DEFAULT_NEW_ACTIVITY_TEXT = "4320h";
    public static final Duration DEFAULT_NEW_ACTIVITY = Duration.ofDays(180);

    private final Map<Address, Station> stations = new HashMap<>();
    private final long windowMicros;
    private final long newActivityMicros;

    public StationTable(Duration duplicateWindow) {
        this(duplicateWindow, DEFAULT_NEW_ACTIVITY);
    }

    /**
     * @param newActivityAfter a pair seen again after this much silence raises {@code new-activity}
     */
    public StationTable(Duration duplicateWindow, Duration newActivityAfter) {
        if (duplicateWindow.isNegative()) {
            throw new IllegalArgumentException("duplicateWindow must be >= 0: " + duplicateWindow);
        }
        if (newActivityAfter.isNegative() || newActivityAfter.isZero()) {
            throw new IllegalArgumentException("--new-activity-after must be > 0: " + newActivityAfter);
        }
        this.windowMicros = duplicateWindow.toNanos() / 1000;
        this.newActivityMicros = newActivityAfter.toSeconds() * 1_000_000L + newActivityAfter.toNanosPart() / 1000;
    }

    /** Puts a row as it is (loading a saved table); no alert. */
    public void restore(Station station) {
        stations.put(station.ip(), station);
    }

    /** Records that {@code mac} claimed {@code ip} at {@code timestampMicros}; returns the alerts raised. */
    public List<Alert> claim(Address ip, Address mac, long timestampMicros) {
        Station known = stations.get(ip);
        if (known == null) {
            stations.put(ip, new Station(ip, mac, null, timestampMicros, timestampMicros, 1));
            return List.of(new Alert(Alert.Kind.NEW_STATION, timestampMicros, ip, mac, null,
                    "new station " + ip + " at " + mac.toColonHex()));
        }
        if (known.mac().equals(mac)) {
            stations.put(ip, new Station(ip, mac, known.previousMac(), known.firstSeen(), timestampMicros,
                    known.count() + 1));
            long silence = timestampMicros - known.lastSeen();
            if (silence >= newActivityMicros) {
                return List.of(new Alert(Alert.Kind.NEW_ACTIVITY, timestampMicros, ip, mac, null,
                        "new activity " + ip + " at " + mac.toColonHex() + " after " + formatMicros(silence)
                                + " of silence"));
            }
            return List.of();
        }
        List<Alert> alerts = new ArrayList<>(2);
        if (mac.equals(known.previousMac())) {
            alerts.add(new Alert(Alert.Kind.FLIP_FLOP, timestampMicros, ip, mac, known.mac(),
                    "flip-flop " + ip + " back to " + mac.toColonHex() + " from " + known.mac().toColonHex()));
        } else {
            alerts.add(new Alert(Alert.Kind.CHANGED_MAC, timestampMicros, ip, mac, known.mac(),
                    "changed MAC " + ip + " from " + known.mac().toColonHex() + " to " + mac.toColonHex()));
        }
        long age = Math.abs(timestampMicros - known.lastSeen());
        if (age <= windowMicros) {
            alerts.add(new Alert(Alert.Kind.DUPLICATE_ADDRESS, timestampMicros, ip, mac, known.mac(),
                    "duplicate address " + ip + " claimed by " + mac.toColonHex() + " and by "
                            + known.mac().toColonHex() + " " + formatMicros(age) + " earlier"));
        }
        stations.put(ip, new Station(ip, mac, known.mac(), known.firstSeen(), timestampMicros, known.count() + 1));
        return alerts;
    }

    /** The row of {@code ip}, or null. */
    public Station get(Address ip) {
        return stations.get(ip);
    }

    public int size() {
        return stations.size();
    }

    /** Every row, sorted by IP address. */
    public List<Station> snapshot() {
        List<Station> rows = new ArrayList<>(stations.values());
        rows.sort(Comparator.comparing(Station::ip));
        return rows;
    }

    /** Replaces every row with {@code rows}. */
    public void restoreAll(Collection<Station> rows) {
        stations.clear();
        rows.forEach(this::restore);
    }

    static String formatMicros(long micros) {
        if (micros < 1000) {
            return micros + " us";
        }
        if (micros < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f ms", micros / 1000.0);
        }
        if (micros < 86_400_000_000L) {
            return String.format(Locale.ROOT, "%.1f s", micros / 1e6);
        }
        return String.format(Locale.ROOT, "%.1f days", micros / 86_400e6);
    }
}
