package io.inetkit.http.output;

import io.netty.handler.codec.http.HttpResponse;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A response head as curl shows it, for {@code -i} on stdout and {@code -v} on stderr. */
public final class HeadText {

    private HeadText() {
    }

    /**
     * The status line and headers as curl's {@code -i} prints them: {@code HTTP/1.1 200 OK} or
     * {@code HTTP/2 200}, each header as received, CRLF line ends, an empty line after.
     */
    public static byte[] of(HttpResponse response, String protocolName) {
        StringBuilder sb = new StringBuilder(256);
        sb.append(statusLine(response, protocolName)).append("\r\n");
        for (Map.Entry<String, String> h : response.headers()) {
            sb.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    public static String statusLine(HttpResponse response, String protocolName) {
        if ("HTTP/2".equals(protocolName)) {
            return "HTTP/2 " + response.status().code();
        }
        String reason = response.status().reasonPhrase();
        return response.protocolVersion().text() + " " + response.status().code() + (reason.isEmpty() ? "" : " " + reason);
    }
}
