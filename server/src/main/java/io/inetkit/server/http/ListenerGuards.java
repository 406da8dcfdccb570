package io.inetkit.server.http;

import io.micrometer.core.instrument.Counter;

/**
 * What the connections of one HTTP listener share: the body budget, the {@code errors} handler, and the
 * counters of the guards that close connections. {@link HttpProtocol} makes one per listener, with its meters
 * registered under the listener's name; {@link HttpEchoInitializer} hands them to each connection.
 *
 * @param headTimeouts connections {@code head-timeout} closed
 * @param bodyTimeouts connections {@code body-rate} closed
 * @param http2Floods  connections {@code http2-flood} closed
 * @param bodyBudget   the budget for buffered request bodies ({@code body-budget})
 * @param errors       the {@code errors} handler at the end of every pipeline
 */
record ListenerGuards(Counter headTimeouts, Counter bodyTimeouts, Counter http2Floods, BodyBudget bodyBudget,
                      ConnectionErrorHandler errors) {
}
