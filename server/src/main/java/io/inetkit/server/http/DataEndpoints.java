package io.inetkit.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The endpoints that send bodies: {@code /bytes/{n}} and {@code /stream/{n}} streamed a chunk at a time as the
 * client reads ({@link GeneratedInput}), so a large one costs one chunk of memory; {@code /gzip} and
 * {@code /deflate} compressed; {@code /range/{n}} in byte ranges; {@code /uuid}, {@code /base64/{value}},
 * {@code /links/{n}/{offset}}.
 */
final class DataEndpoints {

    private DataEndpoints() {
    }

    /** {@code n} pseudo-random bytes; {@code ?seed=S} repeats them. */
    static void bytes(Exchange ex) {
        long max = ex.settings().maxBytes();
        long n = BadInput.parseLong(ex.argument(), "byte count");
        if (n < 0 || n > max) {
            throw new BadInput("byte count must be in 0.." + max + ": " + ex.argument());
        }
        long seed = ex.query().parameters().containsKey("seed")
                ? BadInput.parseLong(ex.query().parameters().get("seed").get(0), "seed") : System.nanoTime();
        GeneratedInput body = GeneratedInput.randomBytes(n, seed);
        if (n <= GeneratedInput.CHUNK_SIZE) {
            // one chunk: made now and sent as one response, without the chunked writer's round trips
            FullHttpResponse whole = Responses.of(HttpResponseStatus.OK,
                    n == 0 ? Unpooled.EMPTY_BUFFER : body.readChunk(ex.ctx().alloc()));
            whole.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM);
            ex.respond(whole);
            return;
        }
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM);
        HttpUtil.setContentLength(head, n);
        ex.stream(head, body);
    }

    /** httpbin's chunk of {@code /stream-bytes} when the request names none. */
    static final int STREAM_BYTES_CHUNK = 10 * 1024;
    /** The largest chunk {@code /stream-bytes} makes: a larger {@code chunk_size} is cut to it. */
    static final int MAX_STREAM_BYTES_CHUNK = 64 * 1024;

    /**
     * {@code n} pseudo-random bytes as chunks of {@code ?chunk_size=C} bytes (default 10 KiB, at least 1, at
     * most 64 KiB), each one HTTP chunk; {@code ?seed=S} repeats them; n ≤ {@code maxBytes}.
     *
     * <pre>
     *   GET /stream-bytes/10?chunk_size=4     HTTP/1.1 200 OK
     *                                         content-type: application/octet-stream
     *                                         transfer-encoding: chunked
     *
     *                                         4 CRLF (4 bytes) CRLF 4 CRLF (4 bytes) CRLF 2 CRLF (2 bytes) CRLF 0 CRLF CRLF
     * </pre>
     */
    static void streamBytes(Exchange ex) {
        long max = ex.settings().maxBytes();
        long n = BadInput.parseLong(ex.argument(), "byte count");
        if (n < 0 || n > max) {
            throw new BadInput("byte count must be in 0.." + max + ": " + ex.argument());
        }
        String seedParam = ex.param("seed", null);
        long seed = seedParam == null ? System.nanoTime() : BadInput.parseLong(seedParam, "seed");
        String chunkParam = ex.param("chunk_size", null);
        long chunk = chunkParam == null ? STREAM_BYTES_CHUNK : BadInput.parseLong(chunkParam, "chunk size");
        int chunkSize = (int) Math.max(1, Math.min(MAX_STREAM_BYTES_CHUNK, chunk)); // httpbin: max(1, chunk_size)
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM);
        if (ex.request().protocolVersion().equals(HttpVersion.HTTP_1_0)) {
            head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE); // no chunks in 1.0: EOF ends it
        } else {
            HttpUtil.setTransferEncodingChunked(head, true);
        }
        ex.stream(head, GeneratedInput.randomBytes(n, seed, chunkSize));
    }

    /** {@code n} JSON lines, each {@code /get}'s answer with an {@code id}; chunked (HTTP/1.0: until EOF). */
    static void stream(Exchange ex) {
        int max = ex.settings().maxStreamLines();
        int n = BadInput.parseInt(ex.argument(), "line count");
        if (n < 0 || n > max) {
            throw new BadInput("line count must be in 0.." + max + ": " + ex.argument());
        }
        ObjectNode template = EchoJson.describe(ex, false);
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, Responses.JSON);
        if (ex.request().protocolVersion().equals(HttpVersion.HTTP_1_0)) {
            head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE); // no chunks in 1.0: EOF ends it
        } else {
            HttpUtil.setTransferEncodingChunked(head, true);
        }
        ex.stream(head, GeneratedInput.lines(n, i -> {
            ObjectNode line = EchoJson.object().put("id", i);
            line.setAll(template);
            return EchoJson.bytes(line);
        }));
    }

    /** A gzip-encoded JSON body: {@code gzipped}, headers, method, origin. */
    static void gzip(Exchange ex) {
        ex.respond(compressed(ex, "gzipped", HttpHeaderValues.GZIP, GZIPOutputStream::new));
    }

    /** {@code {"uuid": "..."}}, a random (version 4) UUID. */
    static void uuid(Exchange ex) {
        ex.respond(Responses.json(HttpResponseStatus.OK, EchoJson.object().put("uuid", UUID.randomUUID().toString())));
    }

    /** The URL-safe (or standard) base64 {@code value}, decoded, as httpbin: typed {@code text/html}. */
    static void base64(Exchange ex) {
        String value = ex.argument() == null ? "" : ex.argument();
        byte[] decoded;
        try {
            decoded = Base64.getUrlDecoder().decode(value);
        } catch (IllegalArgumentException urlSafe) {
            try {
                decoded = Base64.getDecoder().decode(value);
            } catch (IllegalArgumentException standard) {
                throw new BadInput("not base64: " + value);
            }
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(decoded));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, Responses.HTML);
        ex.respond(response);
    }

    /** A zlib-encoded ({@code Content-Encoding: deflate}, RFC 9110 8.4.1.2) JSON body: {@code deflated}, headers, method, origin. */
    static void deflate(Exchange ex) {
        ex.respond(compressed(ex, "deflated", HttpHeaderValues.DEFLATE, DeflaterOutputStream::new));
    }

    /** How a body is compressed: a stream that compresses into {@code out}. */
    private interface Encoder {
        OutputStream wrap(OutputStream out) throws IOException;
    }

    /** {@code {flag: true, headers, method, origin}}, compressed by {@code encoder}, as {@code encoding}. */
    private static FullHttpResponse compressed(Exchange ex, String flag, CharSequence encoding, Encoder encoder) {
        ObjectNode body = EchoJson.object().put(flag, true);
        body.set("headers", EchoJson.headers(ex.request()));
        body.put("method", ex.method().name());
        body.put("origin", ex.origin());
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (OutputStream out = encoder.wrap(compressed)) {
            out.write(EchoJson.bytes(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(compressed.toByteArray()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, Responses.JSON);
        response.headers().set(HttpHeaderNames.CONTENT_ENCODING, encoding);
        return response;
    }

    /**
     * {@code n} bytes of {@code abc...z} repeated, with one byte range served as RFC 9110 14 says: 206 and
     * {@code Content-Range} for a satisfiable one, 416 and {@code bytes *}{@code /n} for one past the end. A
     * range set of more than one range, a malformed one, or an {@code If-Range} that does not match is served
     * the whole body (14.2: a server may ignore Range), rather than a multipart/byteranges body.
     */
    static void range(Exchange ex) {
        int n = BadInput.parseInt(ex.argument(), "byte count");
        if (n < 1 || n > MAX_RANGE) {
            throw new BadInput("byte count must be in 1.." + MAX_RANGE + ": " + ex.argument());
        }
        String etag = CachingEndpoints.quote("range" + n);
        String ifRange = ex.request().headers().get(HttpHeaderNames.IF_RANGE);
        long[] range = ifRange == null || ifRange.equals(etag)
                ? byteRange(ex.request().headers().get(HttpHeaderNames.RANGE), n) : null;
        FullHttpResponse response;
        if (range == UNSATISFIABLE) {
            response = Responses.text(HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE, "");
            response.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + n);
        } else {
            long first = range == null ? 0 : range[0];
            long last = range == null ? n - 1 : range[1];
            byte[] body = new byte[(int) (last - first + 1)];
            for (int i = 0; i < body.length; i++) {
                body[i] = (byte) ('a' + (first + i) % 26);
            }
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    range == null ? HttpResponseStatus.OK : HttpResponseStatus.PARTIAL_CONTENT,
                    Unpooled.wrappedBuffer(body));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM);
            if (range != null) {
                response.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes " + first + "-" + last + "/" + n);
            }
        }
        response.headers().set(HttpHeaderNames.ETAG, etag);
        response.headers().set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
        ex.respond(response);
    }

    /** httpbin's limit for {@code /range}. */
    static final int MAX_RANGE = 102_400;
    private static final long[] UNSATISFIABLE = new long[0];
    private static final Pattern ONE_RANGE = Pattern.compile("bytes=[ \\t]*(\\d*)-(\\d*)[ \\t]*",
            Pattern.CASE_INSENSITIVE);

    /** {@code [first, last]} of a single byte range over {@code n} bytes; null to serve it all; or UNSATISFIABLE. */
    private static long[] byteRange(String header, long n) {
        if (header == null) {
            return null;
        }
        Matcher m = ONE_RANGE.matcher(header);
        if (!m.matches() || m.group(1).length() > 18 || m.group(2).length() > 18) {
            return null; // several ranges, another unit, or not a range: ignored
        }
        String from = m.group(1);
        String to = m.group(2);
        if (from.isEmpty()) {
            if (to.isEmpty()) {
                return null;
            }
            long suffix = Long.parseLong(to); // the last suffix bytes
            return suffix == 0 ? UNSATISFIABLE : new long[] {Math.max(0, n - suffix), n - 1};
        }
        long first = Long.parseLong(from);
        long last = to.isEmpty() ? Long.MAX_VALUE : Long.parseLong(to);
        if (last < first) {
            return null; // invalid (14.1.1): ignored
        }
        return first >= n ? UNSATISFIABLE : new long[] {first, Math.min(last, n - 1)};
    }

    /** httpbin's limit for {@code /links}. */
    static final int MAX_LINKS = 200;

    /** A page of {@code n} links to {@code /links/{n}/{i}}, the {@code offset}th one not a link; {@code /links/{n}} redirects to offset 0. */
    static void links(Exchange ex) {
        int n = BadInput.parseInt(ex.argument(), "link count");
        if (n < 1 || n > MAX_LINKS) {
            throw new BadInput("link count must be in 1.." + MAX_LINKS + ": " + ex.argument());
        }
        if (ex.segment(1) == null) {
            ex.respond(Responses.redirect("/links/" + n + "/0"));
            return;
        }
        int offset = BadInput.parseInt(ex.segment(1), "link offset");
        StringBuilder page = new StringBuilder("<html><head><title>Links</title></head><body>");
        for (int i = 0; i < n; i++) {
            if (i == offset) {
                page.append(i).append(' ');
            } else {
                page.append("<a href='/links/").append(n).append('/').append(i).append("'>").append(i).append("</a> ");
            }
        }
        ex.respond(Responses.html(HttpResponseStatus.OK, page.append("</body></html>").toString()));
    }

    /** httpbin's limit for {@code /drip}'s bytes. */
    static final long MAX_DRIP_BYTES = 10L * 1024 * 1024;

    /**
     * {@code ?numbytes=N&duration=S&delay=S&code=C}: status C, then N asterisks spread over S seconds after the
     * delay (defaults: 10 bytes, 2 s, no delay, 200), as httpbin; duration plus delay at most {@code maxDelay}.
     */
    static void drip(Exchange ex) {
        long n = BadInput.parseLong(ex.param("numbytes", "10"), "numbytes");
        if (n < 1 || n > MAX_DRIP_BYTES) {
            throw new BadInput("numbytes must be in 1.." + MAX_DRIP_BYTES + ": " + n);
        }
        long duration = seconds(ex.param("duration", "2"), "duration");
        long delay = seconds(ex.param("delay", "0"), "delay");
        if (duration + delay > ex.settings().maxDelay().toNanos()) {
            throw new BadInput("duration plus delay must be at most " + ex.settings().maxDelay().toSeconds() + " s");
        }
        int code = BadInput.parseInt(ex.param("code", "200"), "code");
        if (code < 200 || code > 599) {
            throw new BadInput("code must be in 200..599: " + code);
        }
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code));
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM);
        HttpUtil.setContentLength(head, n);
        ex.stream(head, new DripInput(ex.ctx(), n, delay, duration));
    }

    /** {@code text} seconds (decimals allowed, at least 0) in nanoseconds. */
    private static long seconds(String text, String what) {
        BigDecimal value;
        try {
            value = new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new BadInput(what + " must be a number of seconds: " + text);
        }
        if (value.signum() < 0 || value.compareTo(BigDecimal.valueOf(3600)) > 0) {
            throw new BadInput(what + " must be in 0..3600 seconds: " + text);
        }
        return value.movePointRight(9).longValue();
    }
}
