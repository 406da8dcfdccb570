package io.inetkit.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.math.BigDecimal;

/**
 * {@code /delay/{s}}: after {@code s} seconds (decimals allowed, at most maxDelay), httpbin's answer: args, data,
 * files, form, headers, origin, url.
 */
final class DelayEndpoint {

    private DelayEndpoint() {
    }

    static void delay(Exchange ex) {
        String seconds = ex.argument();
        BigDecimal value;
        try {
            value = new BigDecimal(seconds == null ? "" : seconds);
        } catch (NumberFormatException e) {
            throw new BadInput("delay must be a number of seconds: " + seconds);
        }
        BigDecimal max = BigDecimal.valueOf(ex.settings().maxDelay().toMillis()).movePointLeft(3);
        if (value.signum() < 0 || value.compareTo(max) > 0) {
            throw new BadInput("delay must be in 0.." + max.stripTrailingZeros().toPlainString() + " seconds: "
                    + seconds);
        }
        long nanos = value.movePointRight(9).longValue();
        ObjectNode answer = EchoJson.describe(ex, true);
        answer.remove("json"); // httpbin's delay shows the body's data, files and form, but not json
        ex.respondLater(Responses.json(HttpResponseStatus.OK, answer), nanos);
    }
}
