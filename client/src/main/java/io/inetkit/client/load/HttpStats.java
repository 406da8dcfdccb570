package io.inetkit.client.load;

import java.util.Map;
import java.util.TreeMap;

/**
 * The HTTP side of a run ({@code load http://}), its own rows in the table, the JSON ({@code "http"}) and the HTML:
 * the protocol, the responses of the measured window by status code, and their body bytes.
 *
 * @param version   {@code HTTP/1.1} or {@code HTTP/2}
 * @param statuses  responses completed in the window, by status code
 * @param bodyBytes the body bytes of those responses
 * @param seconds   the window's length, for the rate
 */
record HttpStats(String version, Map<Integer, Long> statuses, long bodyBytes, double seconds) {

    HttpStats {
        statuses = Map.copyOf(statuses);
    }

    /** {@code 200 x 41234, 404 x 2}, by code. */
    String describeStatuses() {
        if (statuses.isEmpty()) {
            return "no response";
        }
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(statuses).forEach((code, n) -> sb.append(sb.length() == 0 ? "" : ", ").append(code).append(" x ").append(n));
        return sb.toString();
    }

    /** Responses by class: {@code 2xx} to {@code 5xx}, every class present. */
    Map<String, Long> classes() {
        Map<String, Long> c = new TreeMap<>();
        for (int k = 1; k <= 5; k++) {
            c.put(k + "xx", 0L);
        }
        statuses.forEach((code, n) -> c.merge(code / 100 + "xx", n, Long::sum));
        return c;
    }

    double bodyMibPerSecond() {
        return seconds > 0 ? bodyBytes / seconds / (1024.0 * 1024.0) : 0;
    }
}
