package io.inetkit.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The endpoints about response headers and caches: {@code /response-headers?name=value} sets headers,
 * {@code /cache} answers conditional requests with 304, {@code /cache/{n}} says {@code max-age=n},
 * {@code /etag/{etag}} evaluates {@code If-Match} and {@code If-None-Match} as RFC 9110 section 13 says.
 *
 * <pre>
 *   GET /etag/abc                         HTTP/1.1 304 Not Modified
 *   If-None-Match: "x", "abc"     ==&gt;     ETag: "abc"
 * </pre>
 */
final class CachingEndpoints {

    /** Headers that frame the message or belong to the connection: not the client's to set. */
    private static final Set<String> FRAMING = Set.of("content-length", "transfer-encoding", "connection",
            "keep-alive", "upgrade", "te", "trailer", "proxy-connection");

    private CachingEndpoints() {
    }

    /**
     * Each query parameter as a response header (repeated ones repeated), and the headers as the JSON body,
     * as httpbin; {@code Content-Type} may be replaced. A name or value that is not a valid field is a 400.
     */
    static void responseHeaders(Exchange ex) {
        FullHttpResponse response = Responses.json(HttpResponseStatus.OK, EchoJson.object());
        try {
            for (Map.Entry<String, List<String>> param : ex.query().parameters().entrySet()) {
                if (FRAMING.contains(param.getKey().toLowerCase(Locale.ROOT))) {
                    // the listener frames the answer: a second framing would be a smuggling vector (RFC 9112 6.1)
                    throw new IllegalArgumentException(param.getKey() + " is the connection's, not the endpoint's");
                }
                response.headers().set(param.getKey(), param.getValue()); // validates name and values
            }
        } catch (IllegalArgumentException e) {
            response.release();
            throw new BadInput("not a valid header field: " + e.getMessage());
        }
        // the body lists the headers, Content-Length among them, which depends on the body: settle it
        byte[] body = new byte[0];
        for (int round = 0; round < 4; round++) {
            ObjectNode shown = EchoJson.object();
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
            for (String name : response.headers().names()) {
                List<String> values = response.headers().getAll(name);
                if (values.size() == 1) {
                    shown.put(name, values.get(0));
                } else {
                    values.forEach(shown.putArray(name)::add);
                }
            }
            byte[] next = EchoJson.bytes(shown);
            boolean settled = next.length == body.length;
            body = next;
            if (settled) {
                break;
            }
        }
        FullHttpResponse answer = response.replace(Unpooled.wrappedBuffer(body));
        response.release();
        ex.respond(answer);
    }

    /**
     * A conditional request ({@code If-Modified-Since} or {@code If-None-Match}) gets 304; any other gets
     * {@code /get}'s answer with a {@code Last-Modified} and an {@code ETag} to be conditional on.
     */
    static void cache(Exchange ex) {
        String maxAge = ex.argument();
        if (maxAge != null) {
            int seconds = BadInput.parseInt(maxAge, "max-age");
            if (seconds < 0) {
                throw new BadInput("max-age must be >= 0: " + maxAge);
            }
            FullHttpResponse response = Responses.json(HttpResponseStatus.OK, EchoJson.describe(ex, false));
            response.headers().set(HttpHeaderNames.CACHE_CONTROL, "public, max-age=" + seconds);
            ex.respond(response);
            return;
        }
        HttpHeaders asked = ex.request().headers();
        if (asked.contains(HttpHeaderNames.IF_MODIFIED_SINCE) || asked.contains(HttpHeaderNames.IF_NONE_MATCH)) {
            ex.respond(Responses.empty(HttpResponseStatus.NOT_MODIFIED));
            return;
        }
        FullHttpResponse response = Responses.json(HttpResponseStatus.OK, EchoJson.describe(ex, false));
        response.headers().set(HttpHeaderNames.LAST_MODIFIED, DateFormatter.format(new Date()));
        response.headers().set(HttpHeaderNames.ETAG, quote(UUID.randomUUID().toString().replace("-", "")));
        ex.respond(response);
    }

    /**
     * {@code /get}'s answer with {@code ETag: "etag"}, under RFC 9110 13.2.2's order: a failed
     * {@code If-Match} (strong comparison) is 412; a matching {@code If-None-Match} (weak comparison) is 304.
     */
    static void etag(Exchange ex) {
        String etag = ex.argument();
        if (etag == null || etag.isEmpty() || etag.contains("\"")) {
            throw new BadInput("an entity tag is /etag/{opaque text without quotes}: " + etag);
        }
        HttpHeaders asked = ex.request().headers();
        List<String> ifMatch = tags(asked.getAll(HttpHeaderNames.IF_MATCH));
        if (!ifMatch.isEmpty() && !ifMatch.contains("*") && !ifMatch.contains(quote(etag))) {
            ex.respond(Responses.html(HttpResponseStatus.PRECONDITION_FAILED, ""));
            return;
        }
        List<String> ifNoneMatch = tags(asked.getAll(HttpHeaderNames.IF_NONE_MATCH));
        boolean match = ifNoneMatch.contains("*") || ifNoneMatch.stream()
                .anyMatch(tag -> (tag.startsWith("W/") ? tag.substring(2) : tag).equals(quote(etag)));
        FullHttpResponse response = match ? Responses.empty(HttpResponseStatus.NOT_MODIFIED)
                : Responses.json(HttpResponseStatus.OK, EchoJson.describe(ex, false));
        response.headers().set(HttpHeaderNames.ETAG, quote(etag));
        ex.respond(response);
    }

    static String quote(String opaque) {
        return "\"" + opaque + "\"";
    }

    /**
     * The entity tags in the field lines: {@code *}, {@code "x"} and {@code W/"x"}; an unquoted one is taken
     * as quoted (httpbin's own ETags are unquoted, and clients echo them).
     */
    private static List<String> tags(List<String> lines) {
        List<String> tags = new ArrayList<>();
        for (String line : lines) {
            int i = 0;
            while (i < line.length()) {
                char c = line.charAt(i);
                if (c == ',' || c == ' ' || c == '\t') {
                    i++;
                    continue;
                }
                boolean weak = line.startsWith("W/", i);
                int start = weak ? i + 2 : i;
                int end;
                if (start < line.length() && line.charAt(start) == '"') {
                    int close = line.indexOf('"', start + 1);
                    end = close < 0 ? line.length() : close + 1;
                    tags.add((weak ? "W/" : "") + line.substring(start, end));
                } else {
                    int comma = line.indexOf(',', start);
                    end = comma < 0 ? line.length() : comma;
                    String bare = line.substring(start, end).trim();
                    tags.add(bare.equals("*") ? "*" : (weak ? "W/" : "") + quote(bare));
                }
                i = end;
            }
        }
        return tags;
    }
}
