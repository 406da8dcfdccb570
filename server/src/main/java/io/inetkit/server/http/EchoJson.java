package io.inetkit.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The listener's JSON: one document per line, with a space after each colon and comma, so that
 * {@code /ip} reads {@code {"origin": "127.0.0.1"}} and every {@code /stream} line is one JSON document.
 */
final class EchoJson {

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectWriter WRITER = MAPPER.writer(new OneLinePrinter());

    private EchoJson() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** The document as UTF-8, ending in a newline. */
    static byte[] bytes(JsonNode node) {
        try {
            byte[] json = WRITER.writeValueAsBytes(node);
            byte[] line = Arrays.copyOf(json, json.length + 1);
            line[json.length] = '\n';
            return line;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a tree of plain nodes always serialises
        }
    }

    /** {@code {"error": "message"}} and a newline. */
    static byte[] error(String message) {
        return bytes(object().put("error", message));
    }

    /** Parses {@code body} as JSON, or returns null when it is not JSON. */
    static JsonNode parseOrNull(byte[] body) {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    /** httpbin's description of a request: args, headers, origin, url; with the body's data, files, form, json. */
    static ObjectNode describe(Exchange ex, boolean withBody) {
        FullHttpRequest request = ex.request();
        ObjectNode node = object();
        node.set("args", params(ex.query().parameters()));
        if (withBody) {
            byte[] body = ByteBufUtil.getBytes(request.content());
            String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE, "").toLowerCase(Locale.ROOT);
            FormBody form = FormBody.isForm(type) ? FormBody.of(request, EchoJson::text) : null;
            // httpbin reads a form body into form and files, even one that does not parse, and leaves data empty
            node.put("data", form == null ? text(body) : "");
            node.set("files", params(form == null ? Map.of() : form.files()));
            node.set("form", params(form == null ? Map.of() : form.form()));
            JsonNode json = type.contains("json") ? parseOrNull(body) : null;
            node.set("json", json);
        }
        node.set("headers", headers(request));
        node.put("origin", ex.origin());
        node.put("url", ex.url());
        return node;
    }

    private static ObjectNode params(Map<String, List<String>> params) {
        ObjectNode node = object();
        params.forEach((name, values) -> {
            if (values.size() == 1) {
                node.put(name, values.get(0));
            } else {
                values.forEach(node.putArray(name)::add);
            }
        });
        return node;
    }

    /** The request headers as sent (HTTP/2's are lower case), repeated ones joined with commas. */
    static ObjectNode headers(FullHttpRequest request) {
        ObjectNode node = object();
        for (String name : request.headers().names()) {
            if (name.regionMatches(true, 0, "x-http2-", 0, 8)) {
                continue; // Netty's HTTP/2-to-HTTP/1 bookkeeping, not something the client sent
            }
            List<String> values = request.headers().getAll(name);
            node.put(name, values.size() == 1 ? values.get(0) : String.join(",", values));
        }
        return node;
    }

    /** UTF-8 text as a string; anything else as a base64 data URL (as httpbin does). */
    private static String text(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return "data:application/octet-stream;base64," + Base64.getEncoder().encodeToString(body);
        }
    }

    /** Jackson's minimal printer with {@code ": "} and {@code ", "} as separators. */
    private static final class OneLinePrinter extends MinimalPrettyPrinter {
        private static final long serialVersionUID = 1L;

        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(": ");
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            g.writeRaw(", ");
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(", ");
        }
    }
}
