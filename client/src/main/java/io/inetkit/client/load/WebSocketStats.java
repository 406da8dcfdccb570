package io.inetkit.client.load;

import org.HdrHistogram.Histogram;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The WebSocket side of a run ({@code load ws://}), its own block in the table, the JSON ({@code "websocket"})
 * and the HTML: how long each upgrade took (from the TCP connection up, or the TLS handshake done, to the 101
 * checked), how many connections the server let use permessage-deflate, and the close frames the server sent
 * during the run, by code. The load's own closes at the end (1000, one per live connection) are not among them.
 *
 * @param upgrades     upgrade durations, nanoseconds (every upgrade of the run, --reconnect's included)
 * @param deflateOffered whether the upgrades offered permessage-deflate
 * @param deflated     upgrades the server answered with permessage-deflate
 * @param serverCloses close frames from the server during the run, by status code (1005: none given)
 */
record WebSocketStats(Histogram upgrades, boolean deflateOffered, long deflated, Map<Integer, Long> serverCloses) {

    WebSocketStats {
        Objects.requireNonNull(upgrades, "upgrades");
        serverCloses = Map.copyOf(serverCloses);
    }

    /** {@code 1001 (going away) x 3, 1009 (message too big) x 1}, by code; {@code none} without any. */
    String describeCloses() {
        if (serverCloses.isEmpty()) {
            return "none from the server during the run";
        }
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(serverCloses).forEach((code, n) -> sb.append(sb.length() == 0 ? "" : ", ")
                .append(code).append(" (").append(io.inetkit.client.ws.CloseCodes.name(code)).append(") x ").append(n));
        return sb.toString();
    }
}
