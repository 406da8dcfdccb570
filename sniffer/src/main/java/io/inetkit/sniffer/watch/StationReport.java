package io.inetkit.sniffer.watch;

import java.util.List;

/** The station table as the tracker holds it when the capture ends, sorted by IP address. */
public record StationReport(List<Station> stations) {

    public StationReport {
        stations = List.copyOf(stations);
    }
}
