package io.inetkit.sniffer.pipeline;

import java.util.List;

/** The station table as the tracker holds it when the capture ends, sorted by IP address. */
public record StationReport(List<Station> stations) {

    public StationReport {
        stations = List.copyOf(stations);
    }
}
